"""The Dask driver (CTest "dask"): a local cluster of two worker processes scans shares of the inputs, and the
merged result equals a single-process scan of the same inputs: the same document lines, the same cross-year
findings, the same summary.

    dask_test.py XXGK CORPUS_DIR WORK_DIR      (run with a python3 that has Debian's python3-distributed)
"""
import json
import os
import shutil
import subprocess
import sys

XXGK, CORPUS, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
HERE = os.path.dirname(os.path.abspath(__file__))
DRIVER = os.path.join(HERE, "..", "..", "tools", "dask", "xxgk_dask.py")

shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
fx = os.path.join(WORK, "fixtures")
subprocess.run([sys.executable, os.path.join(HERE, "fixtures.py"), CORPUS, fx], check=True)
inputs = [os.path.join(fx, "folder"), os.path.join(fx, "pages.warc.gz"), os.path.join(fx, "pages.tar"), CORPUS]

single = os.path.join(WORK, "single.jsonl")
subprocess.run([XXGK, "scan", "--quiet", "--summary", "-o", single] + inputs, check=True, capture_output=True)
merged = os.path.join(WORK, "merged.jsonl")
subprocess.run([sys.executable, DRIVER, "--local-workers", "2", "--xxgk", XXGK, "--work-dir", os.path.join(WORK, "parts"),
                "-o", merged] + inputs, check=True)


def sorted_lines(path):
    with open(path, encoding="utf-8") as f:
        return sorted(line for line in f if line.strip())


failures = []
parts = sorted(os.listdir(os.path.join(WORK, "parts")))
if len(parts) < 2:
    failures.append("the scan was not split over the workers: %s" % parts)
if sorted_lines(single) != sorted_lines(merged):
    failures.append("merged document lines differ from the single-process scan")
if sorted_lines(os.path.join(WORK, "single.crossyear.jsonl")) != sorted_lines(os.path.join(WORK, "merged.crossyear.jsonl")):
    failures.append("merged cross-year findings differ")
with open(os.path.join(WORK, "single.summary.json")) as a, open(os.path.join(WORK, "merged.summary.json")) as b:
    if json.load(a) != json.load(b):
        failures.append("merged summary differs")
if len(sorted_lines(merged)) < 100:
    failures.append("too few documents: %d" % len(sorted_lines(merged)))
for f in failures:
    print("FAIL:", f)
if failures:
    sys.exit(1)
print("dask: merged result equals the single-process scan (%d documents, %d shares)" % (len(sorted_lines(merged)), len(parts)))
