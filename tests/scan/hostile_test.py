"""Hostile input (CTest "hostile"): a generated mix of what the open web serves — binary, NUL bytes, invalid
UTF-8, UTF-16 without a BOM, a 100 MB single line, deeply nested tags, huge spans and a 10^6-cell table, numbers
of absurd length in every table layout (a cell per line, pipes, digit runs, an HTML grid) and a cell of 10^6
digits, a million short lines, a zip bomb alone and inside a tar, a gzip bomb, WARC files whose Content-Length
lies, a truncated tar, a name with quotes and a newline — scanned in one run. Asserts exactly one valid JSON record per input, the expected
status for each, that no neighbour is lost, and that peak memory stays bounded; prints the figures.

    hostile_test.py XXGK CORPUS_DIR WORK_DIR
"""
import gzip
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile

XXGK, CORPUS, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what)


def corpus(name):
    with open(os.path.join(CORPUS, name), "rb") as f:
        return f.read()


shutil.rmtree(WORK, ignore_errors=True)
mix = os.path.join(WORK, "mix")
os.makedirs(mix)
report = corpus("015-pingtan-shiyanqu-2021.txt")
page = corpus("042-pingtan-shiyanqu-2023.html")

# Pages that must get past triage to the parts of the check they attack start like a report.
HEAD = "某某县交通运输局2023年政府信息公开工作年度报告\n一、总体情况\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
HTML_HEAD = "<meta charset=utf-8><title>某某县交通运输局2023年政府信息公开工作年度报告</title>" + "".join(
    "<p>%s</p>" % line for line in HEAD.splitlines())

# name -> (bytes or a writer, expected status, expected error code or None). "any" accepts checked/skipped/error:
# what matters for those is that they yield one record and do not disturb the rest.
expected = {}
must_find = {}  # name -> a rule the record's findings must hold


def add(name, data, status, code=None, rule=None):
    with open(os.path.join(mix, name), "wb") as f:
        if callable(data):
            data(f)
        else:
            f.write(data)
    expected[name] = (status, code)
    if rule:
        must_find[name] = rule


add("report.txt", report, "checked")
add("page.html", page, "checked")
add("binary.bin", bytes((i * 7919) % 251 for i in range(1 << 20)), "error", "not-text")
add("nul-bytes.txt", report.replace("。".encode(), b"\x00\x00"), "any")
add("invalid-utf8.txt", report[:3000] + b"\xff\xfe\xc0\xaf\xed\xa0\x80" * 500 + report[3000:], "any")
add("utf16le-no-bom.txt", report.decode("utf-8").encode("utf-16-le"), "any")
add("utf16be-no-bom.html", page.decode("utf-8").encode("utf-16-be"), "any")
add("empty.txt", b"", "error", "empty")


def one_line(size):
    def write(f):
        f.write(HEAD.replace("\n", " ").encode())
        chunk = ("本年新收政府信息公开申请数量123 " * 2000).encode()
        left = size
        while left > 0:
            f.write(chunk[:left])
            left -= len(chunk)
    return write


add("one-line-100MB.txt", one_line(100 << 20), "error", "too-large")
add("one-line-8MB.txt", one_line(8 << 20), "any")
add("nested-200k.html", HTML_HEAD.encode() + b"<div><span>" * 100000 + "年度报告".encode(), "error", "too-deep")
add("nested-tables.html", HTML_HEAD.encode() + b"<table><tr><td>" * 3000 + "一、本年新收政府信息公开申请数量 5".encode(), "any")
add("colspan-100000.html", (HTML_HEAD + "<table>" +
                            "<tr><td colspan=100000 rowspan=100000>一、本年新收政府信息公开申请数量</td><td>5</td></tr>" * 200 +
                            "</table>").encode(), "any")
add("table-1M-cells.html", lambda f: (f.write((HTML_HEAD + "<table>").encode()),
                                      [f.write(b"<tr>" + b"<td>7" * 1000) for _ in range(1000)]), "any")
add("script.html", "<meta charset=utf-8><title>某局2023年政府信息公开工作年度报告</title><script>document.write('<table>')</script>"
                   "<p>一、总体情况</p><p>&lt;script&gt;alert(1)&lt;/script&gt;</p>".encode(), "any")
add('quote"and\nnewline.txt', report, "checked")


# Numbers of absurd length in every table layout, put in place of the first cell of 一、本年新收 in a real report
# of that layout: a value beyond what a count can be is table.cell-invalid (with its raw text), never a number
# that arithmetic runs on. A digit run with 400 digits in it has no reading: uncertain, not a crash or a hang.
def with_cell(data, label, old, new):
    at = data.index(old, data.index(label.encode()))
    return data[:at] + new + data[at + len(old):]


