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
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

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


def _bucket_sums(config: str, as_of: str, library: Optional[str], *parts: bytes) -> Dict[bytes, List[int]]:
    """One bucket: its revenue records from every file, in file order, loaded
    into one engine (which resolves re-saves and deletes), reduced to the
    per-account sums in each window."""
    if not any(parts):
        return {}
    with _engine(config, as_of, library) as engine:
        for p in parts:  # one load per file's share: no copy of them all at once
            if p:
                engine.load("canonical", p)
        sums = engine.window_sums()
    return {m.group(1): [int(m.group(2)), int(m.group(3))] for m in _SUMS.finditer(sums)}


def _merge(*partials: Dict[bytes, List[int]]) -> Dict[bytes, List[int]]:
    """Per-account sums added up: exact and associative."""
    out: Dict[bytes, List[int]] = {}
    for p in partials:
        if len(p) > len(out):
            out, p = dict(p), out
        for k, (a, b) in p.items():
            s = out.get(k)
            if s is None:
                out[k] = [a, b]
            else:
                out[k] = [s[0] + a, s[1] + b]
    return out


def _final(config: str, as_of: str, adapter: str, library: Optional[str],
           sums: Dict[bytes, List[int]], *accounts: bytes) -> bytes:
    """The account records (in file order) and the merged sums in one
    engine; every result, as JSON Lines sorted by account id."""
    with _engine(config, as_of, library) as engine:
        data = b"\n".join(a for a in accounts if a)
        if data:
            engine.load("canonical", data)
        if sums:
            engine.load_window_sums(b"".join(
                b'{"account_id":%s,"annual":%d,"prior":%d}\n' % (k, a, p)
                for k, (a, p) in sums.items()))
        return b"".join(r + b"\n" for r in engine.result_lines(adapter))


# ---------------------------------------------------------------- the entry points

def _graph(files: Sequence[PathLike], as_of: str, config: Config, adapter: str,
           buckets: Optional[int], library: Optional[PathLike], fan_in: int):
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


def score_to_file(client: Any, files: Sequence[PathLike], out: PathLike, **kwargs: Any) -> int:
    """:func:`score`, written to ``out`` (replaced atomically: a temporary
    file beside it, renamed). Returns the number of results written."""
    data = score(client, files, **kwargs)
    out = os.fspath(out)
    tmp = f"{out}.tmp-{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, out)
    return data.count(b"\n")


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
