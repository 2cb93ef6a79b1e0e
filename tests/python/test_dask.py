"""crmtier.dask on a LocalCluster of 2 worker processes on 127.0.0.1: partitioned
scoring gives byte for byte what the single-process reference host
(`crmtier score`) gives for the same files in the same order; the command
line; many tenants; a worker killed mid-job; bad records.

Needs Dask distributed (python3-distributed): without it every test fails.
Run by CTest (tests/python/CMakeLists.txt) with CRMTIER_LIBRARY, CRMTIER_HOST
(the reference host) and PYTHONPATH set.
"""

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "abi" / "python"))

try:
    import dask  # noqa: F401
    from distributed import Client, LocalCluster
    MISSING = None
except ImportError as e:  # a test that cannot run fails, saying what to install
    MISSING = f"Dask distributed is missing ({e}): apt-get install python3-dask python3-distributed"

import crmtier.dask as cd  # noqa: E402

SAMPLE = ROOT / "samples" / "portfolio.jsonl"
SAMPLE_AS_OF = json.loads((ROOT / "samples" / "portfolio.meta.json").read_text())["as_of"]
FIXTURES = ROOT / "tests" / "adapters" / "fixtures" / "portfolio"
HOST = os.environ.get("CRMTIER_HOST", str(ROOT / "build" / "crmtier"))
# The CSV export's column names, as tests/adapters/test_end_to_end.cpp sets them.
CSV_CONFIG = {"host": "csv", "adapters": {"csv": {"columns": {
    "accounts": {"id": "Account ID", "name": "Account Name", "last_contact": "Last Contact"},
    "revenue": {"id": "Invoice", "account_id": "Account ID"}}}}}

cluster = client = None
tmp = None


def setUpModule():
    global cluster, client, tmp
    if MISSING:
        raise AssertionError(MISSING)
    if not os.path.isfile(HOST):
        raise AssertionError(f"the reference host {HOST} is missing: build crmtier_host or set CRMTIER_HOST")
    tmp = Path(tempfile.mkdtemp(prefix="crmtier-dask-test-"))
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           host="127.0.0.1", dashboard_address=":0",
                           local_directory=str(tmp / "dask"))
    client = Client(cluster)


def tearDownModule():
    if client is not None:
        client.close()
    if cluster is not None:
        cluster.close()
    if tmp is not None:
        shutil.rmtree(tmp, ignore_errors=True)


def reference(files, as_of, adapter="canonical", config=None):
    """What `crmtier score` writes for these files in this order."""
    out = tmp / f"reference-{time.monotonic_ns()}.jsonl"
    cmd = [HOST, "score", "--quiet", "--as-of", as_of, "--adapter", adapter, "-o", str(out)]
    if config is not None:
        cfg = tmp / f"config-{time.monotonic_ns()}.json"
        cfg.write_text(json.dumps(config))
        cmd += ["--config", str(cfg)]
    subprocess.run(cmd + [str(f) for f in files], check=True, capture_output=True)
    return out.read_bytes()


def write_parts(name, parts):
    folder = tmp / name
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, lines in enumerate(parts):
        p = folder / f"part-{i:03d}.jsonl"
        p.write_text("".join(l + "\n" for l in lines), encoding="utf-8")
        paths.append(p)
    return paths


