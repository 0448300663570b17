"""`xxgk scan` end to end (CTest "scan"): containers, one record per input, skips and errors, --jobs, resume
after a kill, shards, SQLite, and the cross-year checks on the corpus's consecutive reports.

    scan_test.py XXGK CORPUS_DIR WORK_DIR

Python standard library only; the fixtures come from fixtures.py.
"""
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

XXGK, CORPUS, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
HERE = os.path.dirname(os.path.abspath(__file__))
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what)


def scan(*args, expect=0):
    done = subprocess.run([XXGK, "scan", "--quiet"] + list(args), capture_output=True, text=True)
    if done.returncode != expect:
        print(done.stderr)
    check(done.returncode == expect, "exit %d for scan %s" % (done.returncode, " ".join(args)))
    return done


def lines(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def name_of(record):
    """The fixture a record comes from: the file name, or the WARC target URI's last part."""
    url = record["provenance"]["url"]
    if url:
        return "/" + url.rsplit("/", 1)[1] if url.rsplit("/", 1)[1] in ("old", "missing", "cut") else url.rsplit("/", 1)[1]
    return record["id"].replace("\\", "/").rsplit("/", 1)[1]


def core(record):
    """What must not depend on the container: everything but the id, the provenance and the path."""
    r = dict(record)
    for key in ("id", "provenance"):
        r.pop(key)
    r["source"] = {k: v for k, v in r["source"].items() if k != "path"}
    return json.dumps(r, sort_keys=True, ensure_ascii=False)


shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
fx = os.path.join(WORK, "fixtures")
subprocess.run([sys.executable, os.path.join(HERE, "fixtures.py"), CORPUS, fx], check=True)
with open(os.path.join(fx, "expected.json"), encoding="utf-8") as f:
    expected = json.load(f)

# 1. Every container: one record per input document, the right status and error for each.
results = {}
for container in ("folder", "pages.tar", "pages.warc.gz", "whole.warc.gz", "plain.warc"):
    out = os.path.join(WORK, container + ".jsonl")
    scan(os.path.join(fx, container), "-o", out, "--jobs", "2")
    records = lines(out)
    want = expected["documents"] if container in ("folder", "pages.tar") else {**expected["documents"], **expected["warc"]}
    check(len(records) == len(want), "%s: %d records for %d inputs" % (container, len(records), len(want)))
    by_name = {name_of(r): r for r in records}
    for name, (status, code) in want.items():
        r = by_name.get(name)
        check(r is not None, "%s: no record for %s" % (container, name))
        if r is None:
            continue
        check(r["status"] == status, "%s: %s is %s, expected %s (%s)" % (container, name, r["status"], status, r["reason"]))
        got_code = (r["error"] or {}).get("code")
        check(got_code == code, "%s: %s error %s, expected %s" % (container, name, got_code, code))
    results[container] = by_name

# The same document gives the same result in every container.
for name in expected["documents"]:
    cores = {c: core(results[c][name]) for c in results if name in results[c]}
    check(len(set(cores.values())) == 1, "%s differs between containers: %s" % (name, sorted(cores)))
# WARC provenance: the gzip member of each record, in the file.
warc = results["pages.warc.gz"]["042-pingtan-shiyanqu-2023.html"]["provenance"]
check(warc["offset_in"] == "file" and warc["offset"] > 0 and warc["length"] > 0, "gzip member offsets: %s" % warc)
with open(os.path.join(fx, "pages.warc.gz"), "rb") as f:
    f.seek(warc["offset"])
    check(f.read(2) == b"\x1f\x8b", "the offset of a record is the start of its gzip member")
check(results["whole.warc.gz"]["042-pingtan-shiyanqu-2023.html"]["provenance"]["offset_in"] == "decompressed",
      "one member for the whole file: offsets in the decompressed data")
check(warc["url"] == "http://www.example.gov.cn/xxgk/042-pingtan-shiyanqu-2023.html" and warc["http_status"] == 200,
      "WARC target URI and HTTP status")

# 2. --jobs 1 and --jobs 2 write the same lines in the same order.
one, two = os.path.join(WORK, "jobs1.jsonl"), os.path.join(WORK, "jobs2.jsonl")
inputs = [os.path.join(fx, "folder"), os.path.join(fx, "pages.warc.gz"), os.path.join(fx, "pages.tar")]
scan(*inputs, "-o", one, "--jobs", "1")
scan(*inputs, "-o", two, "--jobs", "2")
with open(one, "rb") as a, open(two, "rb") as b:
    check(a.read() == b.read(), "--jobs 1 and --jobs 2 differ")
full = lines(one)

# 3. Resume: the state a killed scan leaves (some lines, the last one cut) continues to the same output.
with open(one, "rb") as f:
    complete = f.read()
cut_at = complete.index(b"\n", len(complete) // 3) + 1
partial = os.path.join(WORK, "resumed.jsonl")
with open(partial, "wb") as f:
    f.write(complete[:cut_at] + complete[cut_at:cut_at + 100])  # half a line, as a kill leaves it
scan(*inputs, "-o", partial, "--jobs", "2", "--resume")
with open(partial, "rb") as f:
    check(f.read() == complete, "resume after a partial line does not give the uninterrupted output")
# And a real kill, midway through a larger scan (the corpus three times over).
big = os.path.join(WORK, "big")
for copy in range(3):
    shutil.copytree(CORPUS, os.path.join(big, "copy%d" % copy))
killed = os.path.join(WORK, "killed.jsonl")
process = subprocess.Popen([XXGK, "scan", "--quiet", big, "-o", killed, "--jobs", "1"])
deadline = time.time() + 60
while time.time() < deadline and process.poll() is None:
    if os.path.exists(killed) and os.path.getsize(killed) > 50000:
        process.send_signal(signal.SIGKILL)
        break
    time.sleep(0.01)
process.wait()
with open(killed, "rb") as f:
    left = f.read()
check(process.returncode == -signal.SIGKILL, "the scan was killed midway (it finished first)")
check(left.count(b"\n") < 3 * 140, "the killed scan left a part of the output")
scan(big, "-o", killed, "--jobs", "2", "--resume")
uninterrupted = os.path.join(WORK, "uninterrupted.jsonl")
scan(big, "-o", uninterrupted, "--jobs", "2")
with open(killed, "rb") as a, open(uninterrupted, "rb") as b:
    check(a.read() == b.read(), "resume after SIGKILL does not give the uninterrupted output")

# 4. Shards: disjoint, and together the whole.
shard_ids = []
for k in (1, 2, 3):
    out = os.path.join(WORK, "shard%d.jsonl" % k)
    scan(*inputs, "-o", out, "--shard", "%d/3" % k, "--no-crossyear")
    shard_ids.append({r["id"] for r in lines(out)})
check(sum(len(s) for s in shard_ids) == len(full), "shards overlap or miss documents")
check(set.union(*shard_ids) == {r["id"] for r in full}, "shards together are not the whole scan")
scan(*inputs, "--shard", "4/3", expect=2)
scan(*inputs, "--shard", "4294967297/5", expect=2)  # not 1/5: sscanf("%u") wrapped it

# 5. SQLite beside JSON Lines: the same documents and findings; a summary.
db = os.path.join(WORK, "results.sqlite")
jl = os.path.join(WORK, "with-db.jsonl")
scan(*inputs, "-o", jl, "-o", db, "--summary")
records = lines(jl)
con = sqlite3.connect(db)
check(con.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == len(records), "SQLite documents")
findings = sum(len(r["findings"]) for r in records if r["status"] == "checked")
check(con.execute("SELECT COUNT(*) FROM findings").fetchone()[0] == findings, "SQLite findings")
check(con.execute("SELECT COUNT(*) FROM cells WHERE grid_table IS NOT NULL").fetchone()[0] > 100, "SQLite cells with grid refs")
crossyear = lines(os.path.join(WORK, "with-db.crossyear.jsonl"))
check(con.execute("SELECT COUNT(*) FROM crossyear").fetchone()[0] == len(crossyear), "SQLite cross-year findings")
with open(os.path.join(WORK, "with-db.summary.json"), encoding="utf-8") as f:
    summary = json.load(f)
check(summary["documents"] == len(records), "summary documents")
check(summary["status"].get("checked", 0) == sum(r["status"] == "checked" for r in records), "summary checked")

# 6. Across years: the 经济发展局 reports of 2021, 2022 and 2023, with a carry-over injected into 2021.
runs = os.path.join(WORK, "runs")
os.makedirs(runs)
for name in ("074-pingtan-jingjifazhanju-2021.txt", "075-pingtan-jingjifazhanju-2022.txt", "076-pingtan-jingjifazhanju-2023.txt"):
    shutil.copy(os.path.join(CORPUS, name), runs)
out = os.path.join(WORK, "runs.jsonl")
scan(runs, "-o", out)
found = lines(os.path.join(WORK, "runs.crossyear.jsonl"))
rules = sorted((f["rule"], f["year"], f["status"]) for f in found)
# As published: 现行有效 5 (2021) + 5 − 0 ≠ 5 (2022), and 5 + 6 − 0 ≠ 6 (2023); carry-overs agree (all 0).
check(rules == [("crossyear.stock-mismatch", 2022, "fail"), ("crossyear.stock-mismatch", 2023, "fail")],
      "cross-year findings as published: %s" % rules)
path_2021 = os.path.join(runs, "074-pingtan-jingjifazhanju-2021.txt")
with open(path_2021, encoding="utf-8") as f:
    text = f.read()
text = text.replace("四、结转下年度继续办理 0 0 0 0 0 0 0", "四、结转下年度继续办理 2 0 0 0 0 0 2")
with open(path_2021, "w", encoding="utf-8") as f:
    f.write(text)
scan(runs, "-o", out)
found = lines(os.path.join(WORK, "runs.crossyear.jsonl"))
carry = sorted((f["cell"] if "cell" in f else f["evidence"]["terms"][0]["cell"], f["year"]) for f in found
               if f["rule"] == "crossyear.carryover-mismatch")
check(carry == [("p3/carried/natural", 2022), ("p3/carried/total", 2022)], "injected carry-over mismatch: %s" % carry)
mismatch = [f for f in found if f["rule"] == "crossyear.carryover-mismatch"][0]
check(mismatch["evidence"]["reported"] == 0 and mismatch["evidence"]["computed"] == 2, "carry-over evidence")
check(mismatch["previous_document"].endswith("074-pingtan-jingjifazhanju-2021.txt"), "carry-over names last year's report")

if failures:
    print("%d failures" % len(failures))
    sys.exit(1)
print("scan: all checks passed")
