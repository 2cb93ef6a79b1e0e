"""python3 -m crmtier.dask score: partitioned scoring from the command line.

    python3 -m crmtier.dask score --scheduler local|HOST:PORT --as-of YYYY-MM-DD
        [--adapter NAME] [--config FILE] [--buckets N] [--library PATH]
        -o OUT.jsonl FILES...

Writes the JSON Lines ``crmtier score`` writes for the same files in the
same order, sorted by account id. Exit codes as ``crmtier``'s: 0 done, 1 bad
input or configuration (the message names the file, line, record and field),
2 bad command line, 3 the library or the cluster could not be reached.
docs/dask.md says more.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import List, Optional

EXIT_DATA, EXIT_USAGE, EXIT_LOAD = 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python3 -m crmtier.dask",
        description="Score a portfolio held in many files on a Dask cluster, "
                    "exactly as `crmtier score` scores it in one process.")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("score", help="score FILES and write every result, sorted by account id")
    s.add_argument("--scheduler", required=True,
                   help="'local' (a LocalCluster with one worker process per core, "
                        "on 127.0.0.1) or the scheduler's HOST:PORT")
    s.add_argument("--as-of", required=True, metavar="YYYY-MM-DD",
                   help="the date results are computed as of")
    s.add_argument("--adapter", default="canonical",
                   help="the adapter that reads FILES (default: canonical)")
    s.add_argument("--config", metavar="FILE",
                   help="the configuration JSON (default: as `crmtier score`)")
    s.add_argument("--buckets", type=int, default=None, metavar="N",
                   help="buckets the revenue records are spread over (default: one per file)")
    s.add_argument("--workers", type=int, default=None, metavar="N",
                   help="with --scheduler local: worker processes (default: the cores)")
    s.add_argument("--memory-limit", default="auto", metavar="BYTES",
                   help="with --scheduler local: memory limit per worker, e.g. 2GiB "
                        "(default: the machine's memory shared out)")
    s.add_argument("--library", metavar="PATH",
                   help="libcrmtier.so as the workers find it (default: $CRMTIER_LIBRARY)")
    s.add_argument("-o", "--output", required=True, metavar="OUT.jsonl",
                   help="where the results go: written by the worker that scores, "
                        "so a path the workers can write (a shared file system on a real cluster)")
    s.add_argument("files", nargs="+", metavar="FILES",
                   help="account and revenue records, in the adapter's shape; "
                        "a later file's copy of an id wins")
    return p


def main(argv: Optional[List[str]] = None) -> int:
    args = _parser().parse_args(argv)
    if args.buckets is not None and args.buckets < 1:
        print("python3 -m crmtier.dask: --buckets: must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    for f in args.files:
        if not os.path.isfile(f):
            print(f"python3 -m crmtier.dask: {f}: no such file", file=sys.stderr)
            return EXIT_DATA
    config = None
    if args.config:
        try:
            with open(args.config, "rb") as f:
                config = f.read()
        except OSError as e:
            print(f"python3 -m crmtier.dask: --config {args.config}: {e.strerror}", file=sys.stderr)
            return EXIT_DATA

    try:
        from distributed import Client, LocalCluster
    except ImportError:
        print("python3 -m crmtier.dask: Dask distributed is not installed "
              "(apt-get install python3-distributed)", file=sys.stderr)
        return EXIT_LOAD
    from . import ScoreError, score_to_file
    from ..errors import CrmtierError

    cluster = None
    try:
        if args.scheduler == "local":
            cluster = LocalCluster(n_workers=args.workers or os.cpu_count() or 1,
                                   threads_per_worker=1, processes=True,
                                   host="127.0.0.1", dashboard_address=":0",
                                   memory_limit=args.memory_limit)
            client = Client(cluster)
        else:
            address = args.scheduler if "://" in args.scheduler else f"tcp://{args.scheduler}"
            try:
                client = Client(address, timeout="30s")
            except (OSError, TimeoutError) as e:
                print(f"python3 -m crmtier.dask: --scheduler {args.scheduler}: {e}", file=sys.stderr)
                return EXIT_LOAD
        try:
            n = score_to_file(client, args.files, args.output, as_of=args.as_of,
                              config=config, adapter=args.adapter, buckets=args.buckets,
                              library=args.library)
        finally:
            client.close()
    except ScoreError as e:
        print(f"python3 -m crmtier.dask: {e}", file=sys.stderr)
        return EXIT_DATA
    except CrmtierError as e:
        print(f"python3 -m crmtier.dask: {e.message}", file=sys.stderr)
        return EXIT_DATA
    except (OSError, FileNotFoundError) as e:
        print(f"python3 -m crmtier.dask: {e}", file=sys.stderr)
        return EXIT_LOAD
    finally:
        if cluster is not None:
            cluster.close()
    print(f"python3 -m crmtier.dask: {n} results written to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
