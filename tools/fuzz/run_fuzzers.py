#!/usr/bin/env python3
"""Builds the libFuzzer targets with clang and fuzzes them, in parallel, for seconds or for hours (docs/fuzzing.md).

    run_fuzzers.py [--seconds N | --hours H] [--targets check,html,...] [--jobs N] [--weights check=2,...]
                   [--work DIR] [--build DIR] [--no-build] [--detach]
    run_fuzzers.py --table [--commit REV | --same-code] [--work DIR]     # the Markdown table of docs/fuzzing.md

Time: every target gets N seconds (or H hours) times its weight (check, html and report, slow per input, weigh 2
by default). Targets run side by side, up to --jobs at once (default: every core), longest first; with more
cores than targets, the heavier targets get several libFuzzer workers (-fork) and their hours count the
workers' time. libFuzzer runs in fork mode: a crash, timeout (30 s) or memory blow-up (2.5 GB) is saved and
fuzzing goes on until the time is up.

Kept between runs, in WORK (default $XXGK_FUZZ_HOME or ~/.cache/xxgk-fuzz, outside the repository):
  corpus/TARGET/       the grown corpus (a later run continues from it)
  crashes/TARGET/      each crash as TARGET-KIND-HASH, its libFuzzer minimisation (.min) and its log (.log)
  runs/STAMP/          per run: report.json, report.md and (with --detach) log.txt
  record.jsonl         one line per target per run: commit, hours, executions, coverage, crash signatures
Seeds (rebuilt each run from the repository: corpus/real, its GBK encoding, part-3 bodies, grammars, WARC files
built from corpus pages, tests/fuzz/regressions) and dictionaries (statutory words from the grammars, HTML,
WARC, TOML and JSON tokens) go to WORK/seeds and WORK/dicts.

--table prints, per target, the hours (workers × wall time), the CPU hours the fuzzers really had, executions, coverage features, crashes found (distinct signatures),
fixed and open — a crash is open when its input still fails the current build of the target (replayed now).
--same-code sums the runs of every commit whose fuzzed code (src, include, grammars, tests/fuzz, the build files)
is HEAD's: hours spent before a change to cli/, tools/ or docs/ still count. Each target's record is written when
it finishes, so a run cut short keeps the targets it finished.
Exit status: 1 when the run found a crash (or, with --table, when one is open).
"""
import argparse
import datetime
import glob
import gzip
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TARGETS = ["ingest", "html", "cells", "grammar", "warc", "check", "documents", "config", "merge", "report"]
WEIGHTS = {"check": 2, "html": 2, "report": 2}  # slow per input: a few hundred executions per second or fewer
FAILURE_KINDS = ("crash", "timeout", "oom", "leak", "slow-unit")


def default_work():
    return os.environ.get("XXGK_FUZZ_HOME") or os.path.join(os.path.expanduser("~"), ".cache", "xxgk-fuzz")


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


# ---------------------------------------------------------------------------------------------------------
# Seeds and dictionaries


def corpus_files(ext):
    return sorted(glob.glob(os.path.join(ROOT, "corpus", "real", "*" + ext)))


def warc_record(uri, body, ctype):
    http = b"HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n" % (ctype, len(body)) + body
    head = ("WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: %s\r\nWARC-Date: 2026-01-15T08:00:00Z\r\n"
            "Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n" % (uri, len(http)))
    return head.encode() + http + b"\r\n\r\n"


