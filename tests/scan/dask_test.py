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

# The settings travel to every share and the merge: the language, the tables, the summary, the config.
config = os.path.join(WORK, "xxgk.toml")
with open(config, "w", encoding="utf-8") as f:
    f.write('[rules]\n"text.unbalanced-bracket" = "off"\n')
settings = ["--lang", "en", "--config", config]
single = os.path.join(WORK, "single.jsonl")
single_run = subprocess.run([XXGK, "scan", "--quiet", "--summary", "--tables", "-o", single] + settings + inputs, capture_output=True)
merged = os.path.join(WORK, "merged.jsonl")
merged_run = subprocess.run([sys.executable, DRIVER, "--local-workers", "2", "--xxgk", XXGK, "--work-dir", os.path.join(WORK, "parts"),
                             "--tables", "--summary", "-o", merged, "-o", os.path.join(WORK, "merged.sqlite")] + settings + inputs,
                            capture_output=True, text=True)


def sorted_lines(path):
    with open(path, encoding="utf-8") as f:
        return sorted(line for line in f if line.strip())


failures = []
if single_run.returncode != merged_run.returncode or merged_run.returncode not in (0, 1):
    failures.append("exit status: single %d, merged %d (%s)" % (single_run.returncode, merged_run.returncode, merged_run.stderr[-500:]))
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
records = [json.loads(line) for line in sorted_lines(merged)]
if not all("tables" in r for r in records if r["status"] == "checked"):
    failures.append("--tables did not reach the shares")
if any(f["rule"] == "text.unbalanced-bracket" for r in records for f in r.get("findings") or []):
    failures.append("the config did not reach the shares (text.unbalanced-bracket is off)")
messages = [f["message"] for r in records for f in r.get("findings") or []]
if not messages or not any(", but " in m or " is " in m for m in messages):
    failures.append("--lang en did not reach the shares")
import sqlite3
if sqlite3.connect(os.path.join(WORK, "merged.sqlite")).execute("SELECT COUNT(*) FROM documents").fetchone()[0] != len(records):
    failures.append("merge did not write the SQLite output")
for f in failures:
    print("FAIL:", f)
if failures:
    sys.exit(1)
print("dask: merged result equals the single-process scan (%d documents, %d shares)" % (len(sorted_lines(merged)), len(parts)))