NEW = "一、本年新收政府信息公开申请数量"
ABSURD, MILLION = b"9" * 400, b"7" * 10 ** 6
per_line = corpus("000_9d21c7fc33edb949.txt")  # a cell per line
pipes = corpus("023-shanghai-kewei-2024.txt")    # | cell | cell |
runs = corpus("015-pingtan-shiyanqu-2021.txt")   # digit runs without separators
add("absurd-per-line.txt", with_cell(per_line, NEW, b"\n0\n", b"\n" + ABSURD + b"\n"), "checked", rule="table.cell-invalid")
add("absurd-pipes.txt", with_cell(pipes, NEW, b"| 32 |", b"| " + ABSURD + b" |"), "checked", rule="table.cell-invalid")
add("absurd-digit-run.txt", with_cell(runs, NEW, b"640020470", b"64" + b"0" * 400 + b"20470"), "checked")
add("absurd-grid.html", with_cell(page, NEW, b">80</p>", b">" + ABSURD + b"</p>"), "checked", rule="table.cell-invalid")
add("million-digits-per-line.txt", with_cell(per_line, NEW, b"\n0\n", b"\n" + MILLION + b"\n"), "checked",
    rule="table.cell-invalid")
add("million-digits-grid.html", with_cell(page, NEW, b">80</p>", b">" + MILLION + b"</p>"), "checked", rule="table.cell-invalid")
# A million short lines: one-digit cells where part 3's table should be.
part3 = per_line.index("三、收到和处理政府信息公开申请情况".encode())
add("million-lines.txt", per_line[:part3] + b"0\n" * 10 ** 6 + per_line[part3:], "any")

# A zip bomb: one member of 512 MiB of zeros (about 0.5 MB packed), alone and inside a tar.
bomb = io.BytesIO()
with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    with z.open("zeros.txt", "w", force_zip64=True) as member:
        block = b"\x00" * (1 << 20)
        for _ in range(512):
            member.write(block)
add("bomb.zip", bomb.getvalue(), "container")
del expected["bomb.zip"]
expected["bomb.zip!zeros.txt"] = ("error", "too-large")
with tarfile.open(os.path.join(mix, "bomb-inside.tar"), "w") as tar:
    for name, data in (("a/report.txt", report), ("a/bomb.zip", bomb.getvalue()), ("a/page.html", page)):
        info = tarfile.TarInfo(name)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
