#!/usr/bin/env python3
"""The Python module against the command line, as ratios measured in one run (docs/library.md).

    PYTHONPATH=build/python /usr/bin/python3 tools/bench/bench_python.py --xxgk build/cli/xxgk --corpus corpus/real
                                                                         [--passes 3] [--repeat 4]

On the corpus's reports (repeated --repeat times), in turns, pass by pass (this machine changes speed over
seconds, so only ratios measured side by side mean anything):
  - cli:       `xxgk check --format json` over all files in one process (reading and writing JSON lines), once per
               repeat;
  - python:    Checker.check(path) for each file in one thread, results parsed into dicts;
  - threads:   the same on 4 Python threads sharing one Checker (the GIL is released while checking).
Prints documents per second and the ratios python/cli and threads/python (per pass and the median).
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import xxgk


def timed(run):
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--xxgk", required=True)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=4, help="times each report is checked per pass")
    args = parser.parse_args()
    args.xxgk, args.corpus = os.path.abspath(args.xxgk), os.path.abspath(args.corpus)  # run from a scratch folder

    reports = sorted(os.path.join(args.corpus, f) for f in os.listdir(args.corpus) if f.endswith((".txt", ".html")))
    paths = reports * args.repeat  # WHY the CLI runs once per repeat: it checks a path named twice only once
    checker = xxgk.Checker(lang="en")
    here = tempfile.mkdtemp()  # no xxgk.toml to find

    def cli():
        for _ in range(args.repeat):
            done = subprocess.run([args.xxgk, "check", "--format", "json", "--lang", "en"] + reports, cwd=here,
                                  stdout=subprocess.PIPE, check=False)
            if done.returncode not in (0, 1) or done.stdout.count(b"\n") != len(reports):
                raise SystemExit("xxgk check failed (exit %d)" % done.returncode)

    def python():
        for p in paths:
            checker.check(p).to_dict()

    def threads():
        def work(share):
            for p in share:
                checker.check(p).to_dict()
        pool = [threading.Thread(target=work, args=(paths[i::4],)) for i in range(4)]
        for t in pool:
            t.start()
        for t in pool:
            t.join()

    ratios_cli, ratios_threads = [], []
    print("%d documents per measurement, %d CPUs" % (len(paths), os.cpu_count()))
    for n in range(1, args.passes + 1):
        t_cli, t_py, t_threads = timed(cli), timed(python), timed(threads)
        ratios_cli.append(t_cli / t_py)
        ratios_threads.append(t_py / t_threads)
        print("pass %d: cli %.0f docs/s, python %.0f docs/s, 4 threads %.0f docs/s; python/cli %.2f, 4 threads/1 %.2f"
              % (n, len(paths) / t_cli, len(paths) / t_py, len(paths) / t_threads, ratios_cli[-1], ratios_threads[-1]))
    print("median: python/cli %.2f, 4 threads/1 thread %.2f" % (statistics.median(ratios_cli), statistics.median(ratios_threads)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
