#!/usr/bin/env python3
"""Instructions per stage of `xxgk check`, counted by callgrind (README, Performance).

    count_instructions.py XXGK [XXGK_B] -- FILE... [--format json] [--keep DIR]

Runs `XXGK check --format json FILE...` under valgrind's callgrind and prints, per stage, the instructions spent
in it (inclusive), per megabyte of input and as a share of the per-document work. With a second executable
XXGK_B (another build, e.g. of the commit before a change), both are counted on the same files and put side by
side with their ratio.

WHY instructions: this machine is shared and changes speed over seconds; wall and CPU times of two builds only
compare when measured taking turns, and small steps (a few per cent) drown in that noise. Instruction counts are
the same on every run; they do not see cache misses or what SHA-NI saves (callgrind hides CPU extensions, so
SHA-256 counts several times what it costs natively). Times stay with tools/bench/bench_check.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

# Stages: (name, function as callgrind names it, without arguments). Inclusive counts; the first two are the
# once-per-process start and the per-document check, the rest parts of them.
STAGES = [
    ("start (grammars, tables, patterns)", "xxgk::Checker::create"),
    ("check (every document)", "xxgk::Checker::check"),
    ("  decoding", "xxgk::ingest::decode"),
    ("  SHA-256 (input and body fingerprint)", "xxgk::sha256_hex"),
    ("  HTML rendering (gumbo's parse included)", "xxgk::html::render"),
    ("    gumbo's parse", "gumbo_parse_with_options"),
    ("  normalisation", "xxgk::Normalizer::normalize_document"),
    ("  parts and headings", "xxgk::sections::find_parts"),
    ("  the page's own facts", "xxgk::sections::extract_meta"),
    ("  tables", "xxgk::tables::TableBuilder::build"),
    ("  classification", "xxgk::classify::classify"),
    ("  checks", "xxgk::checks::run_all"),
    ("JSON output", "xxgk::write_check_json"),
]


def count(xxgk, files, keep):
    out = os.path.join(keep, "callgrind.%s.out" % re.sub(r"\W", "_", os.path.abspath(xxgk)))
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out, xxgk, "check", "--format", "json"] + files
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    total = re.search(r"refs:\s+([\d,]+)", result.stderr)
    if not total:
        sys.exit("count_instructions: callgrind gave no count:\n" + result.stderr[-2000:])
    annotate = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", out],
                              capture_output=True, text=True, check=True).stdout
    counts = {"total": int(total.group(1).replace(",", ""))}
    for line in annotate.splitlines():
        m = re.match(r"\s*([\d,]+)\s+\([\s\d.]+%\)\s+\S*?:(.*?)(?:\(| \[|$)", line)
        if not m:
            continue
        name = re.sub(r"\[abi:\w+\]", "", m.group(2)).strip()
        for _, function in STAGES:
            # The first (largest) line of a function is its inclusive count; recursion adds lines marked '2.
            if name == function and function not in counts:
                counts[function] = int(m.group(1).replace(",", ""))
    return counts


def main():
    argv = sys.argv[1:]
    if "--" not in argv:
        sys.exit(__doc__)
    split = argv.index("--")
    executables, rest = argv[:split], argv[split + 1:]
    parser = argparse.ArgumentParser(usage=__doc__)
    parser.add_argument("files", nargs="+")
    parser.add_argument("--keep", help="keep callgrind's output files in this folder")
    args = parser.parse_args(rest)
    if not 1 <= len(executables) <= 2:
        sys.exit(__doc__)
    if not shutil.which("valgrind") or not shutil.which("callgrind_annotate"):
        sys.exit("count_instructions: needs valgrind (apt-get install valgrind)")
    keep = args.keep or tempfile.mkdtemp(prefix="xxgk-callgrind-")
    os.makedirs(keep, exist_ok=True)
    megabytes = sum(os.path.getsize(f) for f in args.files) / 1e6
    runs = [count(x, args.files, keep) for x in executables]
    print("%d files, %.2f MB; instructions in millions (inclusive), and per MB of input" % (len(args.files), megabytes))
    for name, x in zip("AB", executables):
        print("%s: %s" % (name, x))
    print()
    header = "| stage | " + " | ".join("%s | %s per MB" % (name, name) for name in "AB"[:len(runs)])
    if len(runs) == 2:
        header += " | B / A"
    print(header + " |")
    print("|---" * (1 + 2 * len(runs) + (len(runs) == 2)) + "|")
    rows = [("whole run", "total")] + STAGES
    for label, key in rows:
        cells = []
        for r in runs:
            v = r.get(key)
            cells.append("—" if v is None else "%.1f" % (v / 1e6))
            per_mb = v is not None and key != "xxgk::Checker::create"  # the start is once per process
            cells.append("%.0f" % (v / 1e6 / megabytes) if per_mb else "—")
        if len(runs) == 2:
            a, b = runs[0].get(key), runs[1].get(key)
            cells.append("%.2f" % (b / a) if a and b else "—")
        print("| %s | %s |" % (label, " | ".join(cells)))
    if not args.keep:
        shutil.rmtree(keep, ignore_errors=True)


if __name__ == "__main__":
    main()
