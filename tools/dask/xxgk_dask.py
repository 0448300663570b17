#!/usr/bin/env python3
"""Runs `xxgk scan` on a Dask distributed cluster: the inputs are split into N deterministic shares
(`xxgk scan --shard K/N`, chosen from each document's id before its bytes are read), one task per share runs on
a worker, and `xxgk merge` joins the JSON lines and writes every output asked for (JSON Lines, SQLite, the HTML
page, the workbook), with the cross-year pass and the summary over all of them.

    xxgk_dask.py [--scheduler tcp://host:8786 | --local-workers 2] [--shards N] --xxgk PATH
                 --work-dir DIR -o merged.jsonl [-o merged.sqlite -o index.html -o book.xlsx]
                 [--lang zh|en] [--tables] [--summary] [--config xxgk.toml] [--fail-on LEVEL] INPUT...

With --scheduler the workers must see the inputs, the xxgk binary, the config and the work directory at the same
paths (a shared file system). Without it, a local cluster of worker processes is started. Needs Debian's
python3-distributed. The exit status is xxgk's: 0 clean, 1 findings at or above --fail-on, 2 a failure.
"""
import argparse
import os
import subprocess
import sys


def run_share(xxgk, share, shards, inputs, part, jobs, settings):
    """One worker's share: a complete scan of the documents whose id hashes to it."""
    command = [xxgk, "scan", "--quiet", "--no-crossyear", "--shard", "%d/%d" % (share, shards), "--jobs", str(jobs),
               "-o", part] + settings + inputs
    done = subprocess.run(command, capture_output=True, text=True)
    return {"share": share, "part": part, "returncode": done.returncode, "stderr": done.stderr[-2000:]}


def connect(scheduler, local_workers):
    """(client, cluster): a client of the scheduler at `scheduler`, else of a local cluster of `local_workers` worker
    processes (cluster is None with a scheduler; close both when done)."""
    from distributed import Client, LocalCluster  # Debian: python3-distributed

    if scheduler:
        return Client(scheduler), None
    cluster = LocalCluster(n_workers=local_workers, threads_per_worker=1, processes=True, dashboard_address=None)
    return Client(cluster), cluster


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scheduler", help="address of a running Dask scheduler")
    parser.add_argument("--local-workers", type=int, default=2, help="worker processes of a local cluster")
    parser.add_argument("--shards", type=int, default=0, help="shares of the inputs (default: 2 per worker)")
    parser.add_argument("--jobs", type=int, default=1, help="threads of each xxgk scan")
    parser.add_argument("--xxgk", required=True, help="path of the xxgk binary")
    parser.add_argument("--work-dir", required=True, help="where the shares' results are written")
    parser.add_argument("-o", "--output", action="append", required=True,
                        help="merged results, repeatable: .jsonl, .sqlite/.db, .html, .xlsx (as xxgk scan -o)")
    parser.add_argument("--lang", help="language of messages and pages (zh or en)")
    parser.add_argument("--tables", action="store_true", help="include the rebuilt tables in the JSON lines")
    parser.add_argument("--summary", action="store_true", help="print the totals and write the summary JSON")
    parser.add_argument("--config", help="xxgk.toml for every share and the merge (default: found from the working folder up)")
    parser.add_argument("--fail-on", help="as xxgk scan --fail-on")
    parser.add_argument("--select", action="append", default=[], help="as xxgk scan --select")
    parser.add_argument("--ignore", action="append", default=[], help="as xxgk scan --ignore")
    parser.add_argument("--include", action="append", default=[], help="as xxgk scan --include")
    parser.add_argument("--exclude", action="append", default=[], help="as xxgk scan --exclude")
    parser.add_argument("inputs", nargs="+")
    args = parser.parse_args()

    os.makedirs(args.work_dir, exist_ok=True)
    xxgk = os.path.abspath(args.xxgk)
    inputs = [os.path.abspath(p) for p in args.inputs]
    # The same settings for every share and the merge: a config found here, not in each worker's folder.
    config = os.path.abspath(args.config) if args.config else None
    if config is None:
        here = os.getcwd()
        while True:
            if os.path.isfile(os.path.join(here, "xxgk.toml")):
                config = os.path.join(here, "xxgk.toml")
                break
            if os.path.dirname(here) == here:
                break
            here = os.path.dirname(here)
    common = []
    if config:
        common += ["--config", config]
    if args.lang:
        common += ["--lang", args.lang]
    if args.fail_on:
        common += ["--fail-on", args.fail_on]
    for option, values in (("--select", args.select), ("--ignore", args.ignore)):
        for value in values:
            common += [option, value]
    share_settings = list(common)
    if args.tables:
        share_settings.append("--tables")
    for option, values in (("--include", args.include), ("--exclude", args.exclude)):
        for value in values:
            share_settings += [option, value]
    client, cluster = connect(args.scheduler, args.local_workers)
    try:
        workers = max(1, len(client.scheduler_info()["workers"]))
        shards = args.shards or 2 * workers
        futures = [client.submit(run_share, xxgk, k, shards, inputs,
                                 os.path.join(os.path.abspath(args.work_dir), "part-%03d.jsonl" % k), args.jobs,
                                 share_settings, pure=False) for k in range(1, shards + 1)]
        results = client.gather(futures)
    finally:
        client.close()
        if cluster:
            cluster.close()
    # A share's exit 1 means findings, not failure; 2 means it could not run (or read nothing).
    failed = [r for r in results if r["returncode"] not in (0, 1)]
    for r in failed:
        sys.stderr.write("share %d failed (exit %d): %s\n" % (r["share"], r["returncode"], r["stderr"]))
    if failed:
        return 2
    parts = [r["part"] for r in sorted(results, key=lambda r: r["share"])]
    merge = [xxgk, "merge"] + common
    for output in args.output:
        merge += ["-o", output]
    if args.summary:
        merge.append("--summary")
    return subprocess.run(merge + parts).returncode


if __name__ == "__main__":
    sys.exit(main())
