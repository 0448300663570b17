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


def scan(*args, expect=(0, 1), cwd=None, command="scan"):
    """Runs xxgk scan; `expect`: the exit statuses allowed (0 clean, 1 findings at or above --fail-on)."""
    done = subprocess.run([XXGK, command] + (["--quiet"] if command == "scan" else []) + list(args), capture_output=True,
                          text=True, cwd=cwd)
    expected = expect if isinstance(expect, tuple) else (expect,)
    if done.returncode not in expected:
        print(done.stderr)
    check(done.returncode in expected, "exit %d for %s %s" % (done.returncode, command, " ".join(args)))
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

# 7. Exit statuses, as check's: 0 clean, 1 findings at or above --fail-on, 2 usage or nothing readable.
clean_dir = os.path.join(WORK, "clean")
os.makedirs(clean_dir)
shutil.copy(os.path.join(CORPUS, "063-pingtan-caizhengjinrongju-2020.txt"), clean_dir)
scan(clean_dir, "-o", os.path.join(WORK, "clean.jsonl"), expect=0)
scan(runs, "-o", os.path.join(WORK, "exit.jsonl"), expect=1)
scan(runs, "-o", os.path.join(WORK, "exit.jsonl"), "--fail-on", "never", expect=0)
unreadable = os.path.join(WORK, "unreadable")
os.makedirs(unreadable)
open(os.path.join(unreadable, "empty.txt"), "w").close()
scan(unreadable, "-o", os.path.join(WORK, "unreadable.jsonl"), expect=2)
scan(os.path.join(WORK, "no-such-folder"), "-o", os.path.join(WORK, "missing.jsonl"), expect=2)
done = scan(runs, "-o", os.path.join(WORK, "results.parquet"), expect=2)
check("results.parquet" in done.stderr and not os.path.exists(os.path.join(WORK, "results.parquet")),
      "an unknown output extension is an error, not JSON Lines: %s" % done.stderr)
done = scan(runs, "-o", os.path.join(WORK, "merged-exit.jsonl"), "--no-crossyear")
merged_exit = scan(os.path.join(WORK, "merged-exit.jsonl"), "-o", os.path.join(WORK, "merged-exit-out.jsonl"), command="merge")
check(merged_exit.returncode == done.returncode, "merge exits as the scan does (%d vs %d)" % (merged_exit.returncode, done.returncode))

# 8. The same configuration gives the same findings in check and scan: xxgk.toml found from the working folder
# upward, or --config; severities, rules turned off, the language.
project = os.path.join(WORK, "project")
os.makedirs(os.path.join(project, "sub"))
with open(os.path.join(project, "xxgk.toml"), "w", encoding="utf-8") as f:
    f.write('[rules]\n"total.balance" = "warning"\n"text.unbalanced-bracket" = "off"\n\n[messages]\nlanguage = "en"\n')
parity_inputs = [os.path.join(CORPUS, name) for name in ("000_9d21c7fc33edb949.txt", "076-pingtan-jingjifazhanju-2023.txt",
                                                         "042-pingtan-shiyanqu-2023.html", "023-shanghai-kewei-2024.txt")]
def finding_keys(record):
    return [(f["rule"], f["severity"], f["status"], f["message"], f["line"], f["column"], f["fingerprint"]) for f in record["findings"]]
for where, extra in ((os.path.join(project, "sub"), []), (WORK, ["--config", os.path.join(project, "xxgk.toml")])):
    checked = subprocess.run([XXGK, "check", "--format", "json"] + extra + parity_inputs, capture_output=True, text=True, cwd=where)
    by_check = {json.loads(line)["source"]["path"]: finding_keys(json.loads(line)) for line in checked.stdout.splitlines()}
    out = os.path.join(WORK, "parity.jsonl")
    scan(*extra, *parity_inputs, "-o", out, "--no-crossyear", cwd=where)
    by_scan = {r["id"]: finding_keys(r) for r in lines(out)}
    check(by_check == by_scan and len(by_scan) == 4, "check and scan give the same findings under one xxgk.toml (%s)" % where)
    rules_seen = {(k[0], k[1]) for keys in by_scan.values() for k in keys}
    check(("total.balance", "warning") in rules_seen and not any(k[0] == "text.unbalanced-bracket" for k in rules_seen),
          "scan obeys xxgk.toml: %s" % sorted(rules_seen))
    check(any(", but " in k[3] for keys in by_scan.values() for k in keys), "scan speaks the config's language")