expected["bomb-inside.tar!a/report.txt"] = ("checked", None)
expected["bomb-inside.tar!a/bomb.zip"] = ("error", "not-text")
expected["bomb-inside.tar!a/page.html"] = ("checked", None)
# A gzip bomb: 1 GiB of text-like bytes in about 1 MB.
gz = io.BytesIO()
with gzip.GzipFile(fileobj=gz, mode="wb", mtime=0) as g:
    block = ("年度报告" * 30000).encode()
    for _ in range((1 << 30) // len(block)):
        g.write(block)
add("bomb.txt.gz", gz.getvalue(), "container")
del expected["bomb.txt.gz"]
expected["bomb.txt.gz!data"] = ("error", "too-large")
# A truncated tar: the second member is cut.
tar_bytes = io.BytesIO()
with tarfile.open(fileobj=tar_bytes, mode="w") as tar:
    for name, data in (("t/report.txt", report), ("t/page.html", page)):
        info = tarfile.TarInfo(name)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
add("truncated.tar", tar_bytes.getvalue()[:512 + ((len(report) + 511) // 512) * 512 + 512 + 5000], "container")
expected["truncated.tar!t/report.txt"] = ("checked", None)
expected["truncated.tar!t/page.html"] = ("error", "truncated")
del expected["truncated.tar"]


def warc_record(uri, body, length=None):
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body
    n = len(http) if length is None else length
    return ("WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: %s\r\nWARC-Date: 2026-01-15T08:00:00Z\r\n"
            "Content-Length: %d\r\n\r\n" % (uri, n)).encode() + http + b"\r\n\r\n"


# WARC files whose last record's Content-Length lies: larger than the file (the record is cut short), and
# smaller than the block (the rest of the block is where the next record header should be).
good = warc_record("http://x.gov.cn/good", report)
add("liar-long.warc", good + warc_record("http://x.gov.cn/long", page[:5000], length=10 ** 9), "container")
add("liar-short.warc.gz", gzip.compress(good, mtime=0) + gzip.compress(warc_record("http://x.gov.cn/short", page, length=100), mtime=0),
    "container")
for name in ("liar-long.warc", "liar-short.warc.gz"):
    del expected[name]

# Names and headers that are not UTF-8 — a zip's member names in GBK (as Chinese Windows writes them), a file name,
# WARC headers — go into every output escaped (\xHH); JSON takes nothing else. One such name once aborted the scan.
gbk_zip = io.BytesIO()
with zipfile.ZipFile(gbk_zip, "w") as z:
    z.writestr("placeholder.txt", report)
add("gbk-names.zip", gbk_zip.getvalue().replace(b"placeholder.txt", "报告一二.txt".encode("gbk") + b"\xff\xff\xff"), "container")
del expected["gbk-names.zip"]
expected["gbk-names.zip!\\xB1\\xA8\\xB8\\xE6һ\\xB6\\xFE.txt\\xFF\\xFF\\xFF"] = ("checked", None)
with open(os.path.join(mix.encode(), b"name-\xff\xfe.txt"), "wb") as f:
    f.write(report)
expected["name-\\xFF\\xFE.txt"] = ("checked", None)
http = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=\xff\r\n\r\n" + report
add("headers-not-utf8.warc", b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://x.gov.cn/\xb1\xa8\r\n"
    b"WARC-Date: 2026\xff\r\nContent-Length: %d\r\n\r\n" % len(http) + http + b"\r\n\r\n", "container")
del expected["headers-not-utf8.warc"]
expected["headers-not-utf8.warc@0"] = ("checked", None)

out = os.path.join(WORK, "results.jsonl")
start = time.time()
done = subprocess.run([XXGK, "scan", "--quiet", "--jobs", "2", "--time-limit", "120", "-o", out, mix],
                      capture_output=True, text=True)
elapsed = time.time() - start
peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
check(done.returncode in (0, 1), "scan exit status %d: %s" % (done.returncode, done.stderr[-2000:]))

records = []
with open(out, encoding="utf-8") as f:
    for number, line in enumerate(f, 1):
        try:
            records.append(json.loads(line))
        except ValueError as e:
            check(False, "line %d is not JSON: %s" % (number, e))
by_id = {}
for r in records:
    key = r["id"][len(mix) + 1:] if r["id"].startswith(mix + "/") else r["id"]
    check(key not in by_id, "one record for %r" % key)
    by_id[key] = r

for name, (status, code) in expected.items():
    r = by_id.get(name)
    check(r is not None, "a record for %r" % name)
    if r is None:
        continue
    got = r["status"], (r.get("error") or {}).get("code")
    if status != "any":
        check(got[0] == status and (code is None or got[1] == code),
              "%r is %s/%s, expected %s/%s (%s)" % (name, got[0], got[1], status, code, r.get("reason") or r.get("error")))
    if name in must_find:
        check(any(f.get("rule") == must_find[name] for f in r.get("findings") or []),
              "%r has a %s finding: %s" % (name, must_find[name], sorted({f.get("rule") for f in r.get("findings") or []})))

warcs = {k: r for k, r in by_id.items() if "@" in k}
long_records = [r for k, r in warcs.items() if k.startswith("liar-long.warc@")]
short_records = [r for k, r in warcs.items() if k.startswith("liar-short.warc.gz@")]
check(len(long_records) == 2 and sorted(r["status"] for r in long_records) == ["checked", "error"],
      "liar-long.warc: the good record checked, the cut one an error: %s" % [(r["id"], r["status"]) for r in long_records])
check(len(short_records) >= 2 and any(r["status"] == "checked" for r in short_records)
      and any(r["status"] == "error" for r in short_records),
      "liar-short.warc.gz: the good record checked, the damage an error: %s" % [(r["id"], r["status"]) for r in short_records])
inputs = len(expected) + len(long_records) + len(short_records)
check(len(records) == inputs, "records out %d = inputs in %d" % (len(records), inputs))
check(peak_mb < 3072, "peak RSS %.0f MB stays bounded" % peak_mb)

containers = [n for n in os.listdir(mix) if n.endswith((".zip", ".tar", ".gz", ".warc"))]
print("hostile mix: %d inputs (%d files, %d of them archives or WARC files), %d records, %.1f s, peak RSS %.0f MB"
      % (inputs, len(os.listdir(mix)), len(containers), len(records), elapsed, peak_mb))
for key in sorted(by_id):
    r = by_id[key]
    print("  %-40s %-8s %s" % (key[:40].replace("\n", "\\n"), r["status"], (r.get("error") or {}).get("code") or r.get("reason") or ""))
if failures:
    print("%d failures" % len(failures))
    sys.exit(1)
print("hostile: all passed")