def generated(seed, accounts, invoices, partitions, as_of="2026-11-30"):
    """A generated portfolio split into `partitions` files, records shuffled
    across them, with cross-partition duplicates: invoices saved again in
    another file (another amount, date or account), invoices and accounts
    deleted in a later file, accounts saved again with other fields, revenue
    of accounts that never exist. Returns (paths, counts of each kind)."""
    rnd = random.Random(seed)
    inds = ["Manufacturing", "Retail", "Services", "Healthcare"]
    terrs = ["EMEA/DE/Bavaria", "EMEA/DE/Hesse", "EMEA/FR/Occitanie", "AMER/US/Texas"]

    def account(i):
        r = {"type": "account", "id": f"ACC-{i:05d}", "owner": f"rep-{rnd.randrange(12):02d}",
             "employees": rnd.choice([5, 30, 120, 600, 2000]), "territory": rnd.choice(terrs),
             "industry": rnd.choice(inds)}
        if i >= accounts * 0.85 and rnd.random() < 0.5:  # no revenue, no look-alikes: D
            del r["industry"]
        if rnd.random() < 0.9:
            r["last_contact"] = f"2026-{rnd.randrange(1, 12):02d}-{rnd.randrange(1, 29):02d}"
        return r

    weight = [10 ** rnd.uniform(-2.5, 1) for _ in range(accounts + accounts // 20)]

    def invoice(j):
        acc = rnd.randrange(accounts + accounts // 20)  # a few name missing accounts
        if accounts * 0.85 <= acc < accounts:  # and some accounts have no revenue
            acc -= accounts // 2
        y = rnd.choice([2024, 2025, 2025, 2026, 2026, 2026])
        return {"type": "revenue", "id": f"INV-{j:07d}", "account_id": f"ACC-{acc:05d}",
                "date": f"{y}-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 29):02d}",
                "amount": round(rnd.uniform(-500, 40000) * weight[acc], rnd.choice([0, 2, 4])),
                "product": rnd.choice(["Machines/Parts", "Services/Support", "Retail/Goods"])}

    parts = [[] for _ in range(partitions)]
    counts = {"cross_duplicates": 0, "deleted_invoices": 0, "deleted_accounts": 0}
    for i in range(accounts):
        parts[rnd.randrange(partitions)].append(json.dumps(account(i)))
    for j in range(invoices):
        first = rnd.randrange(partitions)
        parts[first].append(json.dumps(invoice(j)))
        roll = rnd.random()
        if roll < 0.15 and first + 1 < partitions:  # saved again, later or earlier file
            again = invoice(j)
            other = rnd.randrange(partitions)
            parts[other].append(json.dumps(again))
            counts["cross_duplicates"] += other != first
        elif roll < 0.20 and first + 1 < partitions:
            parts[rnd.randrange(first + 1, partitions)].append(
                json.dumps({"type": "revenue", "id": f"INV-{j:07d}", "deleted": True}))
            counts["deleted_invoices"] += 1
    for i in rnd.sample(range(accounts), accounts // 25):
        parts[rnd.randrange(partitions)].append(json.dumps({"type": "account", "id": f"ACC-{i:05d}", "deleted": True}))
        counts["deleted_accounts"] += 1
    for i in rnd.sample(range(accounts), accounts // 10):  # re-saved elsewhere
        parts[rnd.randrange(partitions)].append(json.dumps(account(i)))
    for p in parts:
        rnd.shuffle(p)
    return write_parts(f"gen-{seed}", parts), counts


class Partitioned(unittest.TestCase):
    def test_sample_in_partitions_is_byte_identical(self):
        lines = SAMPLE.read_text(encoding="utf-8").splitlines()
        step = len(lines) // 7 + 1
        paths = write_parts("sample", [lines[i:i + step] for i in range(0, len(lines), step)])
        want = reference([SAMPLE], SAMPLE_AS_OF)
        self.assertEqual(want, reference(paths, SAMPLE_AS_OF))  # the split itself changes nothing
        got = cd.score(client, paths, as_of=SAMPLE_AS_OF, buckets=5)
        self.assertEqual(got.count(b"\n"), 2000)
        self.assertEqual(got, want)

    def test_16_shuffled_partitions_with_duplicates_are_byte_identical(self):
        paths, counts = generated(15, accounts=1500, invoices=30000, partitions=16)
        self.assertGreater(counts["cross_duplicates"], 1000)
        self.assertGreater(counts["deleted_invoices"], 500)
        want = reference(paths, "2026-11-30")
        results = [json.loads(l) for l in want.splitlines()]
        self.assertEqual({r["tier"] for r in results}, {"A", "B", "C", "D"})
        self.assertTrue(any(r["declining"] for r in results))
        for buckets in (16, 3):
            with self.subTest(buckets=buckets):
                self.assertEqual(cd.score(client, paths, as_of="2026-11-30", buckets=buckets), want)
        # The order of the files is the order of the saves: reversed, another
        # copy wins, and both ways agree with the reference host.
        back = list(reversed(paths))
        want_back = reference(back, "2026-11-30")
        self.assertNotEqual(want_back, want)
        self.assertEqual(cd.score(client, back, as_of="2026-11-30"), want_back)

    def test_later_file_wins_worked_by_hand(self):
        acc = '{"type":"account","id":"A","employees":10,"territory":"EMEA/DE","industry":"X"}'
        first = write_parts("hand-1", [[acc, '{"type":"revenue","id":"I1","account_id":"A","date":"2026-03-01","amount":100.25}'],
                                       ['{"type":"revenue","id":"I1","account_id":"A","date":"2026-04-01","amount":250}',
                                        '{"type":"revenue","id":"I2","account_id":"A","date":"2025-06-01","amount":40}'],
                                       ['{"type":"revenue","id":"I2","deleted":true}',
                                        '{"type":"revenue","id":"I3","account_id":"A","date":"2025-06-01","amount":7.5}']])
        got = [json.loads(l) for l in cd.score(client, first, as_of="2026-11-30", buckets=2).splitlines()]
        # I1's later copy (250) wins; I2 is deleted by the later file; I3 is prior.
        self.assertEqual([(r["id"], r["annual_revenue"], r["prior_revenue"]) for r in got], [("A", 250.0, 7.5)])
        got = [json.loads(l) for l in cd.score(client, list(reversed(first)), as_of="2026-11-30").splitlines()]
        # Reversed: I2 is deleted first, then saved (40, prior); I1's later copy is 100.25.
        self.assertEqual([(r["id"], r["annual_revenue"], r["prior_revenue"]) for r in got], [("A", 100.25, 47.5)])

    def test_ids_with_escapes(self):
        # Ids holding a quote, a backslash, non-ASCII and a slash: routed by
        # their JSON text like any other.
        ids = ['Q"1', 'B\\2', "É3", "a/b", 'x\\"y']
        parts = [[json.dumps({"type": "account", "id": i, "employees": 20, "territory": "EMEA/FR",
                              "industry": "Retail"}, ensure_ascii=False) for i in ids], [], []]
        for n, i in enumerate(ids * 3):
            parts[n % 3].append(json.dumps({"type": "revenue", "id": f'{i}-"{n % 2}', "account_id": i,
                                            "date": "2026-0%d-01" % (1 + n % 9), "amount": 10 * n + 1}))
        paths = write_parts("escapes", parts)
        want = reference(paths, "2026-11-30")
        self.assertEqual(want.count(b"\n"), 5)
        self.assertEqual(cd.score(client, paths, as_of="2026-11-30", buckets=4), want)

    def test_adapters_shapes(self):
        as_of = "2026-11-27"
        for adapter, files in (("salesforce", ["salesforce.jsonl"]), ("hubspot", ["hubspot.jsonl"]),
                               ("tryton", ["tryton.jsonl"]), ("csv", ["accounts.csv", "revenue.csv"])):
            with self.subTest(adapter=adapter):
                paths = [FIXTURES / f for f in files]
                if adapter != "csv":  # a JSON Lines file split in two, last line first
                    lines = paths[0].read_text(encoding="utf-8").splitlines()
                    paths = write_parts(f"ad-{adapter}", [lines[len(lines) // 2:], lines[:len(lines) // 2]])
                # The company currency is EUR; the portfolio has amounts in
                # USD too (as tests/adapters/test_end_to_end.cpp configures).
                config = dict(CSV_CONFIG if adapter == "csv" else {},
                              currency={"company": "EUR", "rates": {"USD": 0.8}})
                want = reference(paths, as_of, adapter=adapter, config=config)
                self.assertGreater(want.count(b"\n"), 3)
                self.assertEqual(cd.score(client, paths, as_of=as_of, adapter=adapter, config=config), want)

    def test_configuration_is_the_engines(self):
        paths, _ = generated(7, accounts=300, invoices=4000, partitions=4)
        config = {"revenue_window_days": 200, "benchmark": {"method": "top_n_mean", "top_n": 5}}
        want = reference(paths, "2026-06-30", config=config)
        self.assertNotEqual(want, reference(paths, "2026-06-30"))
        self.assertEqual(cd.score(client, paths, as_of="2026-06-30", config=config), want)


class CommandLine(unittest.TestCase):
    def run_cli(self, *args):
        env = dict(os.environ, PYTHONPATH=str(ROOT / "abi" / "python"))
        return subprocess.run([sys.executable, "-m", "crmtier.dask", *map(str, args)],
                              capture_output=True, text=True, env=env, timeout=240)

    def test_cli_on_the_cluster_and_local(self):
        paths, _ = generated(3, accounts=400, invoices=6000, partitions=6)
        want = reference(paths, "2026-11-30")
        out = tmp / "cli.jsonl"
        r = self.run_cli("score", "--scheduler", cluster.scheduler_address.replace("tcp://", ""),
                         "--as-of", "2026-11-30", "-o", out, *paths)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(out.read_bytes(), want)
        out2 = tmp / "cli-local.jsonl"
        r = self.run_cli("score", "--scheduler", "local", "--workers", "2", "--as-of", "2026-11-30",
                         "--buckets", "4", "-o", out2, *paths)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(out2.read_bytes(), want)

    def test_cli_errors(self):
        r = self.run_cli("score", "--scheduler", "local", "--as-of", "2026-11-30", "-o", tmp / "x.jsonl",
                         tmp / "no-such-file.jsonl")
        self.assertEqual(r.returncode, 1)
        self.assertIn("no-such-file.jsonl: no such file", r.stderr)
        r = self.run_cli("score", "--as-of", "2026-11-30", "-o", tmp / "x.jsonl", SAMPLE)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--scheduler", r.stderr)
        r = self.run_cli("score", "--scheduler", cluster.scheduler_address, "--as-of", "2026-13-01",
                         "-o", tmp / "x.jsonl", SAMPLE)
        self.assertEqual(r.returncode, 1)
        self.assertIn("as-of date", r.stderr)


BAD = '{"type":"revenue","id":"INV-BAD","account_id":"ACC-00001","date":"2026-01-05","amount":"12.50"}'


class Faults(unittest.TestCase):
    def test_bad_record_names_file_line_id_and_field(self):
        paths, _ = generated(11, accounts=200, invoices=2000, partitions=5)
        lines = paths[3].read_text().splitlines()
        lines.insert(6, BAD)
        paths[3].write_text("\n".join(lines) + "\n")
        with self.assertRaises(cd.ScoreError) as ctx:
            cd.score(client, paths, as_of="2026-11-30")
        message = str(ctx.exception)
        self.assertIn(str(paths[3]), message)
        self.assertIn("line 7", message)
        self.assertIn('"INV-BAD"', message)
        self.assertIn('"amount"', message)
        # The reference host refuses the same file the same way.
        r = subprocess.run([HOST, "score", "--quiet", "--as-of", "2026-11-30", "-o", str(tmp / "r.jsonl"),
                            *map(str, paths)], capture_output=True, text=True)
        self.assertEqual(r.returncode, 1)
        self.assertIn("line 7", r.stderr)

    def test_bad_csv_row(self):
        bad = tmp / "bad-revenue.csv"
        rows = (FIXTURES / "revenue.csv").read_text(encoding="utf-8").splitlines()
        rows[2] = "INV-X9;ACC-A2;2026-02-30;90000.00;Machines/Spare parts"  # no 30 February
        bad.write_text("\n".join(rows) + "\n", encoding="utf-8")
        with self.assertRaises(cd.ScoreError) as ctx:
            cd.score(client, [FIXTURES / "accounts.csv", bad], as_of="2026-11-27", adapter="csv",
                     config=CSV_CONFIG)
        message = str(ctx.exception)
        for part in (str(bad), "line 3", "INV-X9", "date"):
            self.assertIn(part, message)

    def test_worker_killed_mid_job(self):
        paths, _ = generated(21, accounts=3000, invoices=240000, partitions=16)
        want = reference(paths, "2026-11-30")
        pids = client.run(os.getpid)  # worker address -> pid
        graph = cd._graph(paths, "2026-11-30", None, "canonical", 16, None, 8)
        future = client.compute(graph)
        killed = []

        def kill_when_busy():
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not future.done():
                busy = [w for w, keys in client.processing().items() if keys]
                done = sum(1 for s in client.run_on_scheduler(
                    lambda dask_scheduler: [t.state for t in dask_scheduler.tasks.values()]) if s == "memory")
                if busy and done >= 4:
                    pid = pids[busy[0]]
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
                    return
                time.sleep(0.02)

        killer = threading.Thread(target=kill_when_busy)
        killer.start()
        got = future.result(timeout=240)
        killer.join()
        self.assertEqual(len(killed), 1, "the job ended before a worker could be killed mid-job")
        with self.assertRaises(ProcessLookupError):
            os.kill(killed[0], 0)
        self.assertEqual(got, want)
        client.wait_for_workers(2, timeout=60)  # the nanny restarted it, for the next tests


class Tenants(unittest.TestCase):
    def test_tenants_each_their_own_and_errors_stay_theirs(self):
        a, _ = generated(31, accounts=300, invoices=3000, partitions=3)
        b, _ = generated(32, accounts=200, invoices=2000, partitions=2, as_of="2026-06-30")
        bad, _ = generated(33, accounts=100, invoices=500, partitions=2)
        lines = bad[1].read_text().splitlines()
        lines.insert(2, BAD)
        bad[1].write_text("\n".join(lines) + "\n")
        config_b = {"lookalike": {"min_peers": 2}, "benchmark": {"method": "max"}}
        tenants = {
            "alpha": {"files": a, "as_of": "2026-11-30"},
            "broken": {"files": bad, "as_of": "2026-11-30"},
            "beta": {"files": b, "as_of": "2026-06-30", "config": config_b},
            "csv": {"files": [FIXTURES / "accounts.csv", FIXTURES / "revenue.csv"], "as_of": "2026-11-27",
                    "adapter": "csv", "config": CSV_CONFIG},
            "badconfig": {"files": a, "as_of": "2026-11-30", "config": {"benchmark": {"mehtod": "max"}}},
        }
        got = cd.score_tenants(client, tenants)
        self.assertEqual(set(got), set(tenants))
        self.assertEqual(got["alpha"], {"results": reference(a, "2026-11-30"), "error": None})
        self.assertEqual(got["beta"], {"results": reference(b, "2026-06-30", config=config_b), "error": None})
        self.assertEqual(got["csv"]["results"], reference(tenants["csv"]["files"], "2026-11-27", adapter="csv",
                                                                      config=CSV_CONFIG))
        self.assertIsNone(got["broken"]["results"])
        for part in (str(bad[1]), "line 3", '"INV-BAD"', '"amount"'):
            self.assertIn(part, got["broken"]["error"])
        self.assertIsNone(got["badconfig"]["results"])
        self.assertIn("benchmark.mehtod", got["badconfig"]["error"])


if __name__ == "__main__":
    unittest.main()
