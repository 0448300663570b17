"""The HTML report in a real browser (CTest "html_report"): headless Chromium (Debian's chromium) opens the
page written by `xxgk check --format html`, the test checks through the DevTools protocol that the tables
and findings are in the DOM, clicks a finding and a failing cell, switches the interface to English, and saves
a screenshot. Also: report text is escaped (a <script> in a report shows as text and never runs). Then the
page of a whole scan (`xxgk scan -o index.html --lang en`): the index first, every document in it, sections
for the documents with findings, the cross-year findings, and an English interface from the start.

    html_report_test.py XXGK CORPUS_DIR WORK_DIR
"""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket  # Debian: python3-websocket

XXGK, CORPUS, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what)


shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
page = os.path.join(WORK, "report.html")
hostile = os.path.join(WORK, "hostile.txt")
with open(os.path.join(CORPUS, "076-pingtan-jingjifazhanju-2023.txt"), encoding="utf-8") as f:
    text = f.read()
# A report whose prose carries markup: it must show as text.
with open(hostile, "w", encoding="utf-8") as f:
    f.write(text.replace("一、总体情况", "一、总体情况\n<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">", 1))
done = subprocess.run([XXGK, "check", "--format", "html", "-o", page, os.path.join(CORPUS, "076-pingtan-jingjifazhanju-2023.txt"),
                       os.path.join(CORPUS, "042-pingtan-shiyanqu-2023.html"), hostile], capture_output=True, text=True)
check(done.returncode in (0, 1) and os.path.getsize(page) > 0, "xxgk wrote the page: %s" % done.stderr)
html = open(page, encoding="utf-8").read()
check("http://" not in html.split("<main>")[0] and "https://" not in html.split("<main>")[0], "no external assets in the head")

# A report whose error-level findings are all uncertain (issue 12.1).
doubt_page = os.path.join(WORK, "doubt.html")
doubt_source = os.path.join(CORPUS, "023-shanghai-kewei-2024.txt")
subprocess.run([XXGK, "check", "--format", "html", "-o", doubt_page, doubt_source], capture_output=True)
doubt_json = json.loads(subprocess.run([XXGK, "check", "--format", "json", doubt_source], capture_output=True, text=True).stdout)
doubt_proven_errors = sum(1 for f in doubt_json["findings"] if f["status"] == "fail" and f["severity"] == "error")
doubt_review = sum(1 for f in doubt_json["findings"] if f["status"] == "uncertain")
check(doubt_review > 0, "023 has findings to review")

# A scan: three consecutive years of one body (cross-year findings), a report without findings, a page that is
# not a report, and a file that cannot be read as text.
scan_dir = os.path.join(WORK, "crawl")
os.makedirs(scan_dir)
for name in ["074-pingtan-jingjifazhanju-2021.txt", "075-pingtan-jingjifazhanju-2022.txt", "076-pingtan-jingjifazhanju-2023.txt",
             "063-pingtan-caizhengjinrongju-2020.txt"]:
    shutil.copy(os.path.join(CORPUS, name), scan_dir)
with open(os.path.join(scan_dir, "list-page.txt"), "w", encoding="utf-8") as f:
    f.write("政务公开\n通知公告\n联系我们\n")
with open(os.path.join(scan_dir, "binary.txt"), "wb") as f:
    f.write(bytes(range(256)) * 4)
scan_page = os.path.join(WORK, "scan.html")
scan_lines = os.path.join(WORK, "scan.jsonl")
done = subprocess.run([XXGK, "scan", "-q", "--lang", "en", "-o", scan_lines, "-o", scan_page, scan_dir], capture_output=True, text=True)
check(done.returncode in (0, 1) and os.path.getsize(scan_page) > 0, "xxgk scan wrote the page: %s" % done.stderr)
scan_records = [json.loads(line) for line in open(scan_lines, encoding="utf-8")]
scan_crossyear = [json.loads(line) for line in open(os.path.join(WORK, "scan.crossyear.jsonl"), encoding="utf-8")]
check(len(scan_records) == 6 and len(scan_crossyear) >= 1, "the scan has six documents and cross-year findings")

chromium = shutil.which("chromium") or shutil.which("chromium-browser")
if not chromium:
    print("FAIL: chromium is not installed (scripts/install-deps.sh installs it)")
    sys.exit(1)
profile = tempfile.mkdtemp(prefix="xxgk-chromium-")
browser = subprocess.Popen([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--remote-debugging-port=0",
                            "--user-data-dir=" + profile, "--window-size=1300,1600", "about:blank"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    port_file = os.path.join(profile, "DevToolsActivePort")
    for _ in range(300):
        if os.path.exists(port_file) and open(port_file).read().strip():
            break
        time.sleep(0.1)
    port = int(open(port_file).read().split()[0])
    targets = json.load(urllib.request.urlopen("http://127.0.0.1:%d/json/list" % port))
    target = next(t for t in targets if t["type"] == "page")
    ws = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=30)
    counter = [0]

    def call(method, **params):
        counter[0] += 1
        ws.send(json.dumps({"id": counter[0], "method": method, "params": params}))
        while True:
            message = json.loads(ws.recv())
            if message.get("id") == counter[0]:
                if "error" in message:
                    raise RuntimeError("%s: %s" % (method, message["error"]))
                return message["result"]

    def js(expression):
        return call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

    def load(path):
        call("Page.navigate", url="file://" + path)
        time.sleep(0.2)
        for _ in range(100):
            if js("document.readyState") == "complete" and js("location.pathname") == path:
                break
            time.sleep(0.1)

    call("Page.enable")
    load(page)
    check(js("document.querySelectorAll('section.report').length") == 4, "index and three report sections")
    check(js("document.getElementById('index').getBoundingClientRect().top < document.getElementById('r0-report').getBoundingClientRect().top"),
          "the index comes first on the screen")
    check("total.balance" in js("Array.from(document.querySelectorAll('#rule option')).map(function(o){return o.textContent}).join(' ')"),
          "the rule filter lists the rules of the page")
    check(js("document.querySelectorAll('table.grid').length") >= 6, "the rebuilt tables are drawn")
    check(js("document.querySelectorAll('table.grid[data-table=p3] tr').length") > 20, "part 3 in the standard layout")
    check(js("document.querySelectorAll('ol.findings li').length") >= 4, "the findings are listed")
    check(js("document.querySelectorAll('td.cell-fail').length") >= 2, "failing cells are marked")
    check(js("document.title") != "pwned" and js("document.querySelectorAll('main script, main img').length") == 0,
          "report text is escaped, never run")
    check("<script>document.title" in js("document.querySelector('#r2-report .source').textContent"), "the markup shows as text")
    # Click the first total.balance finding: its line is focused and the panel lists the addends.
    js("document.querySelector('ol.findings li[data-rule=\"total.balance\"]').click()")
    check(js("document.getElementById('panel').classList.contains('open')"), "clicking a finding opens the panel")
    check("一、本年新收政府信息公开申请数量" in (js("document.getElementById('panel').textContent") or ""), "the panel lists the addends")
    check(js("document.querySelectorAll('.line.focus').length") == 1, "the finding's line is focused")
    # Evidence names in the interface language.
    js("document.querySelector('ol.findings li[data-rule=\"narrative.table-mismatch\"]').click()")
    check("正文说法" in (js("document.getElementById('panel').textContent") or ""), "evidence names in Chinese")
    # Click a failing cell.
    js("document.getElementById('panel').classList.remove('open'); document.querySelector('td.cell-fail').click()")
    check("total.balance" in (js("document.getElementById('panel').textContent") or ""), "clicking a failing cell shows its findings")
    # Filter by severity.
    js("var s=document.getElementById('sev'); s.value='info'; s.dispatchEvent(new Event('change'))")
    check(js("Array.from(document.querySelectorAll('ol.findings li:not(.hidden)')).every(function(li){return li.dataset.kind==='info'})"),
          "the severity filter hides the rest")
    js("var s=document.getElementById('sev'); s.value=''; s.dispatchEvent(new Event('change'))")
    # English interface.
    check(js("document.querySelector('.report h3 .i18n').textContent") == "结构", "Chinese interface first")
    js("document.getElementById('lang').click()")
    check(js("document.querySelector('.report h3 .i18n').textContent") == "Parts", "English after the switch")
    js("document.querySelector('ol.findings li[data-rule=\"total.balance\"]').click()")
    shot = call("Page.captureScreenshot", format="png")["data"]
    with open(os.path.join(WORK, "report.png"), "wb") as f:
        f.write(base64.b64decode(shot))
    check(os.path.getsize(os.path.join(WORK, "report.png")) > 10000, "a screenshot is saved")

    # Doubt is not an error: a report whose error-level findings are uncertain counts them to review.
    load(doubt_page)
    counts = js("document.querySelector('.report .counts').textContent")
    check("错误: %d" % doubt_proven_errors in counts and "存疑: %d" % doubt_review in counts, "counts of the doubtful report: %s" % counts)
    js("var s=document.getElementById('sev'); s.value='review'; s.dispatchEvent(new Event('change'))")
    check(js("document.querySelectorAll('ol.findings li:not(.hidden)').length") == doubt_review and
          js("Array.from(document.querySelectorAll('ol.findings li:not(.hidden)')).every(function(li){return li.dataset.status==='uncertain'})"),
          "the review filter shows the uncertain findings, and only them")
    js("var s=document.getElementById('sev'); s.value='error'; s.dispatchEvent(new Event('change'))")
    check(js("document.querySelectorAll('ol.findings li:not(.hidden)').length") == doubt_proven_errors, "the error filter shows proven errors only")

    # The scan's page.
    load(scan_page)
    with_findings = [r for r in scan_records if r.get("findings")]
    errors = [r for r in scan_records if r["status"] == "error"]
    check(js("document.querySelectorAll('nav.index li').length") == len(scan_records), "every document is in the index")
    check(js("document.querySelectorAll('nav.index li.doc-skipped').length") == len([r for r in scan_records if r["status"] == "skipped"]),
          "skipped documents are marked in the index")
    check(js("document.querySelectorAll('section.report[id$=\"-report\"]').length") == len(with_findings) + len(errors),
          "a section for each document with findings or an error, none for the others")
    check(js("document.getElementById('index').getBoundingClientRect().top < document.querySelector('section.report[id$=\"-report\"]').getBoundingClientRect().top"),
          "the scan's index comes first on the screen")
    check(js("document.querySelectorAll('#crossyear ol.findings li').length") == len(scan_crossyear), "the cross-year findings are listed")
    check(js("document.querySelector('.report h2 .i18n').textContent") in ("Index", "Across years"), "--lang en opens in English")
    check(js("document.documentElement.lang") == "en", "the page says it is English")
    findings_on_page = js("document.querySelectorAll('section.report[id$=\"-report\"] ol.findings li').length")
    check(findings_on_page == sum(len(r["findings"]) for r in with_findings), "every finding of the scan is on the page")
    first = with_findings[0]["findings"][0]["message"]
    check(any(c.isascii() and c.isalpha() for c in first) and first in js("document.body.textContent"), "the messages are English (--lang en)")
    js("document.querySelector('#crossyear ol.findings li').click()")
    check(js("document.getElementById('panel').classList.contains('open')"), "clicking a cross-year finding opens the panel")
    shot = call("Page.captureScreenshot", format="png")["data"]
    with open(os.path.join(WORK, "scan.png"), "wb") as f:
        f.write(base64.b64decode(shot))
    ws.close()
finally:
    browser.terminate()
    try:
        browser.wait(10)
    except subprocess.TimeoutExpired:
        browser.kill()
    shutil.rmtree(profile, ignore_errors=True)

if failures:
    print("%d failures" % len(failures))
    sys.exit(1)
print("html_report: all passed; screenshot in %s" % os.path.join(WORK, "report.png"))
