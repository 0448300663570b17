#!/usr/bin/env python3
"""Builds the libFuzzer targets with clang and runs each for a set time (docs/fuzzing.md).

    run_fuzzers.py [--seconds 60] [--targets ingest,html,...] [--build build-fuzz] [--work fuzz-work]

Seeds come from the repository: corpus/real reports and pages, the grammars, WARC files built from corpus
pages, and the kept regression inputs of tests/fuzz/regressions. Each target's growing corpus stays in
WORK/corpus/TARGET (a later run continues from it); a crash input is written to WORK/crashes/TARGET/ and
makes the run fail. Prints, per target, the time, executions, executions per second and crashes, and writes
the same as WORK/report.json.
"""
import argparse
import glob
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TARGETS = ["ingest", "html", "cells", "grammar", "warc", "check", "documents"]


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def corpus_files(ext):
    return sorted(glob.glob(os.path.join(ROOT, "corpus", "real", "*" + ext)))


def warc_record(uri, body, ctype):
    http = b"HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n" % (ctype, len(body)) + body
    head = ("WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: %s\r\nWARC-Date: 2026-01-15T08:00:00Z\r\n"
            "Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n" % (uri, len(http)))
    return head.encode() + http + b"\r\n\r\n"


def make_seeds(seeds):
    """Seed corpora per target, small inputs first: libFuzzer learns faster from short seeds."""
    texts, pages = corpus_files(".txt"), corpus_files(".html")
    for path in texts + pages:
        data = open(path, "rb").read()
        name = os.path.basename(path)
        write(os.path.join(seeds, "check", name), data)
        write(os.path.join(seeds, "ingest", name), b"\x00" + data)
        write(os.path.join(seeds, "ingest", "gbk-" + name), b"\x00" + data.decode("utf-8").encode("gb18030"))
        if path.endswith(".html"):
            write(os.path.join(seeds, "html", name), data)
        text = data.decode("utf-8", "replace")
        part3 = text.find("三、收到和处理政府信息公开申请情况")
        if part3 >= 0:
            body = text[part3 + len("三、收到和处理政府信息公开申请情况"):]
            write(os.path.join(seeds, "cells", name), b"\x00" + body.encode("utf-8"))
    for i, row in enumerate([b"3960181", b"17000 0 0 17", b"1 2 3 6", b"2020120081", b"12.5 3 0 15.5"]):
        write(os.path.join(seeds, "cells", "split-%d" % i), b"\x01" + bytes([3 + i, i]) + row)
    grammars = sorted(os.listdir(os.path.join(ROOT, "grammars")))  # the embedded set, in name order
    for i, name in enumerate(grammars):
        write(os.path.join(seeds, "grammar", name), bytes([i]) + open(os.path.join(ROOT, "grammars", name), "rb").read())
    records = []
    for path in (texts[:2] + pages[:2]):
        body = open(path, "rb").read()[:6000]
        ctype = b"text/html; charset=utf-8" if path.endswith(".html") else b"text/plain"
        records.append(warc_record("http://example.gov.cn/" + os.path.basename(path), body, ctype))
    write(os.path.join(seeds, "warc", "plain.warc"), b"".join(records))
    write(os.path.join(seeds, "warc", "members.warc.gz"), b"".join(gzip.compress(r, mtime=0) for r in records))
    write(os.path.join(seeds, "warc", "whole.warc.gz"), gzip.compress(b"".join(records), mtime=0))
    for target in TARGETS:
        regressions = os.path.join(ROOT, "tests", "fuzz", "regressions", target)
        os.makedirs(os.path.join(seeds, target), exist_ok=True)
        if os.path.isdir(regressions):
            for name in os.listdir(regressions):
                shutil.copy(os.path.join(regressions, name), os.path.join(seeds, target, "regression-" + name))


def build(build_dir, jobs):
    if not shutil.which("clang++"):
        sys.exit("run_fuzzers: clang++ is needed (Debian: apt-get install clang)")
    subprocess.run(["cmake", "-S", ROOT, "-B", build_dir, "-DCMAKE_CXX_COMPILER=clang++", "-DXXGK_FUZZ=ON",
                    "-DCMAKE_BUILD_TYPE=RelWithDebInfo"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", build_dir, "-j", str(jobs)] +
                   sum((["--target", "fuzz_" + t] for t in TARGETS), []), check=True, stdout=subprocess.DEVNULL)


def run_target(build_dir, work, seeds, target, seconds):
    corpus = os.path.join(work, "corpus", target)
    crashes = os.path.join(work, "crashes", target)
    os.makedirs(corpus, exist_ok=True)
    os.makedirs(crashes, exist_ok=True)
    command = [os.path.join(build_dir, "tests", "fuzz", "fuzz_" + target), corpus, os.path.join(seeds, target),
               "-max_total_time=%d" % seconds, "-print_final_stats=1", "-timeout=30", "-rss_limit_mb=2560",
               "-max_len=65536", "-artifact_prefix=" + crashes + "/", "-close_fd_mask=1"]
    start = time.time()
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    elapsed = time.time() - start
    stats = dict(re.findall(r"^stat::(\w+):\s*(\d+)", done.stdout, re.M))
    found = sorted(os.listdir(crashes))
    result = {"target": target, "seconds": round(elapsed, 1), "executions": int(stats.get("number_of_executed_units", 0)),
              "exec_per_second": int(stats.get("average_exec_per_sec", 0)), "exit_status": done.returncode,
              "crash_inputs": [os.path.join(crashes, f) for f in found]}
    if done.returncode != 0:
        result["log_tail"] = done.stdout[-4000:]
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=60, help="time per target")
    parser.add_argument("--targets", default=",".join(TARGETS))
    parser.add_argument("--build", default=os.path.join(ROOT, "build-fuzz"))
    parser.add_argument("--work", default=os.path.join(ROOT, "fuzz-work"))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--no-build", action="store_true", help="use the targets already built in --build")
    args = parser.parse_args()
    targets = [t for t in args.targets.split(",") if t]
    if not args.no_build:
        build(args.build, args.jobs)
    seeds = os.path.join(args.work, "seeds")
    shutil.rmtree(seeds, ignore_errors=True)
    make_seeds(seeds)
    results = []
    for target in targets:
        r = run_target(args.build, args.work, seeds, target, args.seconds)
        results.append(r)
        print("%-8s %6.0f s %10d runs %7d runs/s  exit %d  crashes %d" % (
            target, r["seconds"], r["executions"], r["exec_per_second"], r["exit_status"], len(r["crash_inputs"])),
            flush=True)
        if r["exit_status"] != 0:
            print(r.get("log_tail", ""), file=sys.stderr)
    with open(os.path.join(args.work, "report.json"), "w") as f:
        json.dump(results, f, indent=2)
    sys.exit(1 if any(r["exit_status"] != 0 or r["crash_inputs"] for r in results) else 0)


if __name__ == "__main__":
    main()
