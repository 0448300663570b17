"""The auditor's formats (CTest "formats"): SARIF 2.1.0, JUnit, xlsx, waivers and configuration, on corpus
reports. Each format is compared with the JSON result of the same reports (whose findings are the
person-checked expected results of corpus/), so a format that drops, adds or garbles a finding fails.

    formats_test.py XXGK CORPUS_DIR WORK_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import jsonschema  # Debian: python3-jsonschema
import openpyxl  # Debian: python3-openpyxl

XXGK, CORPUS, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what)


def run(*args, cwd=None):
    return subprocess.run([XXGK] + list(args), capture_output=True, text=True, cwd=cwd)


shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
REPORTS = [os.path.join(CORPUS, name) for name in
           ("076-pingtan-jingjifazhanju-2023.txt", "015-pingtan-shiyanqu-2021.txt", "042-pingtan-shiyanqu-2023.html")]
json_results = [json.loads(line) for line in run("check", "--format", "json", *REPORTS, cwd=WORK).stdout.splitlines()]
findings = [(r["source"]["path"], f) for r in json_results for f in r["findings"]]
check(len(json_results) == 3 and len(findings) > 5, "JSON results to compare with")

# --- SARIF 2.1.0: the structure the schema requires, and the same findings.
sarif = json.loads(run("check", "--format", "sarif", *REPORTS, cwd=WORK).stdout)
check(sarif.get("version") == "2.1.0" and isinstance(sarif.get("runs"), list) and len(sarif["runs"]) == 1, "sarifLog version and runs")
run0 = sarif["runs"][0]
driver = run0["tool"]["driver"]
check(driver["name"] == "xxgk" and isinstance(driver.get("rules"), list), "tool.driver with rules")
rule_ids = [r["id"] for r in driver["rules"]]
check(len(rule_ids) == len(set(rule_ids)) and "total.balance" in rule_ids, "rules: unique ids")
for rule in driver["rules"]:
    check(rule["shortDescription"]["text"] and rule["help"]["text"] and rule["defaultConfiguration"]["level"] in ("error", "warning", "note"),
          "rule %s: short description, help, default level" % rule["id"])
levels = {"error": "error", "warning": "warning", "info": "note"}
HERE = os.path.dirname(os.path.abspath(__file__))
schema = json.load(open(os.path.join(HERE, "sarif-2.1.0-required.json"), encoding="utf-8"))
problems = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(sarif)]
check(not problems, "SARIF against the 2.1.0 schema's required structure: %s" % problems[:5])
results = run0["results"]
check(all(r.get("ruleId") for r in results) and not any(r.get("kind") == "pass" for r in results), "every result has a ruleId; no pass results")
check(len(results) == len(findings), "one SARIF result per finding (%d vs %d)" % (len(results), len(findings)))
import urllib.parse
check(all(urllib.parse.urlparse(rule["helpUri"]).scheme and rule["helpUri"].endswith("/" + rule["id"] + ".md") for rule in driver["rules"]),
      "every rule has an absolute helpUri to its page")
check(driver.get("version") and driver.get("properties", {}).get("grammars", "").startswith("2019+2021@"), "the driver names its version and grammars")
for (path, f), r in zip(findings, results):
    check(r["ruleId"] == f["rule"] and driver["rules"][r["ruleIndex"]]["id"] == f["rule"], "ruleId and ruleIndex of %s" % f["rule"])
    check(r["message"]["text"] == f["message"], "message of %s" % f["rule"])
    if f["status"] == "fail":
        check(r["kind"] == "fail" and r["level"] == levels[f["severity"]], "kind fail, level of %s" % f["rule"])
    else:
        check(r["kind"] == "review" and r["level"] == "none", "uncertain %s is kind review, level none" % f["rule"])
    loc = r["locations"][0]["physicalLocation"]
    check(loc["artifactLocation"]["uri"].endswith(os.path.basename(path)), "artifact of %s" % f["rule"])
    if f["line"]:
        check(loc["region"]["startLine"] == f["line"] and loc["region"]["startColumn"] == f["column"], "region of %s" % f["rule"])
    check(r["partialFingerprints"]["xxgkFingerprint/v1"] == f["fingerprint"], "fingerprint of %s" % f["rule"])
check(run0["columnKind"] == "unicodeCodePoints" and len(run0["artifacts"]) == 3, "columnKind and artifacts")

# Regions in code points of the original file, right for a GB18030 copy too: charOffset is the character at
# startLine:startColumn, and charLength ends at endLine:endColumn.
def char_index(text, line, column):
    starts = [0]
    for i, c in enumerate(text):
        if c == "\n":
            starts.append(i + 1)
    return starts[line - 1] + column - 1
gb_copy = os.path.join(WORK, "076-gb18030.txt")
with open(REPORTS[0], encoding="utf-8") as f:
    original_text = f.read()
with open(gb_copy, "wb") as f:
    f.write(original_text.encode("gb18030"))
for paths, encodings in ((REPORTS, ("utf-8", "utf-8", "utf-8")), ([gb_copy], ("gb18030",))):
    log = json.loads(run("check", "--format", "sarif", *paths, cwd=WORK).stdout)
    texts = {}
    for path, encoding in zip(paths, encodings):
        with open(path, "rb") as f:
            texts[os.path.basename(path)] = f.read().decode(encoding)
    located = 0
    for r in log["runs"][0]["results"]:
        loc = r["locations"][0]["physicalLocation"]
        region = loc.get("region")
        if not region:
            continue
        text = texts[urllib.parse.unquote(loc["artifactLocation"]["uri"]).rsplit("/", 1)[-1]]
        located += 1
        check(region["charOffset"] == char_index(text, region["startLine"], region["startColumn"]),
              "charOffset of %s at %d:%d is in code points of the file" % (r["ruleId"], region["startLine"], region["startColumn"]))
        if "endLine" in region:
            check(region["charOffset"] + region["charLength"] == char_index(text, region["endLine"], region["endColumn"]),
                  "charLength of %s ends at endLine:endColumn" % r["ruleId"])
    check(located >= 3, "regions to check in %s" % paths)
check(all(a["hashes"]["sha-256"] == r["source"]["sha256"] for a, r in zip(run0["artifacts"], json_results)), "artifact hashes")

# --- JUnit: parses, counts agree with the findings; test names survive a line shift; times.
junit = ET.fromstring(run("check", "--format", "junit", *REPORTS, cwd=WORK).stdout)
shifted = os.path.join(WORK, "shifted.txt")
with open(shifted, "w", encoding="utf-8") as f:
    f.write("\n\n" + original_text)
unshifted = os.path.join(WORK, "unshifted.txt")
with open(unshifted, "w", encoding="utf-8") as f:
    f.write(original_text)
def case_names(path):
    return sorted(c.get("name") for c in ET.fromstring(run("check", "--format", "junit", path, cwd=WORK).stdout).iter("testcase"))
check(case_names(shifted) == case_names(unshifted) and len(case_names(shifted)) > 3, "JUnit test names do not move with the lines")
check(all(c.get("name").split(" ")[0] in rule_ids for c in junit.iter("testcase") if " " in c.get("name")), "JUnit names: rule id and fingerprint")
check(junit.get("time") is not None and all(float(suite.get("time")) >= 0 for suite in junit.findall("testsuite")), "JUnit time attributes")
check(junit.tag == "testsuites" and len(junit.findall("testsuite")) == 3, "JUnit: a test suite per document")
failing = sum(1 for _, f in findings if f["status"] == "fail" and f["severity"] != "info")
check(int(junit.get("failures")) == failing == len(junit.findall(".//failure")), "JUnit failures = failing findings (%s vs %d)" % (junit.get("failures"), failing))
check(int(junit.get("skipped")) == sum(1 for _, f in findings if f["status"] == "uncertain"), "JUnit skipped = uncertain findings")

# --- xlsx: re-read cell by cell.
xlsx = os.path.join(WORK, "report.xlsx")
done = run("check", "--format", "xlsx", "-o", xlsx, *REPORTS, cwd=WORK)
check(os.path.exists(xlsx), "xlsx written: %s" % done.stderr)
book = openpyxl.load_workbook(xlsx)
check(book.sheetnames[:2] == ["问题清单", "文件"], "sheets named in Chinese by default: %s" % book.sheetnames)
sheet = book["问题清单"]
rows = list(sheet.iter_rows(values_only=True))
check(rows[0] == ("文件", "机关", "年度", "行", "列", "规则", "级别", "状态", "问题", "指纹", "结论", "备注"), "findings header: %s" % (rows[0],))
check(len(rows) - 1 == len(findings), "one findings row per finding")
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
STATUS_ZH = {"fail": "确认", "uncertain": "存疑"}
agency_of = {r["source"]["path"]: r["report"]["agency"] for r in json_results}
for (path, f), row in zip(findings, rows[1:]):
    check(row[0] == path and row[1] == agency_of[path] and row[5] == f["rule"] and row[6] == SEVERITY_ZH[f["severity"]]
          and row[7] == STATUS_ZH[f["status"]] and row[8] == f["message"] and row[9] == f["fingerprint"] and (row[3] or None) == f["line"],
          "findings row of %s" % f["rule"])
validations = [dv for dv in sheet.data_validations.dataValidation if dv.type == "list"]
check(validations and all(word in validations[0].formula1 for word in ("确认", "驳回", "豁免", "待复核")), "the decision list in Chinese")
check(sheet.page_setup.orientation == "landscape" and sheet.print_title_rows, "findings print landscape, the header repeated")
english_book = os.path.join(WORK, "report-en.xlsx")
run("check", "--lang", "en", "--format", "xlsx", "-o", english_book, *REPORTS, cwd=WORK)
english = openpyxl.load_workbook(english_book)
check(english.sheetnames[:2] == ["findings", "documents"] and list(english["findings"].iter_rows(values_only=True))[0][5] == "rule",
      "--lang en: the workbook in English")
docs = list(book["文件"].iter_rows(values_only=True))
check([d[0] for d in docs[1:]] == [r["source"]["path"] for r in json_results], "documents sheet")
# The first report's part-3 sheet: every value as in the JSON tables, the failing cells filled.
table = next(t for t in json_results[0]["tables"] if t["id"] == "p3")
p3 = book["1 第三部分"]
check(p3.print_title_rows and p3.sheet_properties.pageSetUpPr.fitToPage, "table sheets print as wide as a page, the headers repeated")
failing_cells = {term["cell"] for _, f in findings[:len(json_results[0]["findings"])] if f["status"] == "fail"
                 for term in f["evidence"].get("terms", [])}
columns = []
for row in table["rows"]:
    for c in row["cells"]:
        if c["column"] not in columns:
            columns.append(c["column"])
for i, row in enumerate(table["rows"]):
    check(p3.cell(row=3 + i, column=1).value == row["label"], "p3 label of %s" % row["id"])
    for c in row["cells"]:
        x = p3.cell(row=3 + i, column=2 + columns.index(c["column"]))
        want = c["value"] if c["value"] is not None else (c["raw"] or None)
        check(x.value == want, "p3 %s/%s: %r vs %r" % (row["id"], c["column"], x.value, want))
        filled = x.fill.fgColor.rgb if x.fill and x.fill.fill_type else None
        if "p3/%s/%s" % (row["id"], c["column"]) in failing_cells:
            check(filled and filled.endswith("FBD4D0"), "failing cell p3/%s/%s is filled" % (row["id"], c["column"]))

# --- A scan's workbook: every document and finding of the JSON lines, the cross-year findings, no table sheets.
crawl = os.path.join(WORK, "crawl")
os.makedirs(crawl)
for name in ["074-pingtan-jingjifazhanju-2021.txt", "075-pingtan-jingjifazhanju-2022.txt", "076-pingtan-jingjifazhanju-2023.txt"]:
    shutil.copy(os.path.join(CORPUS, name), crawl)
with open(os.path.join(crawl, "list-page.txt"), "w", encoding="utf-8") as f:
    f.write("政务公开\n通知公告\n")
scan_book = os.path.join(WORK, "scan.xlsx")
done = run("scan", "-q", "-o", os.path.join(WORK, "scan.jsonl"), "-o", scan_book, crawl, cwd=WORK)
check(done.returncode in (0, 1) and os.path.exists(scan_book), "scan wrote the workbook: %s" % done.stderr)
records = [json.loads(line) for line in open(os.path.join(WORK, "scan.jsonl"), encoding="utf-8")]
crossyear = [json.loads(line) for line in open(os.path.join(WORK, "scan.crossyear.jsonl"), encoding="utf-8")]
book = openpyxl.load_workbook(scan_book)
check(book.sheetnames == ["问题清单", "文件", "跨年度"], "scan workbook sheets: %s" % book.sheetnames)
rows = list(book["问题清单"].iter_rows(values_only=True))[1:]
want = [(r["id"], f["rule"], f["message"], f["fingerprint"]) for r in records for f in r.get("findings") or []]
check([(row[0], row[5], row[8], row[9]) for row in rows] == want, "scan workbook: one findings row per finding, in order")
docs = list(book["文件"].iter_rows(values_only=True))[1:]
DOC_STATUS_ZH = {"checked": "已检查", "skipped": "已跳过", "error": "无法读取"}
check([(d[0], d[11].split("，")[0]) for d in docs] == [(r["id"], DOC_STATUS_ZH[r["status"]]) for r in records], "scan workbook: every document with its status")
years = list(book["跨年度"].iter_rows(values_only=True))[1:]
check(len(crossyear) >= 1 and [(y[3], y[5], y[8]) for y in years] == [(c["document"], c["rule"], c["message"]) for c in crossyear],
      "scan workbook: the cross-year findings")
check(run("scan", "-q", "--resume", "-o", os.path.join(WORK, "scan.jsonl"), "-o", scan_book, crawl, cwd=WORK).returncode == 2,
      "a workbook cannot be resumed")

# --- Waivers: a baseline hides exactly the waived finding; a waiver needs a reason.
report = REPORTS[0]
base = os.path.join(WORK, "baseline.json")
check(run("check", "--baseline-write", base, report, cwd=WORK).returncode == 2, "--baseline-write without --reason is refused")
run("check", "--baseline-write", base, "--reason", "accepted in review 2026-11", report, cwd=WORK)
waivers = json.load(open(base, encoding="utf-8"))
check(len(waivers["waivers"]) == len(json_results[0]["findings"]), "a waiver per finding")
waived = waivers["waivers"][1]
waivers["waivers"] = [waived]
json.dump(waivers, open(base, "w", encoding="utf-8"), ensure_ascii=False)
after = json.loads(run("check", "--format", "json", "--baseline", base, report, cwd=WORK).stdout)
before = [f["fingerprint"] for f in json_results[0]["findings"]]
check([f["fingerprint"] for f in after["findings"]] == [p for p in before if p != waived["fingerprint"]], "the waived finding, and only it, is hidden")
# Waived findings stay in SARIF, suppressed externally with the waiver's reason.
suppressed_log = json.loads(run("check", "--format", "sarif", "--baseline", base, report, cwd=WORK).stdout)
suppressed = [r for r in suppressed_log["runs"][0]["results"] if r.get("suppressions")]
check(len(suppressed) == 1 and suppressed[0]["partialFingerprints"]["xxgkFingerprint/v1"] == waived["fingerprint"]
      and suppressed[0]["suppressions"][0]["kind"] == "external" and suppressed[0]["suppressions"][0]["justification"] == "accepted in review 2026-11",
      "SARIF: the waived finding with an external suppression and its reason")
check(len(suppressed_log["runs"][0]["results"]) == len(json_results[0]["findings"]), "SARIF keeps every finding, waived or not")
waivers["waivers"][0]["reason"] = " "
json.dump(waivers, open(base, "w", encoding="utf-8"), ensure_ascii=False)
check(run("check", "--baseline", base, report, cwd=WORK).returncode == 2, "a waiver without a reason is refused")

# Waivers survive a re-crawl: keyed by the report's own text and what each finding is about. Another visit
# counter or footer keeps every waiver; a changed table cell drops only the waivers of the findings about it.
page_lines = open(REPORTS[2], encoding="utf-8").read().split("\n")
def with_cell(lines, line, column, old, new):
    """The page with the cell text at line:column (1-based, in characters) changed from `old` to `new`."""
    changed = list(lines)
    text = changed[line - 1]
    assert text[column - 1:column - 1 + len(old)] == old, text[column - 1:column + 20]
    changed[line - 1] = text[:column - 1] + new + text[column - 1 + len(old):]
    return changed
# The page with a second defect, in part 3 (一、本年新收 自然人 80 → 81), beside its own (393 in the prose, 470 in table 2).
defective = with_cell(page_lines, 349, 12455, "80", "81")
crawled = os.path.join(WORK, "crawled.html")
with open(crawled, "w", encoding="utf-8") as f:
    f.write("\n".join(defective))
crawl_base = os.path.join(WORK, "crawl-waivers.json")
run("check", "--baseline-write", crawl_base, "--reason", "reviewed", crawled, cwd=WORK)
page_findings = json.loads(run("check", "--format", "json", crawled, cwd=WORK).stdout)["findings"]
def about(f, cell):
    return any(t["cell"] == cell for t in f["evidence"].get("terms", []))
check(any(about(f, "p2/normative/in-force") for f in page_findings) and any(about(f, "p3/new/natural") for f in page_findings),
      "the re-crawled page has findings about two cells: %s" % [f["rule"] for f in page_findings])
def recrawl(name, lines):
    path = os.path.join(WORK, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    return json.loads(run("check", "--format", "json", "--baseline", crawl_base, path, cwd=WORK).stdout)["findings"]
chrome_text = "\n".join(defective)
check("</body>" in chrome_text, "the page has a body end")
chrome_text = "<!-- 访问量 12345 -->\n" + chrome_text.replace("</body>", '<div class="footer">浏览次数：4711 · 本页更新于2026年12月1日</div></body>', 1)
left = recrawl("recrawl-chrome.html", chrome_text.split("\n"))
check(left == [], "a changed visit counter and footer keep every waiver: %s" % [f["rule"] for f in left])
left = recrawl("recrawl-p2.html", with_cell(defective, 349, 5286, "470", "471"))
check(left and all(about(f, "p2/normative/in-force") for f in left), "a changed p2 cell drops only its waivers: %s" % [f["rule"] for f in left])
left = recrawl("recrawl-p3.html", with_cell(defective, 349, 12455, "81", "82"))
check(left and all(about(f, "p3/new/natural") for f in left), "a changed p3 cell drops only its waivers: %s" % [f["rule"] for f in left])

# --- Configuration: xxgk.toml found upward; severities change the exit status; typos are errors.
project = os.path.join(WORK, "project", "sub")
os.makedirs(project)
check(run("check", report, cwd=project).returncode == 1, "errors: exit 1 without a config")
with open(os.path.join(WORK, "project", "xxgk.toml"), "w", encoding="utf-8") as f:
    f.write('[rules]\n"total.balance" = "warning"\n\n[deadline]\ntownship = "02-28"\n\n[money]\ntolerance = 0.01\n')
lowered = run("check", "--format", "json", report, cwd=project)
check(lowered.returncode == 0, "total.balance lowered to warning: exit 0 (got %d: %s)" % (lowered.returncode, lowered.stderr))
lowered_rules = {(f["rule"], f["severity"]) for f in json.loads(lowered.stdout)["findings"]}
check(("total.balance", "warning") in lowered_rules and ("total.balance", "error") not in lowered_rules, "severity changed in the result")
with open(os.path.join(WORK, "off.toml"), "w", encoding="utf-8") as f:
    f.write('[rules]\n"total.balance" = "off"\n"narrative.table-mismatch" = "off"\n')
off = json.loads(run("check", "--format", "json", "--config", os.path.join(WORK, "off.toml"), report, cwd=WORK).stdout)
check(not any(f["rule"] in ("total.balance", "narrative.table-mismatch") for f in off["findings"]), "rules turned off")
with open(os.path.join(WORK, "typo.toml"), "w", encoding="utf-8") as f:
    f.write('[rules]\n"total.balanse" = "off"\n')
typo = run("check", "--config", os.path.join(WORK, "typo.toml"), report, cwd=WORK)
check(typo.returncode == 2 and "total.balanse" in typo.stderr, "an unknown rule in the config is an error")

# A township report published on 10 February: late under the default deadline (01-31), on time under the
# config's 02-28, late again when the command line says 01-31 (the command line wins).
import xml.etree.ElementTree as XT
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
base = XT.parse(os.path.join(root, "grammars", "rules.xml")).getroot().find("base").text
township = os.path.join(WORK, "township.txt")
with open(township, "w", encoding="utf-8") as f:
    f.write(base.replace("某某县交通运输局2023年", "某某县某某镇人民政府2023年", 1).replace("发布时间：2024-01-20", "发布时间：2024-02-10"))
def late(*args, cwd):
    out = run("check", "--format", "json", *args, township, cwd=cwd).stdout
    return any(f["rule"] == "meta.late-publication" for f in json.loads(out)["findings"])
check(late(cwd=WORK), "township: late under the default deadline")
check(not late(cwd=project), "township: on time under the config's 02-28")
check(late("--township-deadline", "01-31", cwd=project), "township: the command line's deadline wins over the config")

# The language of messages: Chinese by default, English from the config, and the command line wins.
lang_dir = os.path.join(WORK, "lang")
os.makedirs(lang_dir)
def first_message(*args):
    out = run("check", "--format", "json", *args, REPORTS[0], cwd=lang_dir).stdout
    return json.loads(out.splitlines()[0])["findings"][0]["message"]
check(not first_message().isascii() and "，但" in first_message(), "messages are Chinese by default")
with open(os.path.join(lang_dir, "xxgk.toml"), "w", encoding="utf-8") as f:
    f.write('[messages]\nlanguage = "en"\n')
check(", but " in first_message(), "xxgk.toml [messages] language = \"en\" gives English messages")
check("，但" in first_message("--lang", "zh"), "--lang wins over the config")
with open(os.path.join(lang_dir, "xxgk.toml"), "w", encoding="utf-8") as f:
    f.write('[messages]\nlanguage = "fr"\n')
bad = run("check", REPORTS[0], cwd=lang_dir)
check(bad.returncode == 2 and "messages.language" in bad.stderr and "“fr”" in bad.stderr, "an unknown language is an error: %s" % bad.stderr)

# --- Doubt is not an error (issue 12.1): a report whose error-level findings are all uncertain. Counted apart
# everywhere: the summary line, the line prefix, the exit status, the workbook, SQLite and the scan summary.
doubtful = os.path.join(CORPUS, "023-shanghai-kewei-2024.txt")
doubt = json.loads(run("check", "--format", "json", doubtful, cwd=WORK).stdout)
proven = {k: sum(1 for f in doubt["findings"] if f["status"] == "fail" and f["severity"] == k) for k in ("error", "warning", "info")}
to_review = sum(1 for f in doubt["findings"] if f["status"] == "uncertain")
check(to_review > 0 and any(f["severity"] == "error" and f["status"] == "uncertain" for f in doubt["findings"]),
      "023 has uncertain error-level findings to test with")
check(doubt["summary"] == {"errors": proven["error"], "warnings": proven["warning"], "info": proven["info"], "uncertain": to_review},
      "JSON summary counts proven findings by severity and uncertain ones apart: %s" % doubt["summary"])
text_en = run("check", "--lang", "en", doubtful, cwd=WORK)
check(text_en.stdout.rstrip().endswith("1 file: %d errors, %d warnings, %d info, %d to review" % (proven["error"], proven["warning"], proven["info"], to_review)),
      "summary line: %s" % text_en.stdout.rstrip().splitlines()[-1])
check(text_en.stdout.count(": review: ") == to_review and text_en.stdout.count(": error: ") == proven["error"], "review: prefix for uncertain findings")
text_zh = run("check", doubtful, cwd=WORK)
check(text_zh.stdout.count(": 存疑：") == to_review, "存疑： prefix in Chinese")
check(text_zh.returncode == (1 if proven["error"] else 0), "default --fail-on error counts proven findings only (exit %d)" % text_zh.returncode)
check(run("check", "--fail-on", "uncertain", doubtful, cwd=WORK).returncode == 1, "--fail-on uncertain opts in")
check(run("check", "--fail-on", "info", doubtful, cwd=WORK).returncode == (1 if sum(proven.values()) else 0), "--fail-on info: proven findings only")
doubt_book = os.path.join(WORK, "doubt.xlsx")
run("check", "--format", "xlsx", "-o", doubt_book, doubtful, cwd=WORK)
doc_row = list(openpyxl.load_workbook(doubt_book).worksheets[1].iter_rows(values_only=True))[1]
check(doc_row[6] == proven["error"] and doc_row[9] == to_review, "workbook: errors %r, to review %r" % (doc_row[6], doc_row[9]))
doubt_scan = os.path.join(WORK, "doubt-scan")
os.makedirs(doubt_scan)
shutil.copy(doubtful, doubt_scan)
shutil.copy(REPORTS[0], doubt_scan)
done = run("scan", "-q", "--summary", "-o", os.path.join(WORK, "doubt.jsonl"), "-o", os.path.join(WORK, "doubt.sqlite"), doubt_scan, cwd=WORK)
import sqlite3
con = sqlite3.connect(os.path.join(WORK, "doubt.sqlite"))
errors, uncertain = con.execute("SELECT errors, uncertain FROM documents WHERE id LIKE '%023-shanghai%'").fetchone()
check((errors, uncertain) == (proven["error"], to_review), "SQLite documents: errors %d, uncertain %d" % (errors, uncertain))
summary = json.load(open(os.path.join(WORK, "doubt.summary.json"), encoding="utf-8"))
ranked = [d["id"] for d in summary["most_errors"]]
check(any("023-shanghai" in d for d in ranked) == (proven["error"] > 0), "most errors ranks proven errors only: %s" % ranked)
check(summary["findings_by_severity"].get("review", 0) >= to_review, "scan summary counts findings to review apart")

# --- xxgk compare LAST THIS (issue 15.8): the scan's cross-year findings, every changed cell, copied prose; text,
# JSON, HTML and xlsx; on the corpus's consecutive years with an injected carry-over change.
years = os.path.join(WORK, "years")
os.makedirs(years)
for name in ("074-pingtan-jingjifazhanju-2021.txt", "075-pingtan-jingjifazhanju-2022.txt"):
    shutil.copy(os.path.join(CORPUS, name), years)
last_year, this_year = (os.path.join(years, n) for n in ("074-pingtan-jingjifazhanju-2021.txt", "075-pingtan-jingjifazhanju-2022.txt"))
def compare(*args):
    return run("compare", *args, last_year, this_year, cwd=WORK)
as_published = json.loads(compare("--format", "json").stdout)
with open(last_year, encoding="utf-8") as f:
    text_2021 = f.read()
with open(last_year, "w", encoding="utf-8") as f:
    f.write(text_2021.replace("四、结转下年度继续办理 0 0 0 0 0 0 0", "四、结转下年度继续办理 2 0 0 0 0 0 2"))
injected = compare("--format", "json")
comparison = json.loads(injected.stdout)
carry = sorted(f["evidence"]["terms"][0]["cell"] for f in comparison["findings"] if f["rule"] == "crossyear.carryover-mismatch")
check(carry == ["p3/carried/natural", "p3/carried/total"] and injected.returncode == 1,
      "compare finds the injected carry-over mismatch and exits 1: %s (exit %d)" % (carry, injected.returncode))
check(not any(f["rule"] == "crossyear.carryover-mismatch" for f in as_published["findings"]), "no carry-over finding as published")
# The same findings as the scan's cross-year pass over the same two reports: one comparison, not a second.
scanned = os.path.join(WORK, "years.jsonl")
run("scan", "-q", "-o", scanned, years, cwd=WORK)
scan_findings = sorted((c["rule"], c["message"], c["fingerprint"]) for c in
                       (json.loads(line) for line in open(os.path.join(WORK, "years.crossyear.jsonl"), encoding="utf-8")))
check(sorted((f["rule"], f["message"], f["fingerprint"]) for f in comparison["findings"]) == scan_findings and scan_findings,
      "compare gives the scan's cross-year findings")
changed = {c["cell"]: c for c in comparison["changed_cells"]}
check(changed.get("p3/carry-over/natural", {}).get("last") == 2 and changed["p3/carry-over/natural"]["this"] == 0
      and changed["p3/carry-over/natural"]["change"] == -2, "the changed cell with last, this and change")
check(all(c["last"] != c["this"] for c in comparison["changed_cells"]), "only cells that changed")
check(0 <= comparison["copied"]["share"] <= 1 and comparison["this"]["year"] == 2022 and comparison["tool"]["name"] == "xxgk", "compare JSON")
text_out = compare().stdout
check("[crossyear.carryover-mismatch]" in text_out and "数值变化的单元格" in text_out and "2 → 0 (-2)" in text_out, "compare as text")
page_path = os.path.join(WORK, "compare.html")
compare("--format", "html", "-o", page_path)
compare_page = open(page_path, encoding="utf-8").read()
check(compare_page.count("<tr data-cell=") == len(comparison["changed_cells"]) and compare_page.count('class="year"') == 2
      and 'data-changed="1"' in compare_page and "https://" not in compare_page.split("<main>")[0], "compare as a page, the two years side by side")
book_path = os.path.join(WORK, "compare.xlsx")
compare("--format", "xlsx", "-o", book_path)
compare_book = openpyxl.load_workbook(book_path)
check([ws.max_row - 1 for ws in compare_book.worksheets] == [len(comparison["findings"]), len(comparison["changed_cells"]),
      len(comparison["copied"]["paragraphs"])], "compare as a workbook")
# A report copied forward: all of its prose is last year's; any input kinds (a page against a text).
copied = os.path.join(WORK, "copied-2023.txt")
with open(os.path.join(CORPUS, "075-pingtan-jingjifazhanju-2022.txt"), encoding="utf-8") as f:
    original_2022 = f.read()
with open(copied, "w", encoding="utf-8") as f:
    f.write(original_2022.replace("2022年度政府信息公开工作年度报告", "2023年度政府信息公开工作年度报告"))
forward = json.loads(run("compare", "--format", "json", os.path.join(CORPUS, "075-pingtan-jingjifazhanju-2022.txt"), copied, cwd=WORK).stdout)
check(forward["copied"]["share"] > 0.9 and any(f["rule"] == "crossyear.copied-text" for f in forward["findings"]) and forward["copied"]["paragraphs"],
      "copied prose: the share and the paragraphs (%s)" % forward["copied"]["share"])
mixed = run("compare", "--format", "json", os.path.join(CORPUS, "042-pingtan-shiyanqu-2023.html"), os.path.join(CORPUS, "018-pingtan-shiyanqu-2024.txt"), cwd=WORK)
check(mixed.returncode in (0, 1) and json.loads(mixed.stdout)["last"]["year"] == 2023, "compare a page with a text")
check(run("compare", REPORTS[0], cwd=WORK).returncode == 2, "compare needs two files")

# --- One language per run (issue 15.1): in a Chinese run no English word reaches a person, beyond names (rule ids,
# file names, format names, JSON keys).
import re
def english_words(text):
    text = re.sub(r"\[[a-z0-9.-]+\]", "", text)                      # [rule.id], [input.code]
    text = re.sub(r"[\w./-]*\.(txt|html|jsonl|json|sqlite|xlsx|xml|md)\b", "", text)  # file names
    text = re.sub(r"(/[\w.-]+)+", "", text)                         # paths
    text = re.sub(r"`[^`]*`", "", text)                             # quoted commands and options
    text = re.sub(r"\b[a-z]+(\.[a-z0-9-]+)+\b", "", text)            # rule ids
    text = re.sub(r"--[a-z-]+", "", text)                           # options
    allowed = {"xxgk", "HTML", "UTF", "GB18030", "JSON", "SARIF", "JUnit", "SQLite", "MB", "ETA",
               "text", "json", "html", "sarif", "junit", "xlsx", "csv", "github", "yaml"}  # format names, the value refused
    return sorted({w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in allowed})
chinese_runs = {
    "check": run("check", *REPORTS, os.path.join(WORK, "no-such-file.txt"), cwd=WORK),
    "rules": run("rules", cwd=WORK),
    "explain": run("explain", "total.balance", cwd=WORK),
    "usage": run("check", "--format", "yaml", REPORTS[0], cwd=WORK),
    "scan": run("scan", "-q", "--summary", "-o", os.path.join(WORK, "zh.jsonl"), os.path.dirname(REPORTS[0]), "--include", "07*", cwd=WORK),
}
for name, done in chinese_runs.items():
    words = english_words(done.stdout + done.stderr)
    check(not words, "no English in a Chinese run of %s: %s" % (name, words[:12]))
# --help in the language of the run (cli/help.xml): every option and command of every command has a text, in both
# languages; a Chinese help has no English beyond the names a user types (commands, option values, formats).
HELP_COMMANDS = ["", "check", "tables", "text", "scan", "merge", "compare", "rules", "explain"]
TYPED_NAMES = {"check", "tables", "text", "scan", "merge", "compare", "rules", "explain",    # commands
               "auto", "always", "never", "info", "warning", "error", "uncertain", "gbk", "markdown",  # values
               "GitHub", "Actions", "BOM", "Lines", "MiB", "PDF", "WARC", "warc", "Word", "docx", "XML", "gzip", "tar", "zip",
               "docs", "bak"}                                                               # formats, names, paths
def help_entries(text):
    """(name, description) of every option, positional and command line of a --help page."""
    lines, entries = text.splitlines(), []
    for i, line in enumerate(lines):
        if not line.startswith("  ") or line.startswith("   "):
            continue
        parts = re.split(r"\s{2,}", line.strip(), maxsplit=1)
        if len(parts) == 1 and i + 1 < len(lines) and lines[i + 1].startswith(" " * 30):
            parts.append(lines[i + 1].strip())  # a long name: its text on the next line
        entries.append((parts[0], parts[1] if len(parts) > 1 else ""))
    return entries
for language in ("zh", "en"):
    for command in HELP_COMMANDS:
        done = run(*([command] if command else []), "--lang", language, "--help", cwd=WORK)
        entries = help_entries(done.stdout)
        check(done.returncode == 0 and len(entries) >= 3, "xxgk %s --help (%s) lists its options" % (command, language))
        missing = [name for name, description in entries if not description]
        check(not missing, "xxgk %s --help (%s): every option has a text, not %s" % (command, language, missing))
        if language == "zh":
            words = [w for w in english_words(done.stdout) if w not in TYPED_NAMES]
            check(not words, "xxgk %s --help in Chinese: no English words, found %s" % (command, words[:12]))
            check(all(re.search(r"[\u4e00-\u9fff]", d) for _, d in entries), "xxgk %s --help: every text in Chinese" % command)
scan_help = run("scan", "--lang", "en", "--help", cwd=WORK).stdout
check(all(o in scan_help for o in ("--files-from", "--shard", "--time-limit", "--resume", ".jsonl", ".sqlite", ".html", ".xlsx")),
      "scan --help names every option and output kind")
# A missing positional argument is named in the run's words.
check("缺少 文件" in run("check", cwd=WORK).stderr, "check without files: 缺少 文件")

# libxlsxwriter's own error lines never appear beside ours.
unwritable = run("check", "--format", "xlsx", "-o", os.path.join(WORK, "no-such-folder", "book.xlsx"), REPORTS[0], cwd=WORK)
check(unwritable.returncode == 2 and "[ERROR]" not in unwritable.stderr and "无法写入" in unwritable.stderr,
      "an unwritable workbook: our message only (%s)" % unwritable.stderr.strip())

# --- Rule documentation: explain prints purpose, basis, an example and the message it produces.
explained = run("explain", "--lang", "en", "total.balance").stdout
check("Basis:" in explained and "Example" in explained and "[total.balance]" in explained, "xxgk explain total.balance")
check(run("explain", "no.such-rule").returncode == 2, "explain of an unknown rule")

if failures:
    print("%d failures" % len(failures))
    sys.exit(1)
print("formats: all passed (%d findings compared in SARIF, JUnit and xlsx)" % len(findings))
