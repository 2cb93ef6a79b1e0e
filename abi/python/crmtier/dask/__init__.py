"""Scoring past one machine, on Dask distributed (docs/dask.md).

Two entry points, both taking a ``distributed.Client``:

- :func:`score`: one portfolio whose records are spread over many files
  (JSON Lines or CSV, in any adapter's shape). The revenue records never meet
  in one place: every file is checked and translated on a worker
  (crmtier_engine_translate), its revenue records routed by a hash of their
  id to one of ``buckets`` buckets; each bucket is loaded, in input order,
  into an engine of its own, which resolves upserts and deletes exactly as
  one engine would and gives its per-account window sums
  (crmtier_engine_window_sums); the sums are added up per account (exact
  whole numbers, an associative merge, done as a tree); one engine then
  loads the account records and the sums (crmtier_engine_load_window_sums)
  and writes every result. Every rule is the engine's own.
- :func:`score_tenants`: many portfolios, each its own configuration and
  files, one Dask task each; a tenant's error is reported with its results
  and never stops the others.

Which copy of a record wins: records are upserts by id, applied in the order
of the files as given, then of the lines in each file; so the last copy of an
id in that order wins (and a deletion there deletes), exactly as
``crmtier score FILES...`` given the same files in the same order.

Every task is a pure function of its inputs (files are only read), so Dask
may run any of them again (after a worker dies) and the results are the same.
"""

from __future__ import annotations

import json
import os
import re
import zlib
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from ..engine import Engine
from ..errors import CrmtierError

__all__ = ["score", "score_to_file", "score_tenants", "ScoreError",
           "default_config"]

PathLike = Union[str, "os.PathLike[str]"]
Config = Union[None, str, bytes, Mapping[str, Any]]

# A translated record's head: crmtier_engine_translate() writes "type" then
# "id" first, the id as a JSON string (escapes included, always the same for
# the same id).
_HEAD = re.compile(rb'\{"type":"(account|revenue)","id":("(?:[^"\\]|\\.)*")')
# One line of crmtier_engine_window_sums().
_SUMS = re.compile(rb'\{"account_id":("(?:[^"\\]|\\.)*"),"annual":(-?[0-9]+),"prior":(-?[0-9]+)\}')


class ScoreError(Exception):
    """Scoring failed: the message names the file and, for a bad record, the
    line, the record id and the field (the library's own message)."""


def default_config(adapter: str) -> str:
    """The configuration ``crmtier score`` uses without ``--config``: the
    defaults, with the adapter's host deciding the profile."""
    return "{}" if adapter == "canonical" else json.dumps({"host": adapter})


def _config_text(config: Config, adapter: str) -> str:
    if config is None:
        return default_config(adapter)
    if isinstance(config, bytes):
        return config.decode("utf-8")
    if isinstance(config, str):
        return config
    return json.dumps(config, separators=(",", ":"), ensure_ascii=False)


def _engine(config: str, as_of: str, library: Optional[str]) -> Engine:
    engine = Engine(config, library=library)
    engine.set_as_of(as_of)
    return engine


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise ScoreError(f"{path}: cannot read: {e.strerror}") from None


# ------------------------------------------------------------------ the tasks
# Module-level functions, so that workers import them from this package (on
# a real cluster the package must be importable there: docs/dask.md).

def _split(path: str, config: str, as_of: str, adapter: str, buckets: int,
           library: Optional[str]) -> tuple:
    """One file: checked and translated by the engine, then its account
    records (in order) and its revenue records routed to ``buckets`` buckets
    by a hash of their id (in order within each). Returns (accounts,
    bucket 0, bucket 1, ...), each canonical JSON Lines."""
    data = _read(path)
    accounts: List[bytes] = []
    routed: List[List[bytes]] = [[] for _ in range(buckets)]
    if data:
        with _engine(config, as_of, library) as engine:
            try:
                lines = engine.translate(adapter, data)
            except CrmtierError as e:
                raise ScoreError(f"{path}: {e.message}") from None
        del data  # the file's text: not needed beside its translation
        # Every line starts {"type":"account","id":" or {"type":"revenue","id":"
        # (both 24 bytes); the id's JSON text runs to its closing quote.
        for line in lines.split(b"\n"):
            if not line:
                continue
            end = line.find(b'"', 24)
            if line[end - 1] == 92 or not line.startswith(b'{"type":"'):  # an escape: the slow way
                m = _HEAD.match(line)
                if m is None:  # the library writes every line so: a bug if not
                    raise ScoreError(f"{path}: unexpected translated record {line[:80]!r}")
                end = m.end(2) - 1
            if line[9] == 97:  # "a"ccount
                accounts.append(line)
            else:
                routed[zlib.crc32(line[23:end + 1]) % buckets].append(line)
    return (b"\n".join(accounts),) + tuple(b"\n".join(r) for r in routed)