def make_seeds(seeds):
    """Seed corpora per target, small inputs first: libFuzzer learns faster from short seeds."""
    shutil.rmtree(seeds, ignore_errors=True)
    texts, pages = corpus_files(".txt"), corpus_files(".html")
    for path in texts + pages:
        data = read(path)
        name = os.path.basename(path)
        write(os.path.join(seeds, "check", name), data)
        write(os.path.join(seeds, "report", name), data)
        write(os.path.join(seeds, "ingest", name), b"\x00" + data)
        write(os.path.join(seeds, "ingest", "gbk-" + name), b"\x00" + data.decode("utf-8").encode("gb18030"))
        if path.endswith(".html"):
            write(os.path.join(seeds, "html", name), data)
        text = data.decode("utf-8", "replace")
        part3 = text.find("三、收到和处理政府信息公开申请情况")
        if part3 >= 0:
            body = text[part3 + len("三、收到和处理政府信息公开申请情况"):]
            write(os.path.join(seeds, "cells", name), b"\x00" + body.encode("utf-8"))
        table = text.find("指标名称")
        if table >= 0:  # a statistics table before 2019, for the indicator reader (first byte 2 mod 4)
            body = text[table + len("指标名称"):table + 2000]
            write(os.path.join(seeds, "cells", "indicators-" + name), b"\x02" + body.encode("utf-8"))
    for i, row in enumerate([b"3960181", b"17000 0 0 17", b"1 2 3 6", b"2020120081", b"12.5 3 0 15.5"]):
        write(os.path.join(seeds, "cells", "split-%d" % i), b"\x01" + bytes([3 + i, i]) + row)
    grammars = sorted(os.listdir(os.path.join(ROOT, "grammars")))  # the embedded set, in name order
    for i, name in enumerate(grammars):
        write(os.path.join(seeds, "grammar", name), bytes([i]) + read(os.path.join(ROOT, "grammars", name)))
    records = []
    for path in (texts[:2] + pages[:2]):
        body = read(path)[:6000]
        ctype = b"text/html; charset=utf-8" if path.endswith(".html") else b"text/plain"
        records.append(warc_record("http://example.gov.cn/" + os.path.basename(path), body, ctype))
    write(os.path.join(seeds, "warc", "plain.warc"), b"".join(records))
    write(os.path.join(seeds, "warc", "members.warc.gz"), b"".join(gzip.compress(r, mtime=0) for r in records))
    write(os.path.join(seeds, "warc", "whole.warc.gz"), gzip.compress(b"".join(records), mtime=0))
    for target in TARGETS:
        os.makedirs(os.path.join(seeds, target), exist_ok=True)
        regressions = os.path.join(ROOT, "tests", "fuzz", "regressions", target)
        os.makedirs(os.path.join(seeds, target), exist_ok=True)
        if os.path.isdir(regressions):
            for name in os.listdir(regressions):
                shutil.copy(os.path.join(regressions, name), os.path.join(seeds, target, "regression-" + name))


HTML_TOKENS = ["<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", "<th>", " colspan=", " rowspan=", "<p>",
               "<div class=\"TRS_Editor\">", "<br>", "<meta charset=gbk>", "<meta charset=utf-8>", "<title>", "</title>",
               "<script>", "</script>", "<!--", "-->", "&nbsp;", "&lt;", "&#", "<span>", "<a href=", "<ul><li>"]
WARC_TOKENS = ["WARC/1.0\r\n", "WARC/1.1\r\n", "WARC-Type: response\r\n", "WARC-Type: resource\r\n", "Content-Length: ",
               "WARC-Target-URI: ", "\r\n\r\n", "HTTP/1.1 200 OK\r\n", "Transfer-Encoding: chunked\r\n",
               "Content-Encoding: gzip\r\n", "Content-Encoding: deflate\r\n", "Content-Type: text/html; charset=gbk\r\n",
               "\x1f\x8b\x08\x00", "ffffffffffffffff", "0\r\n\r\n"]
CONFIG_TOKENS = ["[rules]", "[deadline]", "[money]", "[messages]", "township = ", "tolerance = ", "language = ",
                 "\"off\"", "\"info\"", "\"warning\"", "\"error\"", "nan", "inf", "\"02-29\"", "xxgk.baseline/1",
                 "\"waivers\"", "\"document\"", "\"fingerprint\"", "\"reason\""]
MERGE_TOKENS = ["\"id\":", "\"status\":", "\"checked\"", "\"skipped\"", "\"error\"", "\"year_facts\":", "\"cells\":",
                "\"sentences\":", "\"value\":", "\"inferred\":", "\"line\":", "\"agency\":", "\"year\":", "\"summary\":",
                "\"findings\":", "\"report\":", "1e300", "-2147483648", "18446744073709551616", "null", "\n"]
# PDF objects and the parts of a DOCX package (a zip of WordprocessingML).
DOCUMENT_TOKENS = ["%PDF-1.4", "%%EOF", " 0 obj", "endobj", "stream\n", "endstream", "xref", "trailer", "startxref",
                   "/Type", "/Page", "/Pages", "/Catalog", "/Contents", "/Font", "/ToUnicode", "/Filter",
                   "/FlateDecode", "/Length", "/Kids", "/Count", "/Root", "BT", "ET", "Tj", "TJ", "Td", "Tf",
                   b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06", "word/document.xml", "[Content_Types].xml",
                   "<w:p>", "<w:r>", "<w:t>", "<w:tbl>", "<w:tr>", "<w:tc>", "<w:gridSpan w:val=", "<w:vMerge",
                   "<w:br/>", "<w:tab/>"]


