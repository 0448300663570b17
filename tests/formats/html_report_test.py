"""The HTML report in a real browser (CTest "html_report"): headless Chromium (Debian's chromium) opens the
page written by `xxgk check --format html`, the test checks through the DevTools protocol that the tables
and findings are in the DOM, clicks a finding and a failing cell, switches the interface to English, and saves
a screenshot. Also: report text is escaped (a <script> in a report shows as text and never runs). Then the
page of a whole scan (`xxgk scan -o index.html --lang en`): the index first, every document in it, sections
for the documents with findings, the cross-year findings, and an English interface from the start.

    html_report_test.py XXGK CORPUS_DIR WORK_DIR
"""
import base64
import re
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
    f.write(text.replace("一、总体情况", "一、总体情况\n<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">\n", 1))
# An HTML page with a defect in a table cell (part 3, 一、本年新收 自然人 80 → 81): its findings point into the markup.
defective_page = os.path.join(WORK, "042-defective.html")
with open(os.path.join(CORPUS, "042-pingtan-shiyanqu-2023.html"), encoding="utf-8") as f:
    page_lines = f.read().split("\n")
assert page_lines[348][12454:12456] == "80"
page_lines[348] = page_lines[348][:12454] + "81" + page_lines[348][12456:]
with open(defective_page, "w", encoding="utf-8") as f:
    f.write("\n".join(page_lines))
inputs = [os.path.join(CORPUS, "076-pingtan-jingjifazhanju-2023.txt"), defective_page, hostile]
done = subprocess.run([XXGK, "check", "--format", "html", "-o", page] + inputs, capture_output=True, text=True)
results = [json.loads(line) for line in subprocess.run([XXGK, "check", "--format", "json"] + inputs, capture_output=True, text=True).stdout.splitlines()]

def expected_text(path, f):
    """The characters a finding is about: from its line:column to its end, in the decoded file."""
    with open(path, encoding="utf-8") as source:
        lines = source.read().split("\n")
    if f["end"]["line"] != f["line"]:
        return None
    return lines[f["line"] - 1][f["column"] - 1:f["end"]["column"] - 1]
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
    check(js("document.querySelectorAll('section.report').length") == 4, "the overview and three report sections")
    check(js("document.getElementById('index').getBoundingClientRect().top < document.getElementById('r0-report').getBoundingClientRect().top"),
          "the overview comes first on the screen")
    # Findings first: the summary, the findings grouped by part, then the tables.
    check(js("(function(){var s=document.getElementById('r0-report');var f=s.querySelector('ol.findings'),t=s.querySelector('table.grid');"
             "return !!(f&&t&&(f.compareDocumentPosition(t)&Node.DOCUMENT_POSITION_FOLLOWING));})()"), "findings come before the tables")
    check(js("document.querySelector('#r0-report ol.findings[data-part=\"3\"]').previousElementSibling.textContent") == "第三部分 收到和处理政府信息公开申请情况",
          "findings grouped by part, in the standard's words")
    check(js("document.querySelector('#r0-report ol.findings[data-part=\"3\"] li[data-rule=\"total.balance\"]') !== null"), "part 3 holds its balance findings")
    check(js("(function(){var t=document.querySelector('#r0-report table.grid[data-table=p2]');return t.previousElementSibling.textContent;})()").startswith(
          "第二部分 主动公开政府信息情况"), "tables titled in the auditor's words")
    check(js("document.querySelectorAll('#r0-report table.grid[data-table=p3] thead tr').length") >= 2, "multi-level header rows in a thead")
    # Every finding with a range marks exactly its characters in the source.
    marked = 0
    for index, (path, result) in enumerate(zip(inputs, results)):
        for i, f in enumerate(result["findings"]):
            if not f["end"]:
                continue
            # In a page, a range at a cell marks the cell's text; another range marks the page's text between its
            # ends, its markup left out.
            want = expected_text(path, f) if not path.endswith(".html") else next(
                (t["raw"] for t in f["evidence"].get("terms", []) if t["line"] == f["line"] and t["col"] == f["column"]), None)
            if want is None and path.endswith(".html"):
                want = re.sub(r"<[^>]*>", "", expected_text(path, f) or "") or None
            got = js("(function(){var li=document.getElementById('r%d-f%d');var m=li&&li.dataset.mark&&document.getElementById(li.dataset.mark);"
                     "return m?m.textContent:null;})()" % (index, i))
            check(got == want and want, "r%d-f%d (%s) marks exactly %r, not %r" % (index, i, f["rule"], want, got))
            marked += 1
    check(marked >= 4, "findings with a range to mark (%d)" % marked)
    # The crawl on one 4,800-character line is shown as a window around the spot, not whole.
    line10 = js("document.getElementById('r0-L10').textContent")
    check(line10 is not None and "…" in line10 and len(line10) < 2000, "a long line is shown as windows around its marks (%s)" % (len(line10 or ""),))
    # An HTML page's source pane shows the text read from the page (never raw markup), and names the markup position.
    source1 = js("document.querySelector('#r1-report .source').textContent")
    check("<td" not in source1 and "<p" not in source1 and "一、本年新收政府信息公开申请数量" in source1, "the page's source pane shows rendered text")
    check("页面源码第349行" in js("document.querySelector('#r1-report ol.findings li[data-rule^=\"total.\"]').textContent"),
          "an HTML finding names its markup position")
    check("total.balance" in js("Array.from(document.querySelectorAll('#rule option')).map(function(o){return o.textContent}).join(' ')"),
          "the rule filter lists the rules of the page")
    check(js("document.querySelectorAll('table.grid').length") >= 6, "the rebuilt tables are drawn")
    check(js("document.querySelectorAll('table.grid[data-table=p3] tr').length") > 20, "part 3 in the standard layout")
    check(js("document.querySelectorAll('ol.findings li').length") >= 4, "the findings are listed")
    check(js("document.querySelectorAll('td.cell-fail').length") >= 2, "failing cells are marked")
    check(js("document.title") != "pwned" and js("document.querySelectorAll('main script, main img').length") == 0,
          "report text is escaped, never run")
    check("<script>document.title" in js("document.querySelector('#r2-report .source').textContent"), "the markup shows as text")
    # Click the first total.balance finding: its spot is focused and the panel states the relation in the standard's words.
    js("document.querySelector('ol.findings li[data-rule=\"total.balance\"]').click()")
    check(js("document.getElementById('panel').classList.contains('open')"), "clicking a finding opens the panel")
    panel = js("document.getElementById('panel').textContent") or ""
    check("一、本年新收政府信息公开申请数量" in panel, "the panel lists the addends")
    check(js("document.querySelector('#panel .formula').textContent").count("＋") == 2 and "＝" in panel, "the relation written with ＋ and ＝: %s" % panel)
    check("左边合计" in panel and "右边合计" in panel and "差额" in panel and "split" not in panel and "计算" not in panel,
          "a balance names its two sides, no internal words: %s" % panel)
    check(js("document.querySelectorAll('mark.spot.focus').length") == 1, "the finding's characters are focused")
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
    check(js("document.querySelector('#r0-report h3 .i18n').textContent") == "问题清单", "Chinese interface first")
    # One language: no English word in the interface of the Chinese page, no Chinese in the English one.
    english_words = js("Array.from(document.querySelectorAll('.i18n')).map(function(e){return e.textContent}).join(' ')")
    import re
    check(not [w for w in re.findall(r"[A-Za-z]{3,}", english_words) if w not in ("HTML",)], "no English in the Chinese interface: %s" %
          sorted(set(re.findall(r"[A-Za-z]{3,}", english_words)))[:10])
    js("document.getElementById('lang').click()")
    check(js("document.querySelector('#r0-report h3 .i18n').textContent") == "Findings", "English after the switch")
    chinese_words = js("Array.from(document.querySelectorAll('.i18n')).map(function(e){return e.textContent}).join(' ')")
    check(not re.search(r"[\u4e00-\u9fff]", chinese_words.replace("中文", "")), "no Chinese in the English interface: %s" %
          re.findall(r"[\u4e00-\u9fff]+", chinese_words)[:5])
    js("document.querySelector('ol.findings li[data-rule=\"total.balance\"]').click()")
    shot = call("Page.captureScreenshot", format="png")["data"]
    with open(os.path.join(WORK, "report.png"), "wb") as f:
        f.write(base64.b64decode(shot))
    check(os.path.getsize(os.path.join(WORK, "report.png")) > 10000, "a screenshot is saved")
    js("document.getElementById('lang').click()")

    # Print: header rows repeat on every page, part 4 fits a landscape page.
    call("Emulation.setEmulatedMedia", media="print")
    check(js("getComputedStyle(document.querySelector('table.grid[data-table=p3] thead')).display") == "table-header-group",
          "table headers repeat on printed pages")
    check(js("getComputedStyle(document.querySelector('table.grid[data-table=p4]')).page") == "wide", "part 4 is printed on a landscape page")
    pdf = base64.b64decode(call("Page.printToPDF", preferCSSPageSize=True, printBackground=True)["data"])
    with open(os.path.join(WORK, "report.pdf"), "wb") as f:
        f.write(pdf)
    count = re.search(r"Pages: +(\d+)", subprocess.run(["pdfinfo", os.path.join(WORK, "report.pdf")], capture_output=True, text=True).stdout)
    sizes = subprocess.run(["pdfinfo", "-f", "1", "-l", count.group(1) if count else "1", os.path.join(WORK, "report.pdf")],
                           capture_output=True, text=True).stdout
    pages = [(float(w), float(h)) for w, h in re.findall(r"Page +\d+ size: +([\d.]+) x ([\d.]+)", sizes)]
    check(any(w > h for w, h in pages) and any(w < h for w, h in pages), "portrait pages and a landscape page for part 4: %s" % pages[:12])
    # At the landscape page's width every column of part 4 keeps at least two characters a line (no character-by-character wrap).
    call("Emulation.setDeviceMetricsOverride", width=1047, height=740, deviceScaleFactor=1, mobile=False)
    check(js("(function(){var t=document.querySelector('table.grid[data-table=p4]');return t.getBoundingClientRect().width<=1047;})()"),
          "part 4 fits the landscape page's width")
    narrow = js("Array.from(document.querySelectorAll('table.grid[data-table=p4] thead th')).filter(function(th){"
                "return th.getBoundingClientRect().width < 2*parseFloat(getComputedStyle(th).fontSize);}).length")
    check(narrow == 0, "no header of part 4 narrower than two characters (%s)" % narrow)
    call("Emulation.clearDeviceMetricsOverride")
    call("Emulation.setEmulatedMedia", media="")

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
    check(js("document.querySelectorAll('table.documents tbody tr').length") == len(scan_records), "every document is in the documents table")
    check(js("document.querySelectorAll('table.documents tr.doc-skipped').length") == len([r for r in scan_records if r["status"] == "skipped"]),
          "skipped documents are marked, with their reason")
    check(js("document.querySelectorAll('#index svg.chart').length") >= 3, "the overview draws charts in inline SVG")
    check(js("Array.from(document.querySelectorAll('#index figcaption')).map(function(f){return f.textContent}).join('|')") ==
          "Findings by rule|Findings by report year|Findings by level of body|Findings by region", "charts by rule, year, level and region")
    check("福建 福州" in js("document.querySelector('table.documents').textContent"), "the region of a body (平潭 → 福建 福州)")
    # Sorting and filtering the documents table.
    js("document.querySelectorAll('table.documents th')[6].click()")  # errors, ascending
    js("document.querySelectorAll('table.documents th')[6].click()")  # descending
    first_errors = js("document.querySelector('table.documents tbody tr').cells[6].textContent")
    most = max((r["summary"]["errors"] for r in scan_records if r["status"] == "checked"), default=0)
    check(first_errors == str(most), "sorted by errors, most first (%s vs %d)" % (first_errors, most))
    js("var i=document.getElementById('doc-filter'); i.value='2022'; i.dispatchEvent(new Event('input'))")
    visible = js("document.querySelectorAll('table.documents tbody tr:not(.hidden)').length")
    check(visible == 1, "the filter keeps the matching documents (%s)" % visible)
    check(js("document.querySelectorAll('section.report[id$=\"-report\"]').length") == len(with_findings) + len(errors),
          "a section for each document with findings or an error, none for the others")
    check(js("document.getElementById('index').getBoundingClientRect().top < document.querySelector('section.report[id$=\"-report\"]').getBoundingClientRect().top"),
          "the scan's index comes first on the screen")
    check(js("document.querySelectorAll('#crossyear ol.findings li').length") == len(scan_crossyear), "the cross-year findings are listed")
    check(js("document.querySelector('.report h2 .i18n').textContent") in ("Overview", "Across years"), "--lang en opens in English")
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