# A partial reduction: the per-account window sums of some share of the
# revenue records, as three numpy arrays sorted by account id, row for row:
# the account ids as the JSON string text the engine writes them in (quotes
# and escapes included: always the same text for the same id; fixed-width
# bytes, ~13 bytes for "ACC-0000001"), and the two sums in whole units of
# 0.0001 (int64, as the engine's own limit 2^63 - 1). About 30 bytes an
# account, where a Python dict entry took ~200.
Partial = Tuple["numpy.ndarray", "numpy.ndarray", "numpy.ndarray"]
_CHUNK = 1 << 16  # sums loaded this many at a time (~3.5 MiB of text)
_WRITE = 4096     # results rendered by the cursor and written this many at a time (~5 MiB)


def _empty() -> Partial:
    import numpy as np
    return (np.empty(0, dtype="S1"), np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64))


def _parse_sums(text: bytes) -> Partial:
    """crmtier_engine_window_sums() text as a sorted Partial, parsed a few
    MiB at a time (no Python object per account outlives its chunk)."""
    import numpy as np

    ids, annual, prior = [], [], []
    pos, lines, matched = 0, text.count(b"\n"), 0
    while pos < len(text):
        end = text.find(b"\n", pos + (4 << 20))
        end = len(text) if end < 0 else end + 1
        rows = _SUMS.findall(text, pos, end)
        matched += len(rows)
        ids.append(np.array([r[0] for r in rows], dtype=bytes))
        annual.append(np.array([int(r[1]) for r in rows], dtype=np.int64))
        prior.append(np.array([int(r[2]) for r in rows], dtype=np.int64))
        del rows
        pos = end
    if matched != lines:  # the library writes every line so: a bug if not
        raise ScoreError(f"unexpected window sums from the library ({matched} of {lines} lines read)")
    if not ids:
        return _empty()
    i, a, p = np.concatenate(ids), np.concatenate(annual), np.concatenate(prior)
    order = np.argsort(i, kind="stable")
    return i[order], a[order], p[order]


def _bucket_sums(config: str, as_of: str, library: Optional[str], *parts: bytes) -> Partial:
    """One bucket: its revenue records from every file, in file order, loaded
    into one engine (which resolves re-saves and deletes), reduced to the
    per-account sums in each window."""
    if not any(parts):
        return _empty()
    with _engine(config, as_of, library) as engine:
        for p in parts:  # one load per file's share: no copy of them all at once
            if p:
                engine.load("canonical", p)
        sums = engine.window_sums()
    return _parse_sums(sums)


def _add(x: Partial, y: Partial) -> Partial:
    """Two sorted partials merged into one, the sums of an account named by
    both added up: a merge of two sorted runs (numpy's stable sort finds the
    runs), then one row per account. Exact: a sum that leaves int64 is
    refused naming the account, as the engine refuses it."""
    import numpy as np

    if not len(x[0]):
        return y
    if not len(y[0]):
        return x
    ids = np.concatenate((x[0], y[0]))
    order = np.argsort(ids, kind="stable")
    ids = ids[order]
    first = np.flatnonzero(np.concatenate(([True], ids[1:] != ids[:-1])))
    out = [ids[first]]
    del ids
    for col in (1, 2):
        v = np.concatenate((x[col], y[col]))[order]
        s = np.add.reduceat(v, first)
        # int64 wraps silently: where the float sum is near the limit, the
        # exact (Python int) sum decides.
        near = np.flatnonzero(np.abs(np.add.reduceat(v.astype(np.float64), first)) >= 2.0 ** 62)
        for g in near.tolist():
            end = first[g + 1] if g + 1 < len(first) else len(v)
            exact = sum(int(t) for t in v[first[g]:end])
            if not -2 ** 63 < exact < 2 ** 63:
                raise ScoreError(f"account {out[0][g].decode('utf-8', 'replace')}: a window's revenue "
                                 f"sums beyond 2^63 - 1 units of 0.0001")
        out.append(s)
    return out[0], out[1], out[2]


