"""PDF and Word twins of the corpus's HTML pages (CTest "pdf_twins"), and PDFs that cannot be read.

    twins_test.py XXGK CORPUS_DIR WORK_DIR

Every HTML page of corpus/real is printed to PDF with headless Chromium (as a reader saves a page), and converted
with LibreOffice to DOCX and from that DOCX to PDF (as Word users save and export a report). Each twin is checked
and must give the cells and findings of its HTML page, apart from locations and honest doubt (compare.py), except
for the differences listed in KNOWN with the reason they are not the front end's.

Then files that cannot be checked, each with its expected result: a scanned PDF (pages rasterised with pdftoppm
and wrapped back into a PDF with img2pdf), a PDF encrypted with a password (qpdf) and one that only forbids
editing (read as usual), a truncated PDF, an old binary Word .doc (LibreOffice), a DOCX with merged cells. And
the outputs' page coordinate: `path:page:line:` in the text output, `page` and `box` in the JSON, the page in
SARIF's region properties, `xxgk text` with one line per table row.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import differences  # noqa: E402

XXGK, CORPUS, WORK = sys.argv[1:4]
os.makedirs(WORK, exist_ok=True)
failures = []
passed = [0]


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if condition:
        passed[0] += 1
    else:
        failures.append(what)


def run(*args, **kwargs):
    return subprocess.run(list(args), capture_output=True, timeout=300, **kwargs)


def result(path, *extra):
    done = run(XXGK, "check", "--format", "json", "--fail-on", "never", *extra, path)
    line = done.stdout.decode("utf-8").splitlines()
    return json.loads(line[0]) if line else {"error": {"code": "no output", "message": done.stderr.decode()}}


# Differences that are not the PDF or DOCX front end's, by (page, twin kind): the prefix of each difference
# line and why it is expected.
KNOWN = {
    # LibreOffice lays the page's application table out wider than the A4 page and cuts its two right-hand
    # columns (其他, 总计) off the PDF: they are not in the file to be read.
    ("021-shuyang-fagaiju-2023", "libreoffice.pdf"): [("", "LibreOffice cut two columns off the page")],
}

pages = sorted(f for f in os.listdir(CORPUS) if f.endswith(".html"))
check(len(pages) >= 6, "the corpus has HTML pages (%d)" % len(pages))

# 1. Twins.
chromium = shutil.which("chromium") or shutil.which("chromium-browser")
soffice = shutil.which("soffice") or shutil.which("libreoffice")
check(chromium is not None, "chromium is installed (scripts/install-deps.sh)")
check(soffice is not None, "LibreOffice is installed (scripts/install-deps.sh: libreoffice-writer-nogui)")
if not chromium or not soffice:
    print("%d passed, %d failed" % (passed[0], len(failures)))
    sys.exit(1)
profile = tempfile.mkdtemp(prefix="xxgk-pdf-chromium-")
office_profile = tempfile.mkdtemp(prefix="xxgk-pdf-office-")
twins = {}
for name in pages:
    stem = name[:-5]
    html = os.path.join(CORPUS, name)
    printed = os.path.join(WORK, stem + ".chromium.pdf")
    run(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=" + profile,
        "--no-pdf-header-footer", "--print-to-pdf=" + printed, "file://" + os.path.abspath(html))
    twins[(stem, "chromium.pdf")] = printed
office = [soffice, "--headless", "--norestore", "-env:UserInstallation=file://" + office_profile]
run(*office, "--convert-to", "docx:MS Word 2007 XML", "--outdir", WORK, *[os.path.join(CORPUS, p) for p in pages])
docx = [os.path.join(WORK, p[:-5] + ".docx") for p in pages]
pdf_dir = os.path.join(WORK, "libreoffice")
os.makedirs(pdf_dir, exist_ok=True)
run(*office, "--convert-to", "pdf", "--outdir", pdf_dir, *[d for d in docx if os.path.exists(d)])
for p in pages:
    stem = p[:-5]
    twins[(stem, "docx")] = os.path.join(WORK, stem + ".docx")
    twins[(stem, "libreoffice.pdf")] = os.path.join(pdf_dir, stem + ".pdf")

for (stem, kind), path in sorted(twins.items()):
    if not os.path.exists(path):
        check(False, "%s: the %s twin was made" % (stem, kind))
        continue
    reference = result(os.path.join(CORPUS, stem + ".html"))
    twin = result(path)
    if twin.get("error"):
        check(False, "%s %s: read (%s)" % (stem, kind, twin["error"]))
        continue
    content = "docx" if kind == "docx" else "pdf"
    check(twin["source"]["content"] == content, "%s %s: read as %s" % (stem, kind, content))
    known = KNOWN.get((stem, kind), [])
    unexplained = [d for d in differences(reference, twin) if not any(d.startswith(prefix) for prefix, _ in known)]
    for d in unexplained:
        print("     " + d)
    tables = sum(len(r["cells"]) for t in twin.get("tables", []) for r in t["rows"])
    check(not unexplained and tables > 50,
          "%s %s: the cells (%d) and findings of the HTML page%s" % (stem, kind, tables,
                                                                   " (known: %s)" % "; ".join(w for _, w in known) if known else ""))

# 2. The page coordinate in the outputs, on a Chromium twin with a finding.
twin = twins[("042-pingtan-shiyanqu-2023", "chromium.pdf")]
data = result(twin)
finding = next((f for f in data["findings"] if f["rule"] == "narrative.table-mismatch"), None)
check(finding is not None and finding.get("page") == 2 and len(finding.get("box", [])) == 4,
      "JSON: the finding has its page and box (%s)" % ({k: finding.get(k) for k in ("page", "line", "box")} if finding else None))
cell = next(c for t in data["tables"] for r in t["rows"] if r["id"] == "normative" for c in r["cells"] if c["column"] == "in-force")
check(cell.get("page") == 3 and cell["raw"] == "470" and cell["box"][0] < cell["box"][2],
      "JSON: the cell has its page and the box of its table cell (%s)" % {k: cell.get(k) for k in ("page", "line", "box")})
text = run(XXGK, "check", "--lang", "en", "--fail-on", "never", twin).stdout.decode("utf-8")
check("%s:2:17: warning:" % twin in text, "text output: path:page:line: of the finding (page 2, line 17 as the page shows)")
check("现行有效行政规范性文件393件" in text, "text output: the source line of the finding")
sarif = json.loads(run(XXGK, "check", "--format", "sarif", "--fail-on", "never", twin).stdout.decode("utf-8"))
location = sarif["runs"][0]["results"][0]["locations"][0]
check(location.get("properties", {}).get("page") == 2 and location["physicalLocation"]["region"]["startLine"] == 17,
      "SARIF: a region with the page in its properties")
shown = run(XXGK, "text", twin).stdout.decode("utf-8").splitlines()
check("行政规范性文件 | 77 | 132 | 470" in shown, "xxgk text: one line per table row with ' | '")

# 3. Files that cannot be checked, each with its expected result.
original = twins[("042-pingtan-shiyanqu-2023", "chromium.pdf")]
raster = os.path.join(WORK, "raster")
run("pdftoppm", "-r", "60", "-f", "1", "-l", "2", "-png", original, raster)
scanned = os.path.join(WORK, "scanned.pdf")
run("img2pdf", raster + "-1.png", raster + "-2.png", "-o", scanned)
locked = os.path.join(WORK, "locked.pdf")
run("qpdf", "--encrypt", "secret", "owner-secret", "256", "--", original, locked)
restricted = os.path.join(WORK, "restricted.pdf")
run("qpdf", "--encrypt", "", "owner-secret", "256", "--modify=none", "--extract=n", "--", original, restricted)
truncated = os.path.join(WORK, "truncated.pdf")
with open(original, "rb") as f, open(truncated, "wb") as out:
    out.write(f.read()[: os.path.getsize(original) // 3])
run(*office, "--convert-to", "doc:MS Word 97", "--outdir", WORK, os.path.join(CORPUS, "042-pingtan-shiyanqu-2023.html"))
old_doc = os.path.join(WORK, "042-pingtan-shiyanqu-2023.doc")

expected = [(scanned, "no-text-layer", "OCR"), (locked, "encrypted", "password"), (truncated, "damaged", "incomplete"),
            (old_doc, "word-binary", "--convert-to docx")]
for path, code, hint in expected:
    data = result(path, "--lang", "en")
    error = data.get("error") or {}
    check(os.path.exists(path) and error.get("code") == code and hint in error.get("message", ""),
          "%s: error %s with a hint (%s)" % (os.path.basename(path), code, error.get("message")))
data = result(restricted)
check(not data.get("error") and not differences(result(original), data),
      "restricted.pdf (empty user password, editing forbidden): read as the original")
docx_twin = twins[("042-pingtan-shiyanqu-2023", "docx")]
with open(docx_twin, "rb") as f:
    import zipfile
    body = zipfile.ZipFile(f).read("word/document.xml").decode("utf-8")
check('w:vMerge w:val="restart"' in body and "w:gridSpan" in body and not differences(result(os.path.join(CORPUS, "042-pingtan-shiyanqu-2023.html")), result(docx_twin)),
      "a DOCX with merged cells (w:vMerge, w:gridSpan) gives the cells of the page")

# 4. A scan reads each PDF and DOCX as one document, in a folder and in a tar.
folder = os.path.join(WORK, "scan-in")
shutil.rmtree(folder, ignore_errors=True)
os.makedirs(folder)
for path in (original, docx_twin, old_doc):
    shutil.copy(path, folder)
archive = os.path.join(WORK, "scan.tar")
run("tar", "-cf", archive, "-C", folder, ".")
# …and as crawled: WARC response records whose Content-Type says what they are (read by their bytes all the same).
def warc_record(uri, body, content_type):
    http = b"HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n" % (content_type, len(body)) + body
    head = ("WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: %s\r\nWARC-Date: 2026-01-15T08:00:00Z\r\n"
            "Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n" % (uri, len(http)))
    return head.encode() + http + b"\r\n\r\n"


warc = os.path.join(WORK, "scan.warc")
with open(warc, "wb") as out:
    out.write(warc_record("http://example.gov.cn/report.pdf", open(original, "rb").read(), b"application/pdf"))
    out.write(warc_record("http://example.gov.cn/report.docx", open(docx_twin, "rb").read(),
                          b"application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
lines_path = os.path.join(WORK, "scan.jsonl")
run(XXGK, "scan", "-q", "-o", lines_path, folder, archive, warc)
records = [json.loads(line) for line in open(lines_path, encoding="utf-8")]
statuses = sorted(((r.get("source") or {}).get("content") or "", r["status"]) for r in records)
check(len(records) == 8 and statuses.count(("pdf", "checked")) == 3 and statuses.count(("docx", "checked")) == 3,
      "scan: one record per PDF, DOCX and .doc, in a folder, a tar and WARC records (%s)" % statuses)
findings = {}
for r in records:
    if (r.get("source") or {}).get("content") == "pdf":
        findings.setdefault("pdf", []).append(sorted(f["rule"] for f in r.get("findings", [])))
check(len(findings.get("pdf", [])) == 3 and all(f == findings["pdf"][0] for f in findings["pdf"]),
      "scan: the PDF has the same findings in the folder, the tar and the WARC record")

print("%d passed, %d failed" % (passed[0], len(failures)))
sys.exit(1 if failures else 0)
