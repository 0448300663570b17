#!/usr/bin/env python3
"""Benchmark of `xxgk scan` on a replicated corpus, as ratios measured in one run (README, Performance).

    bench_scan.py --xxgk build/cli/xxgk --bench-check build/tools/bench/bench_check --corpus corpus/real
                  [--gigabytes 1.0] [--work /tmp/xxgk-bench]

Builds a tar of the corpus's reports repeated until it holds --gigabytes (each copy under its own folder, so
every document has its own id), then measures on this machine, in one run:
  - the floor: reading the archive's bytes;
  - single-document checks of the corpus files (bench_check, in memory), scaled to the archive;
  - xxgk scan --jobs 1 and --jobs 2 on the archive: wall time, MB/s, documents/s, peak RSS;
  - peak RSS of --jobs 2 on an archive a quarter the size, to show memory does not grow with the archive.
Targets (issue 17): --jobs 2 at least 1.9x --jobs 1; the scan within 1.15x of the single-document checks of the
same documents (--jobs 1 against them, --jobs 2 against half of them); peak RSS independent of archive size.
"""
import argparse
import io
import json
import os
import re
import resource
import subprocess
import tarfile
import time


def build_tar(corpus, path, target_bytes):
    files = sorted(f for f in os.listdir(corpus) if f.endswith((".txt", ".html")))
    contents = [(f, open(os.path.join(corpus, f), "rb").read()) for f in files]
    per_copy = sum(len(c) for _, c in contents)
    copies = max(1, int(target_bytes // per_copy) + 1)
    if os.path.exists(path) and os.path.getsize(path) >= target_bytes:
        return copies, len(files) * copies
    with tarfile.open(path, "w") as tar:
        for k in range(copies):
            for name, data in contents:
                info = tarfile.TarInfo("copy%05d/%s" % (k, name))
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return copies, len(files) * copies


def read_floor(path):
    start = time.perf_counter()
    with open(path, "rb") as f:
        while f.read(1 << 20):
            pass
    return time.perf_counter() - start


def scan_in_child(xxgk, archive, jobs, out):
    """Wall time and peak RSS (MB) of one scan, measured by /usr/bin/time in a child of its own."""
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", xxgk, "scan", "--quiet", "--jobs", str(jobs), "-o", out, archive],
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    # Exit status 1 is findings at or above --fail-on (the corpus has proven errors), not a failed scan.
    if done.returncode not in (0, 1):
        raise SystemExit("scan --jobs %d failed with status %d:\n%s" % (jobs, done.returncode, done.stderr))
    rss_kb = int(done.stderr.strip().splitlines()[-1])
    return elapsed, rss_kb / 1024


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--xxgk", required=True)
    p.add_argument("--bench-check", required=True)
    p.add_argument("--corpus", required=True)
    p.add_argument("--gigabytes", type=float, default=1.0)
    p.add_argument("--work", default="/tmp/xxgk-bench")
    args = p.parse_args()
    os.makedirs(args.work, exist_ok=True)

    big = os.path.join(args.work, "corpus-%.2fGB.tar" % args.gigabytes)
    small = os.path.join(args.work, "corpus-%.2fGB.tar" % (args.gigabytes / 4))
    copies, documents = build_tar(args.corpus, big, args.gigabytes * 1e9)
    small_copies, small_documents = build_tar(args.corpus, small, args.gigabytes * 1e9 / 4)
    size_mb = os.path.getsize(big) / 1e6
    small_mb = os.path.getsize(small) / 1e6

    # Single-document checks of the same files, in memory, one core.
    bench = subprocess.run([args.bench_check, "--check-only", "--seconds", "10", args.corpus], check=True,
                           capture_output=True, text=True).stdout
    docs_per_s = float(re.search(r"([\d.]+) documents/s", bench).group(1))
    single_total = documents / docs_per_s

    floor = read_floor(big)
    out = os.path.join(args.work, "out.jsonl")
    t1, rss1 = scan_in_child(args.xxgk, big, 1, out)
    t2, rss2 = scan_in_child(args.xxgk, big, 2, out)
    ts, rss_small = scan_in_child(args.xxgk, small, 2, out)
    lines = sum(1 for _ in open(out, "rb"))

    result = {
        "archive": {"path": big, "MB": round(size_mb, 1), "documents": documents, "copies_of_corpus": copies},
        "read floor": {"seconds": round(floor, 2), "MB/s": round(size_mb / floor, 1)},
        "single-document checks (bench_check, scaled)": {"documents/s": docs_per_s, "seconds": round(single_total, 1)},
        "scan --jobs 1": {"seconds": round(t1, 1), "MB/s": round(size_mb / t1, 2), "documents/s": round(documents / t1),
                          "x floor": round(t1 / floor, 1), "peak RSS MB": round(rss1, 1)},
        "scan --jobs 2": {"seconds": round(t2, 1), "MB/s": round(size_mb / t2, 2), "documents/s": round(documents / t2),
                          "x floor": round(t2 / floor, 1), "peak RSS MB": round(rss2, 1)},
        "scan --jobs 2, quarter archive": {"MB": round(small_mb, 1), "documents": small_documents,
                                           "seconds": round(ts, 1), "peak RSS MB": round(rss_small, 1)},
        "scaling 1 -> 2 jobs": round(t1 / t2, 2),
        "scan --jobs 1 / single checks": round(t1 / single_total, 3),
        "scan --jobs 2 / (single checks / 2)": round(t2 / (single_total / 2), 3),
        "targets": {"scaling >= 1.9": t1 / t2 >= 1.9,
                    "scan --jobs 1 within 1.15x single checks": t1 <= single_total * 1.15,
                    "scan --jobs 2 within 1.15x single checks / 2": t2 <= single_total / 2 * 1.15,
                    "peak RSS independent of archive size (within 20%)": rss2 <= rss_small * 1.2},
        "records written (quarter archive)": lines,
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