def dictionary_entry(token):
    data = token.encode("utf-8") if isinstance(token, str) else token
    return '"' + "".join(chr(b) if 32 <= b < 127 and chr(b) not in '"\\' else "\\x%02x" % b for b in data) + '"'


def make_dictionaries(dicts):
    """libFuzzer dictionaries: the statutory words of the grammars (every run of CJK characters in them) for the
    targets that read reports, and the tokens of each other format."""
    words = set()
    for path in glob.glob(os.path.join(ROOT, "grammars", "*.xml")):
        text = read(path).decode("utf-8")
        words.update(w for w in re.findall(r"[\u3000-\u303f\u4e00-\u9fff\uff08\uff09（）]{2,12}", text))
        if path.endswith("rules.xml"):
            CONFIG_TOKENS.extend('"%s"' % rule for rule in re.findall(r'<rule id="([^"]+)"', text))
    words = sorted(words, key=lambda w: (len(w), w))[:2000]
    numbers = ["0", "12", "3960181", "12.5", "99999999999999999999", "（一）", "〔2021〕", "件", "万元", "年", "月", "日"]
    grammar_tokens = ["<table ", "<block ", "<row id=", "<column id=", "<sum total=", "<![CDATA[", "<!ENTITY"]
    per_target = {
        "check": words + numbers + HTML_TOKENS, "report": words + numbers + HTML_TOKENS, "cells": words + numbers,
        "html": words + HTML_TOKENS, "ingest": words[:200] + ["<meta charset=", "\xef\xbb\xbf"], "warc": WARC_TOKENS,
        "config": CONFIG_TOKENS, "merge": MERGE_TOKENS + words[:200], "grammar": grammar_tokens + words[:300],
        "documents": DOCUMENT_TOKENS + words[:200],
    }
    for target, tokens in per_target.items():
        write(os.path.join(dicts, target + ".dict"),
              "".join(dictionary_entry(t) + "\n" for t in dict.fromkeys(tokens)).encode("ascii"))


# ---------------------------------------------------------------------------------------------------------
# Building and running