def _merge(*partials: Partial) -> Partial:
    """Per-account sums added up: exact and associative. The partials are
    folded in one at a time, so the task holds its inputs and two
    partial-sized arrays, whatever the fan-in."""
    out = _empty()
    for p in partials:
        out = _add(out, p)
    return out


def _sums_text(sums: Partial, start: int, stop: int) -> bytes:
    """Rows start..stop of a partial in crmtier_engine_window_sums() form."""
    ids, annual, prior = sums
    return b"".join(b'{"account_id":%s,"annual":%d,"prior":%d}\n' % row for row in
                    zip(ids[start:stop].tolist(), annual[start:stop].tolist(), prior[start:stop].tolist()))


def _final_engine(config: str, as_of: str, library: Optional[str], sums: Partial,
                  accounts: Sequence[bytes]) -> Engine:
    """The account records (in file order, one load per file's share: never
    joined into one copy) and the merged sums (a chunk at a time) in one
    engine: it holds every account, as the portfolio-wide rules need."""
    engine = _engine(config, as_of, library)
    try:
        for a in accounts:
            if a:
                engine.load("canonical", a)
        for start in range(0, len(sums[0]), _CHUNK):
            engine.load_window_sums(_sums_text(sums, start, start + _CHUNK))
    except BaseException:
        engine.close()
        raise
    return engine


def _final(config: str, as_of: str, adapter: str, library: Optional[str],
           sums: Partial, *accounts: bytes) -> bytes:
    """Every result, as JSON Lines sorted by account id, returned (for
    :func:`score`: the caller asked for them in memory)."""
    with _final_engine(config, as_of, library, sums, accounts) as engine:
        return b"".join(r + b"\n" for r in engine.result_lines(adapter))


def _tmp_path(out: str) -> str:
    # Fixed per output: a re-run of the task (its worker died) overwrites
    # what the first attempt left.
    return f"{out}.crmtier-dask.tmp"


def _final_to_file(config: str, as_of: str, adapter: str, library: Optional[str], out: str,
                   sums: Partial, *accounts: bytes) -> int:
    """Every result, sorted by account id, streamed from the engine's cursor
    (a batch at a time) to ``out`` (a temporary file beside it, renamed):
    the task never holds the results' text. Returns how many."""
    tmp = _tmp_path(out)
    n = 0
    with _final_engine(config, as_of, library, sums, accounts) as engine:
        try:
            with open(tmp, "wb") as f:
                batch: List[bytes] = []
                for r in engine.result_lines(adapter, batch=_WRITE):
                    batch.append(r)
                    if len(batch) == _WRITE:
                        f.write(b"\n".join(batch) + b"\n")
                        n += len(batch)
                        batch = []
                if batch:
                    f.write(b"\n".join(batch) + b"\n")
                    n += len(batch)
            os.replace(tmp, out)
        except OSError as e:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise ScoreError(f"{out}: cannot write the results: {e.strerror} (the worker that "
                             f"scores writes them: OUT must be a path the workers can write)") from None
    return n


# ---------------------------------------------------------------- the entry points

def _graph(files: Sequence[PathLike], as_of: str, config: Config, adapter: str,
           buckets: Optional[int], library: Optional[PathLike], fan_in: int,
           out: Optional[str] = None):
    """The job's task graph: its result is the results' bytes, or with
    ``out`` (a path the workers write) the number of results written there."""
    import dask

    if not files:
        raise ScoreError("no input files")
    cfg = _config_text(config, adapter)
    lib = os.fspath(library) if library is not None else None
    paths = [os.fspath(f) for f in files]
    # Checked here, once, before any worker starts: a bad configuration, as-of
    # date or adapter name is the caller's error, not a file's.
    try:
        with _engine(cfg, as_of, lib) as probe:
            list(probe.result_lines(adapter))  # opens a cursor: checks the adapter's name
    except CrmtierError as e:
        raise ScoreError(e.message) from None
    n = max(1, int(buckets) if buckets else len(paths))
    split = [dask.delayed(_split, nout=n + 1, pure=True)(p, cfg, as_of, adapter, n, lib)
             for p in paths]
    partial = [dask.delayed(_bucket_sums, pure=True)(cfg, as_of, lib, *[s[1 + b] for s in split])
               for b in range(n)]
    fan = max(2, fan_in)
    while len(partial) > 1:  # the associative merge, as a tree
        partial = [dask.delayed(_merge, pure=True)(*partial[i:i + fan])
                   for i in range(0, len(partial), fan)]
    if out is not None:
        return dask.delayed(_final_to_file, pure=True)(cfg, as_of, adapter, lib, out, partial[0],
                                                       *[s[0] for s in split])
    return dask.delayed(_final, pure=True)(cfg, as_of, adapter, lib, partial[0],
                                           *[s[0] for s in split])


