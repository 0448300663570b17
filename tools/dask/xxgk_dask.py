#!/usr/bin/env python3
"""Runs `xxgk scan` on a Dask distributed cluster: the inputs are split into N deterministic shares
(`xxgk scan --shard K/N`), one task per share runs on a worker, and `xxgk merge` joins the JSON lines and
runs the cross-year pass and the summary over all of them.

    xxgk_dask.py [--scheduler tcp://host:8786 | --local-workers 2] [--shards N] --xxgk PATH
                 --work-dir DIR -o merged.jsonl INPUT...

With --scheduler the workers must see the inputs, the xxgk binary and the work directory at the same paths
(a shared file system). Without it, a local cluster of worker processes is started. Needs Debian's
python3-distributed.
"""
import argparse
import os
import subprocess
import sys


def run_share(xxgk, share, shards, inputs, part, jobs):
    """One worker's share: a complete scan of the documents whose id hashes to it."""
    command = [xxgk, "scan", "--quiet", "--no-crossyear", "--shard", "%d/%d" % (share, shards), "--jobs", str(jobs),
               "-o", part] + inputs
    done = subprocess.run(command, capture_output=True, text=True)
    return {"share": share, "part": part, "returncode": done.returncode, "stderr": done.stderr[-2000:]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scheduler", help="address of a running Dask scheduler")
    parser.add_argument("--local-workers", type=int, default=2, help="worker processes of a local cluster")
    parser.add_argument("--shards", type=int, default=0, help="shares of the inputs (default: 2 per worker)")
    parser.add_argument("--jobs", type=int, default=1, help="threads of each xxgk scan")
    parser.add_argument("--xxgk", required=True, help="path of the xxgk binary")
    parser.add_argument("--work-dir", required=True, help="where the shares' results are written")
    parser.add_argument("-o", "--output", required=True, help="merged JSON Lines")
    parser.add_argument("inputs", nargs="+")
    args = parser.parse_args()

    from distributed import Client, LocalCluster  # Debian: python3-distributed

    os.makedirs(args.work_dir, exist_ok=True)
    xxgk = os.path.abspath(args.xxgk)
    inputs = [os.path.abspath(p) for p in args.inputs]
    cluster = None
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.local_workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        workers = max(1, len(client.scheduler_info()["workers"]))
        shards = args.shards or 2 * workers
        futures = [client.submit(run_share, xxgk, k, shards, inputs,
                                 os.path.join(os.path.abspath(args.work_dir), "part-%03d.jsonl" % k), args.jobs,
                                 pure=False) for k in range(1, shards + 1)]
        results = client.gather(futures)
    finally:
        client.close()
        if cluster:
            cluster.close()
    failed = [r for r in results if r["returncode"] != 0]
    for r in failed:
        sys.stderr.write("share %d failed (exit %d): %s\n" % (r["share"], r["returncode"], r["stderr"]))
    if failed:
        return 2
    parts = [r["part"] for r in sorted(results, key=lambda r: r["share"])]
    merged = subprocess.run([xxgk, "merge", "-o", args.output] + parts)
    return merged.returncode


if __name__ == "__main__":
    sys.exit(main())