def build(build_dir, jobs, targets):
    if not shutil.which("clang++"):
        sys.exit("run_fuzzers: clang++ is needed (Debian: apt-get install clang)")
    subprocess.run(["cmake", "-S", ROOT, "-B", build_dir, "-DCMAKE_CXX_COMPILER=clang++", "-DXXGK_FUZZ=ON",
                    "-DCMAKE_BUILD_TYPE=RelWithDebInfo"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", build_dir, "-j", str(jobs)] + sum((["--target", "fuzz_" + t] for t in targets), []),
                   check=True, stdout=subprocess.DEVNULL)
    # What the binaries were built from: a later --no-build run credits its hours to this code, not to HEAD's.
    write(os.path.join(build_dir, CODE_STAMP), git_commit()[1].encode())


CODE_STAMP = "fuzzed-code"  # in the build folder: the code identity the fuzz binaries were built from


def built_code(build_dir):
    try:
        return read(os.path.join(build_dir, CODE_STAMP)).decode().strip() or None
    except OSError:
        return None


def binary(build_dir, target):
    return os.path.join(build_dir, "tests", "fuzz", "fuzz_" + target)


# What the fuzz targets are built from. Two commits with the same content here fuzz the same code, so their
# hours add up (`--table --same-code`); a change elsewhere (cli/, tools/, docs/) does not reset them.
FUZZED_PATHS = ["src", "include", "grammars", "tests/fuzz", "CMakeLists.txt", "cmake"]
# Inputs kept beside the targets, not code: adding a regression input does not start the count again.
NOT_CODE = [":(exclude)tests/fuzz/regressions", ":(exclude)tests/fuzz/pending"]


def git(*args):
    return subprocess.run(["git", "-C", ROOT, *args], capture_output=True, text=True, check=True).stdout.strip()


def code_of(commit):
    """The identity of the fuzzed code at `commit`: a hash of its tree entries under FUZZED_PATHS."""
    listing = "\n".join(line for line in git("ls-tree", "-r", commit, "--", *FUZZED_PATHS).splitlines()
                         if not line.split("\t", 1)[-1].startswith(("tests/fuzz/regressions/", "tests/fuzz/pending/")))
    return hashlib.sha1(listing.encode()).hexdigest()[:12]


def git_commit():
    """(commit, code): HEAD, and the identity of the fuzzed code; both end in +dirty when the working tree's
    fuzzed files differ from HEAD's (such runs count for no commit)."""
    try:
        head = git("rev-parse", "--short=12", "HEAD")
        dirty = "+dirty" if git("status", "--porcelain", "--untracked-files=no", "--", *FUZZED_PATHS, *NOT_CODE) else ""
        return head + dirty, code_of(head) + dirty
    except (OSError, subprocess.CalledProcessError):
        return "unknown", "unknown"


CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
STATS = re.compile(r"^#(\d+):?\s+(?:[A-Z]+\s+)?cov: (\d+) ft: (\d+) corp: (\d+)", re.M)


class Job:
    """One target's libFuzzer process (fork mode, with `forks` workers), for `seconds`."""

    def __init__(self, target, seconds, forks, args, work, dicts, seeds):
        self.target, self.seconds, self.forks = target, seconds, forks
        self.corpus = os.path.join(work, "corpus", target)
        self.crashes = os.path.join(work, "crashes", target)
        self.scratch = os.path.join(work, "scratch", target)  # artifacts land here first, then get their names
        for d in (self.corpus, self.crashes, self.scratch):
            os.makedirs(d, exist_ok=True)
        self.log_path = os.path.join(work, "scratch", target + ".log")
        self.command = [binary(args.build, target), self.corpus, os.path.join(seeds, target),
                        "-fork=%d" % forks, "-ignore_crashes=1", "-ignore_timeouts=1", "-ignore_ooms=1",
                        "-max_total_time=%d" % max(1, seconds), "-timeout=30", "-rss_limit_mb=2560", "-max_len=65536",
                        *(["-dict=" + os.path.join(dicts, target + ".dict")] if os.path.exists(os.path.join(dicts, target + ".dict")) else []), "-artifact_prefix=" + self.scratch + "/",
                        "-close_fd_mask=1", "-print_final_stats=1", "-print_funcs=0"]
        self.process = None
        self.start = self.end = self.interrupted_at = self.cpu_seconds = None
        self.sampled_at = 0.0

    def launch(self, nice):
        self.log = open(self.log_path, "wb")
        self.start = time.time()
        self.process = subprocess.Popen(self.command, stdout=self.log, stderr=subprocess.STDOUT, cwd=self.scratch,
                                        env=SANITIZER_ENV, start_new_session=True, preexec_fn=(lambda: os.nice(nice)) if nice else None)

    def sample_cpu(self):
        """The CPU time the job's processes have had so far: on a shared machine its wall time overstates the
        fuzzing. Every process of its group (the fork-mode parent, its shells and workers) with the time of the
        children it reaped; a worker's time moves into its parent's when it ends, so the sum only grows."""
        total = 0.0
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open("/proc/%s/stat" % pid) as f:
                    stat = f.read()
            except OSError:
                continue
            fields = stat[stat.rfind(")") + 2:].split()
            if int(fields[2]) == self.process.pid:
                total += sum(int(fields[i]) for i in (11, 12, 13, 14)) / CLOCK_TICKS
        self.cpu_seconds = max(self.cpu_seconds or 0.0, total)

    def poll(self):
        if self.process.returncode is None:
            try:
                pid, status, usage = os.wait4(self.process.pid, os.WNOHANG)
            except ChildProcessError:  # reaped elsewhere: its status is unknown, not 0
                pid, status, usage = self.process.pid, None, None
            if pid == 0:
                if time.time() - self.sampled_at >= 10:
                    self.sample_cpu()
                    self.sampled_at = time.time()
                return False
            self.process.returncode = os.waitstatus_to_exitcode(status) if status is not None else -1
            if usage:  # the whole tree, where its workers were waited for
                self.cpu_seconds = max(self.cpu_seconds or 0.0, usage.ru_utime + usage.ru_stime)
        self.end = time.time()
        self.log.close()
        return True

    def interrupt(self):
        if self.process and self.process.returncode is None and not self.interrupted_at:
            self.interrupted_at = time.time()
            os.killpg(self.process.pid, signal.SIGINT)  # libFuzzer writes its figures and exits

    def kill_if_deaf(self, grace=15):
        """A fork-mode parent may outlive SIGINT (its workers stop, it starts new ones): then it is killed."""
        if self.interrupted_at and time.time() - self.interrupted_at > grace and self.process.returncode is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            shutil.rmtree("/tmp/libFuzzerTemp.FuzzWithFork%d.dir" % self.process.pid, ignore_errors=True)

    def result(self):
        text = read(self.log_path).decode("utf-8", "replace")
        stats = STATS.findall(text)
        last = stats[-1] if stats else ("0", "0", "0", "0")
        return {"target": self.target, "seconds": round(self.end - self.start, 1), "workers": self.forks,
                "cpu_hours": round((self.end - self.start) * self.forks / 3600, 4),
                "cpu_seconds_used": round(self.cpu_seconds, 1) if self.cpu_seconds is not None else None,
                "executions": int(last[0]),
                "coverage": int(last[1]), "features": int(last[2]), "corpus": len(os.listdir(self.corpus)),
                "exit_status": self.process.returncode, "log_tail": text[-3000:]}


def failure_kind(name):
    for kind in FAILURE_KINDS:
        if name.startswith(kind + "-"):
            return kind
    return None


def short_function(name):
    """`ns::f<T, U>(args)` → `ns::f`: templates and arguments say nothing a file and line do not."""
    depth, out = 0, ""
    for c in name.split("(")[0]:
        depth += (c == "<") - (c == ">")
        if depth == 0 and c != ">":
            out += c
    return out


def signature(log, kind):
    """What a failure is, independent of the input: its kind and the first frames of ours on its stack."""
    summary = re.search(r"^SUMMARY: \w+: (\S+)", log, re.M)
    what = summary.group(1) if summary else kind
    thrown = re.search(r"terminate called after throwing an instance of '([^']+)'\s*\n\s*what\(\):\s*(\[[^\]]+\])?", log)
    if thrown:
        what = "uncaught " + short_function(thrown.group(1)) + (" " + thrown.group(2) if thrown.group(2) else "")
    ubsan = re.search(r"^(\S+?):(\d+):\d+: runtime error: ([a-z -]+)", log, re.M)
    if ubsan:
        what = "ubsan: " + ubsan.group(3).strip()
    frames = [(fn, path, line) for fn, path, line in
              re.findall(r"^\s*#\d+ 0x[0-9a-f]+ in (.+?) (/\S+?):(\d+)(?::\d+)?\s*$", log, re.M)
              if os.path.abspath(path).startswith(ROOT + os.sep)]
    ours = ["%s %s:%s" % (short_function(fn), os.path.relpath(path, ROOT), line) for fn, path, line in frames[:3]]
    if not ours and ubsan:
        ours = ["%s:%s" % (ubsan.group(1), ubsan.group(2))]
    if not ours and kind in ("timeout", "oom", "slow-unit"):
        ours = [kind]
    return what + " at " + (" < ".join(ours) if ours else "an unknown place")


# A timeout or slow unit that runs at normal speed when replayed alone: the fuzzer was starved of CPU (the machine is
# shared), not a defect. Kept with its log, but not counted as a crash (in the run's exit status or the table).
FLAKY = " that did not fail again on replay (flaky)"
# Any other failure that does not come back alone (state from earlier inputs, a leak only a long run shows) still
# counts.
NOT_REPRODUCED = " that did not fail again on replay (not reproduced)"

# UBSan prints no stack by default; the signature needs one.
SANITIZER_ENV = dict(os.environ, UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:" + os.environ.get("UBSAN_OPTIONS", ""))


SLOW_UNIT_SECONDS = 10  # libFuzzer's -report_slow_units default
TIMEOUT_SECONDS = 30    # -timeout of the runs


def replay(build_dir, target, path, timeout=120):
    """Runs one input through the target; returns (fails, log, seconds)."""
    start = time.time()
    try:
        done = subprocess.run([binary(build_dir, target), path, "-timeout=%d" % TIMEOUT_SECONDS, "-rss_limit_mb=2560"],
                              capture_output=True, text=True, errors="replace", timeout=timeout, env=SANITIZER_ENV)
        return done.returncode != 0, done.stderr + done.stdout, time.time() - start
    except subprocess.TimeoutExpired:
        return True, "ERROR: libFuzzer: timeout (the replay passed %d s)" % timeout, time.time() - start


def starved(kind, seconds):
    """A timeout or slow unit whose replay alone runs in well under the limit it broke: the fuzzer was starved of
    CPU, not the input slow."""
    return (kind == "slow-unit" and seconds < SLOW_UNIT_SECONDS / 2) or (kind == "timeout" and seconds < TIMEOUT_SECONDS / 2)


def known_signatures(work):
    """Signatures of the crashes kept so far (from the record), with the input kept for each."""
    known = {}
    path = os.path.join(work, "record.jsonl")
    if os.path.exists(path):
        for line in open(path):
            if line.strip():
                for c in json.loads(line).get("crashes", []):
                    if os.path.exists(c["input"]):
                        known.setdefault(c["signature"], c)
    return known


def collect_crashes(job, build_dir, known):
    """Names each new artifact TARGET-KIND-HASH, replays it for its signature and keeps one input per signature
    (fork mode finds the same crash again and again), minimised where libFuzzer can, with its log."""
    found = {}
    for name in sorted(os.listdir(job.scratch), key=lambda n: os.path.getsize(os.path.join(job.scratch, n))):
        kind = failure_kind(name)
        source = os.path.join(job.scratch, name)
        if not kind or not os.path.isfile(source):
            continue
        data = read(source)
        fails, log, seconds = replay(build_dir, job.target, source)
        if kind == "slow-unit" and not fails and not starved(kind, seconds):
            fails = True  # slow every time: the replay does not fail on slowness, its clock says it
            log = "slow unit: the replay alone took %.1f s (libFuzzer's limit %d s)\n\n%s" % (seconds, SLOW_UNIT_SECONDS, log)
        if fails:
            sig = signature(log, kind)
        elif starved(kind, seconds):
            sig = kind + FLAKY
        else:
            sig = kind + NOT_REPRODUCED
        if sig not in found and sig in known:  # found by an earlier run: still open, its input is kept already
            found[sig] = {k: known[sig].get(k) for k in ("input", "minimised", "signature")}
            found[sig].update(reproduces=fails, size=len(data), hits=0, earlier=True)
        if sig in found:
            found[sig]["hits"] += 1
            os.remove(source)  # the smallest input of the signature is kept (inputs are taken smallest first)
            continue
        base = os.path.join(job.crashes, "%s-%s-%s" % (job.target, kind, hashlib.sha1(data).hexdigest()[:12]))
        shutil.move(source, base)
        minimised = base + ".min"
        if fails and kind == "crash":
            subprocess.run([binary(build_dir, job.target), base, "-minimize_crash=1", "-max_total_time=60",
                            "-exact_artifact_path=" + minimised, "-timeout=30", "-rss_limit_mb=2560"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=job.scratch, env=SANITIZER_ENV)
        write(base + ".log", (sig + "\n\n" + log).encode())
        found[sig] = {"input": base, "minimised": minimised if os.path.exists(minimised) else None, "signature": sig,
                      "reproduces": fails, "size": len(data), "hits": 1}
    return list(found.values())


def run(args):
    targets = [t for t in args.targets.split(",") if t]
    weights = dict(WEIGHTS)
    for item in filter(None, args.weights.split(",")):
        name, _, value = item.partition("=")
        weights[name] = float(value)
    base_seconds = args.hours * 3600 if args.hours is not None else args.seconds
    if not args.no_build:
        build(args.build, args.jobs, targets)
    seeds, dicts = os.path.join(args.work, "seeds"), os.path.join(args.work, "dicts")
    make_seeds(seeds)
    make_dictionaries(dicts)
    # Logs of the last run go; artifacts a run cut short left in scratch/TARGET stay, to be collected this time.
    for old_log in glob.glob(os.path.join(args.work, "scratch", "*.log")):
        os.remove(old_log)
    # Workers: one per target; cores left over go to the heaviest targets.
    forks = {t: 1 for t in targets}
    spare = max(0, args.jobs - len(targets))
    for t in sorted(targets, key=lambda t: -weights.get(t, 1)) * spare:
        if spare == 0:
            break
        forks[t] += 1
        spare -= 1
    pending = sorted((Job(t, int(base_seconds * weights.get(t, 1)), forks[t], args, args.work, dicts, seeds) for t in targets),
                     key=lambda j: -j.seconds)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    run_dir = os.path.join(args.work, "runs", stamp)
    os.makedirs(run_dir, exist_ok=True)
    commit, code = git_commit()
    if args.no_build:
        built = built_code(args.build)
        if built is None:
            print("run_fuzzers: %s has no %s stamp: these hours count for no code (build with the runner)" % (
                args.build, CODE_STAMP), flush=True)
            code = "unknown"
        elif built != code:
            print("run_fuzzers: the binaries in %s were built from code %s, not HEAD's %s: the hours are theirs" % (
                args.build, built, code), flush=True)
            code = built
    print("run %s (commit %s): %s; %d cores; corpora in %s" % (
        stamp, commit, ", ".join("%s %ds×%d" % (j.target, j.seconds, j.forks) for j in pending), args.jobs,
        os.path.join(args.work, "corpus")), flush=True)

    stopping = []
    def stop(signum, frame):
        stopping.append(signum)
        for j in running:
            j.interrupt()
    running, results = [], []
    known = known_signatures(args.work)
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while pending or running:
        while pending and not stopping and sum(j.forks for j in running) + pending[0].forks <= max(args.jobs, pending[0].forks):
            job = pending.pop(0)
            job.launch(args.nice)
            running.append(job)
        time.sleep(1)
        for job in running:
            job.kill_if_deaf()
        for job in [j for j in running if j.poll()]:
            running.remove(job)
            r = job.result()
            r["crashes"] = collect_crashes(job, args.build, known)
            known.update((c["signature"], c) for c in r["crashes"])
            results.append(r)
            # Recorded at once: a run cut short (the machine stopped, the process killed) keeps what finished.
            with open(os.path.join(args.work, "record.jsonl"), "a") as f:
                line = {k: v for k, v in r.items() if k not in ("log_tail", "crashes")}
                line.update(run=stamp, commit=commit, code=code, code_of_binaries=True, crashes=[
                    {"signature": c["signature"], "input": c["input"], "minimised": c["minimised"]} for c in r["crashes"]])
                f.write(json.dumps(line) + "\n")
            print("%-8s %7.0f s ×%d %11d runs %6d cov %7d ft %6d inputs  crashes %d" % (
                r["target"], r["seconds"], r["workers"], r["executions"], r["coverage"], r["features"], r["corpus"],
                len(r["crashes"])), flush=True)
            for c in r["crashes"]:
                print("    %s (%d times)\n      %s" % (c["minimised"] or c["input"], c["hits"], c["signature"]), flush=True)
        if stopping and not running:
            break

    report = {"run": stamp, "commit": commit, "code": code, "seconds_per_target": base_seconds, "weights": weights, "jobs": args.jobs,
              "interrupted": bool(stopping), "targets": results}
    with open(os.path.join(run_dir, "report.json"), "w") as f:
        json.dump(report, f, indent=2)
    with open(os.path.join(run_dir, "report.md"), "w") as f:
        f.write("Run %s, commit %s\n\n| target | hours | executions | coverage (cov) | features (ft) | corpus | crashes |\n"
                "|---|---|---|---|---|---|---|\n" % (stamp, commit))
        for r in results:
            f.write("| `%s` | %.2f | %s | %s | %s | %s | %d |\n" % (r["target"], r["cpu_hours"], f"{r['executions']:,}",
                                                                     r["coverage"], r["features"], r["corpus"], len(r["crashes"])))
    print("report: %s" % os.path.join(run_dir, "report.md"), flush=True)
    failed = [r for r in results if any(not c["signature"].endswith(FLAKY) for c in r["crashes"]) or
              (r["exit_status"] not in (0, -signal.SIGINT) and not stopping)]
    for r in failed:
        if all(c["signature"].endswith(FLAKY) for c in r["crashes"]):
            print("%s: libFuzzer exited with %d:\n%s" % (r["target"], r["exit_status"], r["log_tail"]), file=sys.stderr)
    return 1 if failed else 0


# ---------------------------------------------------------------------------------------------------------
# The table of docs/fuzzing.md


def table(args):
    path = os.path.join(args.work, "record.jsonl")
    if not os.path.exists(path):
        sys.exit("run_fuzzers: no record in %s yet" % args.work)
    records = [json.loads(line) for line in open(path) if line.strip()]
    if args.commit:
        records = [r for r in records if r["commit"].split("+")[0].startswith(args.commit)]
    if args.same_code:
        # Runs of any commit whose fuzzed code is the working tree's (records before "code" existed: from git).
        head_commit, head_code = git_commit()
        if head_code.endswith("+dirty"):
            sys.exit("run_fuzzers: --same-code needs the fuzzed files (%s) committed" % ", ".join(FUZZED_PATHS))
        codes = {}
        def code(r):
            # What the binaries were built from, where the run recorded it; else from git by the run's commit (so
            # that the identity's definition holds for old runs too); runs of a dirty tree count for no code.
            if r.get("code_of_binaries"):
                return r.get("code")
            commit = r["commit"]
            if "+" in commit:
                return None
            if commit not in codes:
                try:
                    codes[commit] = code_of(commit)
                except subprocess.CalledProcessError:
                    codes[commit] = r.get("code")
            return codes[commit]
        records = [r for r in records if code(r) == head_code]
        if not records:
            sys.exit("run_fuzzers: no run on this code (%s) yet" % head_code)
        print("Runs on the fuzzed code of %s (%s): %s\n" % (head_commit, head_code, ", ".join(
            sorted({r["commit"] for r in records}))))
    targets = [t for t in TARGETS if any(r["target"] == t for r in records)]
    targets += sorted({r["target"] for r in records} - set(targets))
    print("| target | hours | CPU hours | executions | coverage features | crashes found | fixed | open |")
    print("|---|---|---|---|---|---|---|---|")
    any_open = False
    for t in targets:
        mine = [r for r in records if r["target"] == t]
        crashes = {}
        for r in mine:
            for c in r["crashes"]:
                if not c["signature"].endswith(FLAKY):  # slow only while the machine was busy: no defect
                    crashes.setdefault(c["signature"], c)
        still = 0
        for c in crashes.values():
            probe = c["minimised"] if c.get("minimised") and os.path.exists(c["minimised"]) else c["input"]
            if os.path.exists(probe) and os.path.exists(binary(args.build, t)):
                fails, _, seconds = replay(args.build, t, probe)
                kind = failure_kind(os.path.basename(c["input"])[len(t) + 1:]) or ""  # TARGET-KIND-HASH
                still += fails or (kind == "slow-unit" and not starved(kind, seconds))
            else:
                still += 1  # cannot tell: count it open
        any_open |= still > 0
        hours = sum(r["cpu_hours"] for r in mine)
        # CPU hours where the run measured them (runs before that: their wall hours).
        cpu = sum(r["cpu_seconds_used"] / 3600 if r.get("cpu_seconds_used") is not None else r["cpu_hours"] for r in mine)
        print("| `%s` | %.2f | %.2f | %s | %s | %d | %d | %d |" % (t, hours, cpu, f"{sum(r['executions'] for r in mine):,}",
                                                           f"{max(r['features'] for r in mine):,}", len(crashes),
                                                           len(crashes) - still, still))
    return 1 if any_open else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    budget = parser.add_mutually_exclusive_group()
    budget.add_argument("--seconds", type=float, default=60, help="time per target of weight 1 (default 60)")
    budget.add_argument("--hours", type=float, help="time per target of weight 1, in hours")
    parser.add_argument("--targets", default=",".join(TARGETS))
    parser.add_argument("--weights", default="", help="TARGET=W,... over the defaults (check, html, report: 2)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="cores to use (default: all)")
    parser.add_argument("--work", default=default_work(), help="corpora, crashes, reports and the record (default %(default)s)")
    parser.add_argument("--build", default=os.path.join(ROOT, "build-fuzz"))
    parser.add_argument("--no-build", action="store_true", help="use the targets already built in --build")
    parser.add_argument("--nice", type=int, default=10, help="niceness of the fuzzers (default 10: a shared machine)")
    parser.add_argument("--detach", action="store_true", help="run in the background; prints where the log goes")
    parser.add_argument("--table", action="store_true", help="print the Markdown table of docs/fuzzing.md from the record")
    parser.add_argument("--commit", help="with --table: only runs of this commit (a prefix)")
    parser.add_argument("--same-code", action="store_true",
                        help="with --table: only runs on the fuzzed code of HEAD (same %s), whatever the commit" % ", ".join(FUZZED_PATHS))
    args = parser.parse_args()
    args.work = os.path.abspath(os.path.expanduser(args.work))
    args.build = os.path.abspath(args.build)
    if args.table:
        sys.exit(table(args))
    if args.detach:
        stamp = datetime.datetime.now().strftime("%Y%m%dT%H%M%S")
        log = os.path.join(args.work, "runs", "detached-%s.log" % stamp)
        os.makedirs(os.path.dirname(log), exist_ok=True)
        command = [sys.executable, os.path.abspath(__file__)] + [a for a in sys.argv[1:] if a != "--detach"]
        with open(log, "wb") as out:
            child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     start_new_session=True)
        print("running in the background: pid %d, log %s (stop it early with: kill -INT %d)" % (child.pid, log, child.pid))
        return
    os.makedirs(args.work, exist_ok=True)
    sys.exit(run(args))


if __name__ == "__main__":
    main()
