"""The Engine class: one crmtier_engine handle owned by a Python object."""

from __future__ import annotations

import ctypes
import datetime as _dt
import functools
import json
import os
import threading
from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional, Sequence, Union

from . import _library
from .errors import CrmtierError, error_for

__all__ = ["Engine", "LogCallback", "LOG_TRACE", "LOG_DEBUG", "LOG_INFO",
           "LOG_WARN", "LOG_ERROR", "LOG_OFF", "version", "abi_version",
           "status_string"]

LOG_TRACE, LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_OFF = 0, 1, 2, 3, 4, 6

#: A log callback receives (level, message).
LogCallback = Callable[[int, str], None]

PathLike = Union[str, "os.PathLike[str]", None]
Json = Union[str, bytes, Mapping[str, Any]]


def _as_bytes(data: Json) -> bytes:
    if isinstance(data, bytes):
        return data
    if isinstance(data, str):
        return data.encode("utf-8")
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _name(text: str) -> bytes:
    return text.encode("utf-8")


@functools.lru_cache(maxsize=64)
def _fields_adapter(adapter: str, fields: tuple) -> bytes:
    # The library renders only these keys of the canonical result
    # ("canonical:tier,colour"; abi/crmtier.h, Adapters).
    if adapter != "canonical":
        raise ValueError(f"fields= is for the canonical adapter, not {adapter!r}")
    return _name("canonical:" + ",".join(fields))


def _adapter(adapter: str, fields: Optional[Sequence[str]]) -> bytes:
    if fields is None:
        return _name(adapter)
    if isinstance(fields, (str, bytes)):
        raise TypeError("fields= is a list of result keys, e.g. ['tier', 'colour']")
    return _fields_adapter(adapter, tuple(fields))


def version(library: PathLike = None) -> str:
    """crmtier_version() of the library that ``library`` resolves to."""
    return _library.load_library(library).crmtier_version().decode("utf-8")


def abi_version(library: PathLike = None) -> int:
    """crmtier_abi_version(): ``(major << 16) | minor``."""
    return int(_library.load_library(library).crmtier_abi_version())


def status_string(status: int, library: PathLike = None) -> str:
    """crmtier_status_string(status)."""
    return _library.load_library(library).crmtier_status_string(status).decode("utf-8")