def score(client: Any, files: Sequence[PathLike], *, as_of: str,
          config: Config = None, adapter: str = "canonical",
          buckets: Optional[int] = None, library: Optional[PathLike] = None,
          fan_in: int = 8) -> bytes:
    """Score the portfolio held by ``files`` on ``client``'s cluster and
    return every account's result as JSON Lines, sorted by account id: the
    bytes ``crmtier score --as-of AS_OF [--adapter A] [--config C] FILES...``
    writes.

    ``files``: paths every worker can read (JSON Lines, or CSV for the csv
    adapters, in ``adapter``'s shape); account and revenue records may be in
    any of them, in any mix. Order matters only between copies of one id:
    the later file, then the later line, wins.
    ``config``: the configuration (dict or JSON text); by default that of
    ``crmtier score`` (the adapter's host decides the profile).
    ``buckets``: how many buckets the revenue records are spread over (by a
    hash of their id); by default one per file. Each bucket's records are
    held by one worker at a time: more buckets, less memory per task.
    ``library``: the path of libcrmtier *on the workers* (default: their
    ``$CRMTIER_LIBRARY``, else beside the package).
    Raises :class:`ScoreError` naming the file, line, record id and field of
    the first bad record found (the job stops), or a bad argument.
    """
    return client.compute(_graph(files, as_of, config, adapter, buckets, library, fan_in)).result()


def score_to_file(client: Any, files: Sequence[PathLike], out: PathLike, *, as_of: str,
                  config: Config = None, adapter: str = "canonical",
                  buckets: Optional[int] = None, library: Optional[PathLike] = None,
                  fan_in: int = 8) -> int:
    """:func:`score`, written to ``out`` by the worker that scores: the
    results stream from the engine's cursor to a temporary file beside
    ``out``, renamed when complete, and never pass through the client or
    sit in memory whole. ``out`` must be a path the workers can write (on a
    real cluster, a shared file system, as for ``files``). Returns the
    number of results written."""
    out = os.path.abspath(os.fspath(out))
    future = client.compute(_graph(files, as_of, config, adapter, buckets, library, fan_in, out=out))
    try:
        return future.result()
    except BaseException:
        try:  # what an attempt that failed or was stopped left
            os.unlink(_tmp_path(out))
        except OSError:
            pass
        raise


# ------------------------------------------------------------------- tenants

def _score_tenant(spec: Mapping[str, Any], library: Optional[str]) -> Dict[str, Any]:
    """One tenant, in one task, the way ``crmtier score`` does it: its files
    loaded in order into one engine. Never raises for the tenant's own
    errors: they are returned."""
    adapter = spec.get("adapter", "canonical")
    try:
        cfg = _config_text(spec.get("config"), adapter)
        with Engine(cfg, library=library) as engine:
            if spec.get("as_of"):
                engine.set_as_of(spec["as_of"])
            for f in spec["files"]:
                path = os.fspath(f)
                data = _read(path)
                if not data:
                    continue
                try:
                    engine.load(adapter, data)
                except CrmtierError as e:
                    raise ScoreError(f"{path}: {e.message}") from None
            results = b"".join(r + b"\n" for r in engine.result_lines(adapter))
        return {"results": results, "error": None}
    except ScoreError as e:
        return {"results": None, "error": str(e)}
    except CrmtierError as e:
        return {"results": None, "error": e.message}
    except (KeyError, TypeError) as e:
        return {"results": None, "error": f"bad tenant specification: {e!r}"}


def score_tenants(client: Any, tenants: Mapping[str, Mapping[str, Any]], *,
                  library: Optional[PathLike] = None) -> Dict[str, Dict[str, Any]]:
    """Score many tenants' portfolios, one Dask task each.

    ``tenants``: name -> {"files": [paths], "as_of": "YYYY-MM-DD",
    "config": dict or JSON text (optional), "adapter": name (optional)}.
    Returns name -> {"results": JSON Lines bytes sorted by account id, as
    ``crmtier score`` writes them, or None; "error": None, or the message
    (file, line, record id and field for a bad record)}. One tenant's error
    never stops the others.
    """
    lib = os.fspath(library) if library is not None else None
    names = list(tenants)
    futures = client.map(_score_tenant, [dict(tenants[n]) for n in names], library=lib)
    return dict(zip(names, client.gather(futures)))