# 9. Choosing inputs: hidden folders skipped, --exclude/--include, data files and the tool's own outputs skipped
# with a reason (not checked into findings).
tree = os.path.join(WORK, "tree")
for folder in (".git", ".cache", "drafts", "reports"):
    os.makedirs(os.path.join(tree, folder))
with open(os.path.join(tree, ".git", "HEAD"), "w") as f:
    f.write("ref: refs/heads/main\n")
shutil.copy(os.path.join(CORPUS, "076-pingtan-jingjifazhanju-2023.txt"), os.path.join(tree, ".cache", "copy.txt"))
shutil.copy(os.path.join(CORPUS, "000_9d21c7fc33edb949.txt"), os.path.join(tree, "drafts"))
shutil.copy(os.path.join(CORPUS, "063-pingtan-caizhengjinrongju-2020.txt"), os.path.join(tree, "reports"))
shutil.copy(os.path.join(CORPUS, "063-pingtan-caizhengjinrongju-2020.expected"), os.path.join(tree, "reports"))
with open(os.path.join(tree, "reports", "manifest.tsv"), "w", encoding="utf-8") as f:
    f.write("filename\tagency\tyear\na.txt\t某某县人民政府\t2023\nb.txt\t某某镇人民政府\t2022\nc.txt\t某某局\t2021\n")
out = os.path.join(WORK, "tree.jsonl")
scan(tree, "-o", out)
records = {os.path.relpath(r["id"], tree): r for r in lines(out)}
check(sorted(records) == ["drafts/000_9d21c7fc33edb949.txt", "reports/063-pingtan-caizhengjinrongju-2020.expected",
                          "reports/063-pingtan-caizhengjinrongju-2020.txt", "reports/manifest.tsv"],
      "hidden folders are not read: %s" % sorted(records))
check(records["reports/manifest.tsv"]["status"] == "skipped" and records["reports/manifest.tsv"]["reason_kind"] == "data-table"
      and not records["reports/manifest.tsv"]["findings"], "a TSV manifest is skipped as data")
expected_file = records["reports/063-pingtan-caizhengjinrongju-2020.expected"]
check(expected_file["status"] == "skipped" and expected_file["reason_kind"] == "own-output", "an .expected file is skipped as own output")
scan(tree, "-o", out, "--exclude", "drafts", "--include", "*.txt")
check([os.path.relpath(r["id"], tree) for r in lines(out)] == ["reports/063-pingtan-caizhengjinrongju-2020.txt"], "--exclude and --include")

# 10. --shard chooses before reading: a FIFO nobody writes to blocks whoever opens it; the shares it does not
# belong to finish without touching it.
def fnv1a(text):
    h = 1469598103934665603
    for byte in text.encode("utf-8"):
        h ^= byte
        h = (h * 1099511628211) % (1 << 64)
    return h
fifo_dir = os.path.join(WORK, "fifo-crawl")
os.makedirs(fifo_dir)
for name in ("074-pingtan-jingjifazhanju-2021.txt", "075-pingtan-jingjifazhanju-2022.txt", "076-pingtan-jingjifazhanju-2023.txt"):
    shutil.copy(os.path.join(CORPUS, name), fifo_dir)
fifo = os.path.join(fifo_dir, "blocking.txt")
os.mkfifo(fifo)
owner = fnv1a(fifo) % 3 + 1
for k in (1, 2, 3):
    if k == owner:
        continue
    try:
        done = subprocess.run([XXGK, "scan", "--quiet", "--shard", "%d/3" % k, "-o", os.path.join(WORK, "fifo%d.jsonl" % k), fifo_dir],
                              capture_output=True, text=True, timeout=60)
        check(done.returncode in (0, 1) and all(r["id"] != fifo for r in lines(os.path.join(WORK, "fifo%d.jsonl" % k))),
              "share %d/3 scanned without the FIFO" % k)
    except subprocess.TimeoutExpired:
        check(False, "share %d/3 opened a document of another share (it blocked on the FIFO)" % k)
os.remove(fifo)

# 11. Standard input as one document; --summary with results on standard output writes scan.summary.json here.
with open(os.path.join(CORPUS, "076-pingtan-jingjifazhanju-2023.txt"), "rb") as f:
    done = subprocess.run([XXGK, "scan", "--quiet", "--summary", "-"], stdin=f, capture_output=True, cwd=WORK)
records = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
check(len(records) == 1 and records[0]["id"] == "-" and records[0]["status"] == "checked", "scan - reads standard input")
check(os.path.exists(os.path.join(WORK, "scan.summary.json")), "scan --summary with results on standard output writes scan.summary.json")

# 12. merge writes every output a scan can, from the merged lines: the same documents and findings.
parts = []
for k in (1, 2):
    part = os.path.join(WORK, "part%d.jsonl" % k)
    scan(*inputs, "--tables", "--shard", "%d/2" % k, "--no-crossyear", "-o", part)
    parts.append(part)
merged_db, merged_page, merged_book = (os.path.join(WORK, "merged" + ext) for ext in (".sqlite", ".html", ".xlsx"))
scan(*parts, "-o", os.path.join(WORK, "merged.jsonl"), "-o", merged_db, "-o", merged_page, "-o", merged_book, command="merge")
single_db = os.path.join(WORK, "single.sqlite")
scan(*inputs, "--tables", "-o", os.path.join(WORK, "single.jsonl"), "-o", single_db)
def db_rows(path, sql):
    return sorted(sqlite3.connect(path).execute(sql).fetchall())
for sql in ("SELECT id, status, errors, warnings, uncertain FROM documents", "SELECT document_id, rule, status, fingerprint FROM findings",
            "SELECT document_id, table_id, row_id, column_id, value FROM cells", "SELECT rule, status FROM crossyear"):
    check(db_rows(merged_db, sql) == db_rows(single_db, sql), "merge -o .sqlite equals the single scan's database: %s" % sql)
page = open(merged_page, encoding="utf-8").read()
check(page.count("<tr class=\"doc-") == len(full), "merge -o .html lists every document")
check(os.path.getsize(merged_book) > 1000, "merge -o .xlsx writes the workbook")

# 14. The overview's aggregates: by year, level and region in the summary JSON and as SQLite views; the region
# of a body from its name (平潭综合实验区… → 福建 福州).
agg_db, agg_lines = os.path.join(WORK, "agg.sqlite"), os.path.join(WORK, "agg.jsonl")
scan(runs, *inputs, "-o", agg_lines, "-o", agg_db, "--summary")
agg = json.load(open(os.path.join(WORK, "agg.summary.json"), encoding="utf-8"))
records = lines(agg_lines)
pingtan = [r for r in records if r["status"] == "checked" and (r["report"]["agency"] or "").startswith("平潭")]
check(pingtan and all(r["region"] == {"province": "福建", "city": "福州"} for r in pingtan), "the region of 平潭 bodies: 福建 福州")
check(agg["reports_by_province"].get("福建") == sum(1 for r in records if r["status"] == "checked" and (r.get("region") or {}).get("province") == "福建"),
      "summary: reports by province")
con = sqlite3.connect(agg_db)
by_region = {(p, c): n for p, c, n in con.execute("SELECT province, city, reports FROM reports_by_region")}
check(by_region.get(("福建", "福州")) == sum(1 for r in pingtan), "SQLite view reports_by_region: %s" % by_region)
year_errors = {str(y): e for y, e in con.execute("SELECT year, errors FROM findings_by_year")}
check(all(year_errors.get(y, 0) == v["errors"] for y, v in agg["findings_by_year"].items() if y != "unknown"),
      "SQLite view findings_by_year agrees with the summary: %s vs %s" % (year_errors, agg["findings_by_year"]))
check(con.execute("SELECT COUNT(*) FROM findings_by_level").fetchone()[0] >= 1 and
      con.execute("SELECT value FROM meta WHERE key = 'tool.version'").fetchone() is not None, "SQLite: findings_by_level view, tool in meta")
check(agg["tool"]["grammars"].startswith("2019+2021@"), "the summary names the tool and its grammars")

# 13. The progress line on a terminal clears what the line before left (no residue).
import pty
master, slave = pty.openpty()
process = subprocess.Popen([XXGK, "scan", "-o", os.path.join(WORK, "tty.jsonl"), big], stderr=slave, stdout=subprocess.DEVNULL)
os.close(slave)
progress = b""
while True:
    try:
        chunk = os.read(master, 4096)
    except OSError:
        break
    if not chunk:
        break
    progress += chunk
process.wait()
updates = [u for u in progress.split(b"\r") if u.strip()]
check(len(updates) >= 1 and all(u.rstrip(b"\r\n").endswith(b"\x1b[K") for u in updates), "progress lines end with clear-to-end-of-line")

if failures:
    print("%d failures" % len(failures))
    sys.exit(1)
print("scan: all checks passed")