class Engine:
    """One crmtier engine: a portfolio, a policy and an as-of date.

    Use as a context manager, or call :meth:`close`. Methods may be called
    from several threads (the library serialises writers). Failures raise a
    :class:`~crmtier.errors.CrmtierError` subclass carrying the status and the
    library's message.

    >>> with Engine({"as_of": "2026-11-27"}) as engine:      # doctest: +SKIP
    ...     engine.save("canonical", {"type": "account", "id": "A1"})
    """

    def __init__(self, config: Json = "{}", library: PathLike = None) -> None:
        """Create an engine from a configuration (a dict, or JSON text).

        ``library`` is the path of libcrmtier (else ``$CRMTIER_LIBRARY``, else
        beside the package).
        """
        self._lib = _library.load_library(library)
        self._handle: Optional[ctypes.POINTER] = None
        self._log_fn: Optional[Any] = None  # keeps the ctypes callback alive
        self._closing = threading.Lock()
        text = _as_bytes(config)
        out = _library.c_engine_p()
        self._check(self._lib.crmtier_engine_create(text, len(text), ctypes.byref(out)))
        self._handle = out

    # ---------------------------------------------------------------- basics
    def _check(self, status: int) -> None:
        if status != 0:
            message = self._lib.crmtier_last_error().decode("utf-8", "replace")
            raise error_for(status, message)

    @property
    def handle(self) -> Any:
        """The raw ``crmtier_engine *`` (raises if closed)."""
        if not self._handle:
            raise CrmtierError(1, "engine is closed")
        return self._handle

    def _take(self, ptr: ctypes.c_void_p, size: ctypes.c_size_t) -> str:
        """Copy a library-owned buffer into a str and crmtier_free() it."""
        if not ptr.value:
            return ""
        try:
            return ctypes.string_at(ptr.value, size.value).decode("utf-8")
        finally:
            self._lib.crmtier_free(ptr.value)

    def close(self) -> None:
        """Destroy the engine. Safe to call twice. Do not call while another
        thread is using this engine."""
        with self._closing:
            handle, self._handle = self._handle, None
            if handle:
                self._lib.crmtier_engine_destroy(handle)
            self._log_fn = None

    @property
    def closed(self) -> bool:
        return not self._handle

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass

    # ------------------------------------------------------------- mutations
    def set_as_of(self, date: Union[str, _dt.date]) -> None:
        """Set the as-of date: a ``date``, ``"YYYY-MM-DD"`` or ``"today"``."""
        if isinstance(date, _dt.date):
            date = date.isoformat()
        self._check(self._lib.crmtier_engine_set_as_of(self.handle, _name(date)))

    def load(self, adapter: str, data: Union[str, bytes, List[Mapping[str, Any]]]) -> int:
        """Bulk-load records (JSON Lines, CSV for csv adapters, or a list of
        dicts, sent as JSON Lines). All or nothing. Returns how many records
        were applied."""
        if isinstance(data, list):
            data = "\n".join(json.dumps(r, separators=(",", ":"), ensure_ascii=False)
                             for r in data)
        raw = _as_bytes(data)
        loaded = ctypes.c_size_t(0)
        self._check(self._lib.crmtier_engine_load(self.handle, _name(adapter), raw,
                                                  len(raw), ctypes.byref(loaded)))
        return int(loaded.value)

    def save(self, adapter: str, record: Json, *,
             fields: Optional[Sequence[str]] = None) -> Optional[Dict[str, Any]]:
        """Save one record (the host's on-save call) and return the result of
        its account in the adapter's field names (for a record that does not
        count, such as a lost deal or a draft invoice, the account it names,
        unchanged), or ``None`` when there is no such account record: none
        named, not yet, or just deleted.

        ``fields`` (canonical adapter only): the result keys wanted, e.g.
        ``["tier", "colour", "next_contact"]``; the library then writes those
        alone, each as the whole result has it, and only they are decoded."""
        raw = _as_bytes(record)
        ptr, size = ctypes.c_void_p(), ctypes.c_size_t(0)
        self._check(self._lib.crmtier_engine_save(self.handle, _adapter(adapter, fields), raw,
                                                  len(raw), ctypes.byref(ptr),
                                                  ctypes.byref(size)))
        text = self._take(ptr, size)
        return json.loads(text) if text else None

    def snapshot_save(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Write the engine's whole state (records, as-of date, sequence; not
        the configuration) to ``path``, atomically."""
        fn = self._fn("crmtier_engine_snapshot_save")
        self._check(fn(self.handle, os.fsencode(path)))

    def snapshot_load(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Replace the engine's records and as-of date with the snapshot at
        ``path`` (the configuration stays); the change feed then lists every
        account. Raises SnapshotError for a damaged or newer file."""
        fn = self._fn("crmtier_engine_snapshot_load")
        self._check(fn(self.handle, os.fsencode(path)))

    def _fn(self, name: str) -> Any:
        if (name not in _library.PROTOTYPES
                or name in getattr(self._lib, "crmtier_missing", ())):
            raise NotImplementedError(f"{name}: not in this build of libcrmtier")
        return getattr(self._lib, name)

    # ---------------------------------------------------------------- reads
    def result(self, account_id: str, adapter: str = "canonical", *,
               fields: Optional[Sequence[str]] = None) -> Dict[str, Any]:
        """The current result of one account (canonical id). Raises
        NotFoundError when there is no such account. ``fields``: as for
        save()."""
        raw = _name(str(account_id))
        ptr, size = ctypes.c_void_p(), ctypes.c_size_t(0)
        self._check(self._lib.crmtier_engine_result(self.handle, _adapter(adapter, fields), raw,
                                                    len(raw), ctypes.byref(ptr),
                                                    ctypes.byref(size)))
        return json.loads(self._take(ptr, size))

    def results(self, adapter: str = "canonical", batch: int = 4096,
                threads: int = 0, *,
                fields: Optional[Sequence[str]] = None) -> Iterator[Dict[str, Any]]:
        """Every account's result, in ascending id order (a crmtier cursor).

        The library renders them `batch` at a time on `threads` threads (0:
        one per core; crmtier_cursor_next_batch). ``fields``: as for
        save()."""
        for raw in self.result_lines(adapter, batch, threads, fields=fields):
            yield json.loads(raw)

    def result_lines(self, adapter: str = "canonical", batch: int = 4096,
                     threads: int = 0, *,
                     fields: Optional[Sequence[str]] = None) -> Iterator[bytes]:
        """Every account's result as the library writes it (the JSON bytes,
        not parsed), in ascending id order: what ``crmtier score`` writes,
        one per line. ``fields``: as for save()."""
        cursor = _library.c_cursor_p()
        self._check(self._lib.crmtier_cursor_open(self.handle, _adapter(adapter, fields),
                                                  ctypes.byref(cursor)))
        try:
            ptr, size = ctypes.c_void_p(), ctypes.c_size_t(0)
            while True:
                self._check(self._lib.crmtier_cursor_next_batch(
                    cursor, batch, threads, ctypes.byref(ptr), ctypes.byref(size), None))
                if not ptr.value:
                    return
                # Borrowed: copied before the next step. One result a line
                # (a newline inside a JSON string is always escaped).
                text = ctypes.string_at(ptr.value, size.value)
                yield from text.split(b"\n")[:-1]
        finally:
            self._lib.crmtier_cursor_destroy(cursor)

    @property
    def sequence(self) -> int:
        """The engine's sequence number (grows with every change)."""
        seq = ctypes.c_uint64(0)
        self._check(self._lib.crmtier_engine_sequence(self.handle, ctypes.byref(seq)))
        return int(seq.value)

    def changes(self, since: int = 0) -> Dict[str, Any]:
        """``{"since":S,"seq":N,"changed":[ids],"deleted":[ids]}``: accounts
        whose results changed after sequence ``since``."""
        ptr, size = ctypes.c_void_p(), ctypes.c_size_t(0)
        self._check(self._lib.crmtier_engine_changes(self.handle, int(since),
                                                     ctypes.byref(ptr),
                                                     ctypes.byref(size)))
        return json.loads(self._take(ptr, size))

    def peer_groups(self) -> Any:
        """Proposed peer groups of reps (docs/peer-groups.md)."""
        ptr, size = ctypes.c_void_p(), ctypes.c_size_t(0)
        self._check(self._lib.crmtier_engine_peer_groups(self.handle, ctypes.byref(ptr),
                                                         ctypes.byref(size)))
        return json.loads(self._take(ptr, size))

    def report(self, options: Optional[Json] = None, *, owner: Optional[str] = None,
               lang: Optional[str] = None, title: Optional[str] = None,
               since: Union[str, _dt.date, None] = None,
               labels: Optional[Mapping[str, str]] = None,
               path: Union[str, "os.PathLike[str]", None] = None) -> str:
        """The sales plan page (``crmtier_engine_report``, docs/report.md):
        one self-contained HTML5 page of the engine's current state.

        ``options`` is the options object (a dict or JSON text; keys in
        abi/crmtier.h); the keyword arguments set the common ones on top of
        it: ``owner`` (one rep's page), ``lang`` (``"en"`` or ``"ru"``),
        ``title``, ``since`` (a ``date`` or ``"YYYY-MM-DD"``: adds the
        movers) and ``labels`` (overrides of the page's words). Returns the
        page as text; with ``path``, also writes it there (UTF-8).

        >>> html = engine.report(owner="rep-07", lang="ru")   # doctest: +SKIP
        """
        fn = self._fn("crmtier_engine_report")
        if isinstance(options, (str, bytes)):
            opts: Dict[str, Any] = json.loads(options)
        else:
            opts = dict(options or {})
        if isinstance(since, _dt.date):
            since = since.isoformat()
        for key, value in (("owner", owner), ("lang", lang), ("title", title),
                           ("since", since), ("labels", labels)):
            if value is not None:
                opts[key] = dict(value) if key == "labels" else value
        raw = _as_bytes(opts)
        ptr, size = ctypes.c_void_p(), ctypes.c_size_t(0)
        self._check(fn(self.handle, raw, len(raw), ctypes.byref(ptr), ctypes.byref(size)))
        page = self._take(ptr, size)
        if path is not None:
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(page)
        return page

    def stats(self) -> Dict[str, Any]:
        """Figures about the engine (as_of, seq, accounts, benchmark, ...)."""
        ptr, size = ctypes.c_void_p(), ctypes.c_size_t(0)
        self._check(self._lib.crmtier_engine_stats(self.handle, ctypes.byref(ptr),
                                                   ctypes.byref(size)))
        return json.loads(self._take(ptr, size))

    # ---------------------------------------------- partial reductions (1.1)
    def _take_bytes(self, ptr: ctypes.c_void_p, size: ctypes.c_size_t) -> bytes:
        if not ptr.value:
            return b""
        try:
            return ctypes.string_at(ptr.value, size.value)
        finally:
            self._lib.crmtier_free(ptr.value)

    def translate(self, adapter: str, data: Union[str, bytes]) -> bytes:
        """Bulk input in ``adapter``'s shape, checked as :meth:`load` checks
        it, returned as canonical JSON Lines (one record a line, in input
        order) without loading it (crmtier_engine_translate)."""
        raw = _as_bytes(data)
        if not raw:
            return b""
        fn = self._fn("crmtier_engine_translate")
        ptr, size = ctypes.c_void_p(), ctypes.c_size_t(0)
        self._check(fn(self.handle, _name(adapter), raw, len(raw),
                       ctypes.byref(ptr), ctypes.byref(size)))
        return self._take_bytes(ptr, size)

    def window_sums(self) -> bytes:
        """Per-account revenue in each window as of the as-of date, as JSON
        Lines ``{"account_id":..,"annual":units,"prior":units}`` sorted by
        account id, units of 0.0001 (crmtier_engine_window_sums)."""
        fn = self._fn("crmtier_engine_window_sums")
        ptr, size = ctypes.c_void_p(), ctypes.c_size_t(0)
        self._check(fn(self.handle, ctypes.byref(ptr), ctypes.byref(size)))
        return self._take_bytes(ptr, size)

    def load_window_sums(self, data: Union[str, bytes]) -> int:
        """Load per-account window sums (the form :meth:`window_sums` gives,
        added up per account) as of the current as-of date
        (crmtier_engine_load_window_sums). Returns the lines applied."""
        raw = _as_bytes(data)
        if not raw:
            return 0
        fn = self._fn("crmtier_engine_load_window_sums")
        loaded = ctypes.c_size_t(0)
        self._check(fn(self.handle, raw, len(raw), ctypes.byref(loaded)))
        return int(loaded.value)

    # -------------------------------------------------------------- logging
    def set_log(self, callback: Optional[LogCallback], level: int = LOG_INFO) -> None:
        """Install ``callback(level, message)`` for messages at ``level`` or
        above, or remove it with ``None``. The callback runs on the thread
        that made the engine call and must not call back into this engine;
        exceptions it raises are swallowed (they cannot cross the C
        boundary)."""
        if callback is None:
            fn = _library.LOG_FN()  # NULL function pointer
        else:
            def trampoline(lvl: int, message: bytes, _user: Any) -> None:
                try:
                    callback(lvl, message.decode("utf-8", "replace") if message else "")
                except Exception:
                    pass
            fn = _library.LOG_FN(trampoline)
        self._check(self._lib.crmtier_engine_set_log(self.handle, fn, None, int(level)))
        # Keep the ctypes thunk alive for as long as the library holds it.
        self._log_fn = fn if callback is not None else None
