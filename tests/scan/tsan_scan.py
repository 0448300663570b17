"""A benchmark-sized scan for ThreadSanitizer (CTest "tsan_scan", in the XXGK_TSAN configuration; docs/fuzzing.md).

    tsan_scan.py XXGK CORPUS_DIR WORK_DIR [--copies N] [--jobs J]

Builds a tar of the corpus's reports and pages repeated N times (about 70 documents a copy) and a WARC.gz of the
pages, and scans both at once with J threads (default 4: more threads than this machine's cores, so that the
scheduler interleaves them more) into every output — JSON Lines, SQLite, the HTML report, the workbook, the
summary — with the oneTBB pipeline, the ordered writer, the shared Checker and the cross-year pass all in play;
then once more unordered (results written as checks finish). ThreadSanitizer stops the scan at its first report
(TSAN_OPTIONS halt_on_error=1, exit status 66). Asserts: no report, both scans complete, one record per document,
and the same records in both.
"""
import argparse
import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time

parser = argparse.ArgumentParser()
parser.add_argument("xxgk")
parser.add_argument("corpus")
parser.add_argument("work")
parser.add_argument("--copies", type=int, default=45)
parser.add_argument("--jobs", type=int, default=4)
args = parser.parse_args()
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what)


shutil.rmtree(args.work, ignore_errors=True)
os.makedirs(args.work)
files = sorted(f for f in os.listdir(args.corpus) if f.endswith((".txt", ".html")))
contents = [(f, open(os.path.join(args.corpus, f), "rb").read()) for f in files]
archive = os.path.join(args.work, "corpus.tar")
with tarfile.open(archive, "w") as tar:
    for k in range(args.copies):
        for name, data in contents:
            info = tarfile.TarInfo("copy%04d/%s" % (k, name))
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
warc = os.path.join(args.work, "pages.warc.gz")
with open(warc, "wb") as out:
    for name, data in contents:
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + data
        head = ("WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: http://example.gov.cn/%s\r\n"
                "WARC-Date: 2026-01-15T08:00:00Z\r\nContent-Length: %d\r\n\r\n" % (name, len(http))).encode()
        out.write(gzip.compress(head + http + b"\r\n\r\n", mtime=0))
documents = len(files) * args.copies + len(files)


def scan(tag, *extra):
    out = os.path.join(args.work, tag)
    start = time.time()
    done = subprocess.run([args.xxgk, "scan", "--quiet", "--summary", "--jobs", str(args.jobs), "-o", out + ".jsonl",
                           "-o", out + ".sqlite", "-o", out + ".html", "-o", out + ".xlsx", archive, warc] + list(extra),
                          capture_output=True, text=True)
    elapsed = time.time() - start
    check("ThreadSanitizer" not in done.stderr, "%s: no ThreadSanitizer report:\n%s" % (tag, done.stderr[-6000:]))
    check(done.returncode in (0, 1), "%s: exit status %d" % (tag, done.returncode))
    records = {}
    if os.path.exists(out + ".jsonl"):
        with open(out + ".jsonl", encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                records[r["id"]] = json.dumps(r, sort_keys=True)
    check(len(records) == documents, "%s: %d records for %d documents" % (tag, len(records), documents))
    print("%s: %d documents, %d threads, %.0f s under ThreadSanitizer" % (tag, len(records), args.jobs, elapsed), flush=True)
    return records


ordered = scan("ordered")
unordered = scan("unordered", "--unordered")
check(ordered == unordered, "the ordered and the unordered scans hold the same records")
if failures:
    print("%d failures" % len(failures))
    sys.exit(1)
print("tsan_scan: all passed")
