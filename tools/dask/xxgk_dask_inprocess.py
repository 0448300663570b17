#!/usr/bin/env python3
"""Checks report files on a Dask cluster with the Python module inside the workers: one xxgk.Checker per worker
process, made on its first task and kept, every task checking its share of the files without a subprocess.
Writes the results as JSON lines sorted by path — the lines `xxgk check --format json` writes.

    PYTHONPATH=build/python xxgk_dask_inprocess.py [--scheduler ADDR | --local-workers 2] [--lang en]
                                                   [--config xxgk.toml] -o results.jsonl FILE|FOLDER...

For crawls (archives, WARC, resume, SQLite, the cross-year pass) use tools/dask/xxgk_dask.py, which runs
`xxgk scan` per share. Needs Debian's python3-distributed and the module xxgk on the workers' path.
"""
import argparse
import json
import os
import sys


def check_share(paths, lang, config):
    """One task: the files of a share, checked by this worker's Checker (created once per worker)."""
    from distributed import get_worker
    import xxgk

    worker = get_worker()
    key = (lang, config)
    checkers = worker.__dict__.setdefault("xxgk_checkers", {})
    if key not in checkers:
        checkers[key] = xxgk.Checker(lang=lang, config=config)
    checker = checkers[key]
    return [checker.check(p, raise_on_error=False).to_json() for p in paths]


def files_of(inputs):
    """The files named, and the files under the folders named (hidden ones left out), sorted."""
    found = []
    for name in inputs:
        if os.path.isdir(name):
            for folder, subfolders, files in os.walk(name):
                subfolders[:] = [d for d in subfolders if not d.startswith(".")]
                found += [os.path.join(folder, f) for f in files if not f.startswith(".")]
        else:
            found.append(name)
    return sorted(found)


def check_on_cluster(client, paths, lang="zh", config=None, shares=0):
    """The JSON lines of every path, in path order, checked in `shares` tasks over the cluster's workers."""
    workers = max(1, len(client.scheduler_info()["workers"]))
    shares = shares or 2 * workers
    futures = [client.submit(check_share, paths[k::shares], lang, config, pure=False) for k in range(shares)]
    lines = [line for share in client.gather(futures) for line in share]
    return sorted(lines, key=lambda line: json.loads(line)["source"]["path"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scheduler", help="address of a running Dask scheduler")
    parser.add_argument("--local-workers", type=int, default=2, help="worker processes of a local cluster")
    parser.add_argument("--shards", type=int, default=0, help="tasks (default: 2 per worker)")
    parser.add_argument("--lang", default="zh", help="language of messages (zh or en)")
    parser.add_argument("--config", help="xxgk.toml for every worker (none is looked for)")
    parser.add_argument("-o", "--output", required=True, help="JSON Lines file to write")
    parser.add_argument("inputs", nargs="+")
    args = parser.parse_args()

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from xxgk_dask import connect  # the same cluster set-up as the scan driver

    paths = files_of(args.inputs)
    config = os.path.abspath(args.config) if args.config else None
    client, cluster = connect(args.scheduler, args.local_workers)
    try:
        lines = check_on_cluster(client, paths, args.lang, config, args.shards)
    finally:
        client.close()
        if cluster:
            cluster.close()
    with open(args.output, "w", encoding="utf-8") as out:
        for line in lines:
            out.write(line + "\n")
    # As the command line: 2 when nothing could be read.
    return 2 if all(json.loads(line)["error"] for line in lines) else 0


if __name__ == "__main__":
    sys.exit(main())
