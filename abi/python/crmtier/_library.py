"""Finding, loading and declaring libcrmtier.

This is the only module that touches ctypes declarations. Every C function of
abi/crmtier.h is declared exactly once in ``_PROTOTYPES`` below, with its C
prototype as a comment; tests/python/test_binding_matches_header.py parses the
header and checks that the two lists are the same, so they cannot drift.
"""

from __future__ import annotations

import ctypes
import os
import threading
from pathlib import Path
from typing import Dict, List, Optional, Tuple, Union

__all__ = ["ENV_VAR", "find_library", "load_library", "PROTOTYPES",
           "c_engine_p", "c_cursor_p", "LOG_FN"]

#: Environment variable naming the shared library to load.
ENV_VAR = "CRMTIER_LIBRARY"

_LIB_NAMES = ("libcrmtier.so", "libcrmtier.dylib", "crmtier.dll")


class _Engine(ctypes.Structure):
    """Opaque ``crmtier_engine``."""


class _Cursor(ctypes.Structure):
    """Opaque ``crmtier_cursor``."""


c_engine_p = ctypes.POINTER(_Engine)
c_cursor_p = ctypes.POINTER(_Cursor)

# typedef void (*crmtier_log_fn)(int level, const char *message, void *user);
LOG_FN = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p)

_char_pp = ctypes.POINTER(ctypes.c_char_p)  # char ** receiving a library buffer
_size_p = ctypes.POINTER(ctypes.c_size_t)

# name -> (restype, argtypes). Output buffers are declared as
# POINTER(c_void_p) so that the returned pointer is kept raw (not converted to
# bytes) and can be handed back to crmtier_free().
_out_buf = ctypes.POINTER(ctypes.c_void_p)

PROTOTYPES: Dict[str, Tuple[object, List[object]]] = {
    # uint32_t crmtier_abi_version(void);
    "crmtier_abi_version": (ctypes.c_uint32, []),
    # const char *crmtier_version(void);
    "crmtier_version": (ctypes.c_char_p, []),
    # const char *crmtier_status_string(int status);
    "crmtier_status_string": (ctypes.c_char_p, [ctypes.c_int]),
    # const char *crmtier_last_error(void);
    "crmtier_last_error": (ctypes.c_char_p, []),
    # void crmtier_free(void *buffer);
    "crmtier_free": (None, [ctypes.c_void_p]),
    # int crmtier_engine_create(const char *config, size_t config_len,
    #                           crmtier_engine **out);
    "crmtier_engine_create": (ctypes.c_int, [ctypes.c_char_p, ctypes.c_size_t,
                                             ctypes.POINTER(c_engine_p)]),
    # void crmtier_engine_destroy(crmtier_engine *engine);
    "crmtier_engine_destroy": (None, [c_engine_p]),
    # int crmtier_engine_set_as_of(crmtier_engine *engine, const char *date);
    "crmtier_engine_set_as_of": (ctypes.c_int, [c_engine_p, ctypes.c_char_p]),
    # int crmtier_engine_load(crmtier_engine *engine, const char *adapter,
    #                         const char *data, size_t data_len, size_t *loaded);
    "crmtier_engine_load": (ctypes.c_int, [c_engine_p, ctypes.c_char_p,
                                           ctypes.c_char_p, ctypes.c_size_t,
                                           _size_p]),
    # int crmtier_engine_save(crmtier_engine *engine, const char *adapter,
    #                         const char *record, size_t record_len,
    #                         char **result, size_t *result_len);
    "crmtier_engine_save": (ctypes.c_int, [c_engine_p, ctypes.c_char_p,
                                           ctypes.c_char_p, ctypes.c_size_t,
                                           _out_buf, _size_p]),
    # int crmtier_engine_result(crmtier_engine *engine, const char *adapter,
    #                           const char *account_id, size_t id_len,
    #                           char **result, size_t *result_len);
    "crmtier_engine_result": (ctypes.c_int, [c_engine_p, ctypes.c_char_p,
                                             ctypes.c_char_p, ctypes.c_size_t,
                                             _out_buf, _size_p]),
    # int crmtier_engine_sequence(crmtier_engine *engine, uint64_t *seq);
    "crmtier_engine_sequence": (ctypes.c_int, [c_engine_p,
                                               ctypes.POINTER(ctypes.c_uint64)]),
    # int crmtier_engine_changes(crmtier_engine *engine, uint64_t since,
    #                            char **changes, size_t *changes_len);
    "crmtier_engine_changes": (ctypes.c_int, [c_engine_p, ctypes.c_uint64,
                                              _out_buf, _size_p]),
    # int crmtier_engine_peer_groups(crmtier_engine *engine, char **groups,
    #                                size_t *groups_len);
    "crmtier_engine_peer_groups": (ctypes.c_int, [c_engine_p, _out_buf, _size_p]),
    # int crmtier_engine_stats(crmtier_engine *engine, char **stats,
    #                          size_t *stats_len);
    "crmtier_engine_stats": (ctypes.c_int, [c_engine_p, _out_buf, _size_p]),
    # int crmtier_engine_report(crmtier_engine *engine, const char *options,
    #                           size_t options_len, char **html,
    #                           size_t *html_len);
    "crmtier_engine_report": (ctypes.c_int, [c_engine_p, ctypes.c_char_p,
                                             ctypes.c_size_t, _out_buf, _size_p]),
    # int crmtier_engine_snapshot_save(crmtier_engine *engine,
    #                                  const char *path);
    "crmtier_engine_snapshot_save": (ctypes.c_int, [c_engine_p, ctypes.c_char_p]),
    # int crmtier_engine_snapshot_load(crmtier_engine *engine,
    #                                  const char *path);
    "crmtier_engine_snapshot_load": (ctypes.c_int, [c_engine_p, ctypes.c_char_p]),
    # int crmtier_cursor_open(crmtier_engine *engine, const char *adapter,
    #                         crmtier_cursor **out);
    "crmtier_cursor_open": (ctypes.c_int, [c_engine_p, ctypes.c_char_p,
                                           ctypes.POINTER(c_cursor_p)]),
    # int crmtier_cursor_next(crmtier_cursor *cursor, const char **result,
    #                         size_t *result_len);
    "crmtier_cursor_next": (ctypes.c_int, [c_cursor_p, _out_buf, _size_p]),
    # int crmtier_cursor_next_batch(crmtier_cursor *cursor, size_t max_results,
    #                               unsigned threads, const char **results,
    #                               size_t *results_len, size_t *count);
    "crmtier_cursor_next_batch": (ctypes.c_int, [c_cursor_p, ctypes.c_size_t,
                                                 ctypes.c_uint, _out_buf, _size_p,
                                                 _size_p]),
    # void crmtier_cursor_destroy(crmtier_cursor *cursor);
    "crmtier_cursor_destroy": (None, [c_cursor_p]),
    # int crmtier_engine_set_log(crmtier_engine *engine, crmtier_log_fn fn,
    #                            void *user, int min_level);
    "crmtier_engine_set_log": (ctypes.c_int, [c_engine_p, LOG_FN,
                                              ctypes.c_void_p, ctypes.c_int]),
    # Since ABI 1.1 (an older library lacks them: see Engine._fn).
    # int crmtier_engine_translate(crmtier_engine *engine, const char *adapter,
    #                              const char *data, size_t data_len,
    #                              char **records, size_t *records_len);
    "crmtier_engine_translate": (ctypes.c_int, [c_engine_p, ctypes.c_char_p,
                                                ctypes.c_char_p, ctypes.c_size_t,
                                                _out_buf, _size_p]),
    # int crmtier_engine_window_sums(crmtier_engine *engine, char **sums,
    #                                size_t *sums_len);
    "crmtier_engine_window_sums": (ctypes.c_int, [c_engine_p, _out_buf, _size_p]),
    # int crmtier_engine_load_window_sums(crmtier_engine *engine,
    #                                     const char *data, size_t data_len,
    #                                     size_t *loaded);
    "crmtier_engine_load_window_sums": (ctypes.c_int, [c_engine_p, ctypes.c_char_p,
                                                       ctypes.c_size_t, _size_p]),
}

_loaded: Dict[str, ctypes.CDLL] = {}
_lock = threading.Lock()


def find_library(path: Union[str, os.PathLike, None] = None) -> Path:
    """Return the path of libcrmtier to load.

    Order: the explicit ``path`` argument, then the ``CRMTIER_LIBRARY``
    environment variable, then a library beside this package (the package's
    directory or its parent: the source and build trees), then the system's
    loader asked for the SONAME ``libcrmtier.so.1`` (the libcrmtier1
    package, ``ld.so.conf``, ``LD_LIBRARY_PATH``), returned as that bare
    name. Raises ``FileNotFoundError`` naming every place tried.
    """
    tried: List[str] = []
    if path is not None:
        candidate = Path(path)
        if candidate.is_file():
            return candidate
        raise FileNotFoundError(f"crmtier library not found at {candidate}")
    env = os.environ.get(ENV_VAR)
    if env:
        candidate = Path(env)
        if candidate.is_file():
            return candidate
        raise FileNotFoundError(f"{ENV_VAR}={env}: no such file")
    here = Path(__file__).resolve().parent
    for folder in (here, here.parent):
        for name in _LIB_NAMES:
            candidate = folder / name
            tried.append(str(candidate))
            if candidate.is_file():
                return candidate
    # Installed for the whole system: the loader's own search for the
    # SONAME, the ABI major this binding speaks (docs/install.md).
    soname = f"libcrmtier.so.{ABI_MAJOR}"
    try:
        ctypes.CDLL(soname)
    except OSError as error:
        tried.append(f"{soname} from the system's loader ({error})")
    else:
        return Path(soname)
    raise FileNotFoundError(
        "crmtier library not found: pass its path, set "
        f"{ENV_VAR}, put it beside the package, or install the "
        f"libcrmtier{ABI_MAJOR} package (tried {'; '.join(tried)})")


def load_library(path: Union[str, os.PathLike, None] = None) -> ctypes.CDLL:
    """Load libcrmtier (see :func:`find_library`) and declare its functions.

    A library is loaded and declared once per resolved path; later calls
    return the same ``CDLL``.
    """
    found = find_library(path)
    # A bare name (from the system's search) is loaded by name.
    resolved = str(found.resolve()) if found.parent != Path(".") else str(found)
    with _lock:
        lib = _loaded.get(resolved)
        if lib is None:
            lib = ctypes.CDLL(resolved)
            _declare(lib)
            _check_abi(lib, resolved)
            _loaded[resolved] = lib
        return lib


#: The ABI this binding was written against (crmtier.h CRMTIER_ABI_VERSION).
ABI_MAJOR, ABI_MINOR = 1, 0


def _check_abi(lib: ctypes.CDLL, where: str) -> None:
    found = int(lib.crmtier_abi_version())
    major, minor = found >> 16, found & 0xFFFF
    if major != ABI_MAJOR or minor < ABI_MINOR:
        raise OSError(f"{where}: crmtier ABI {major}.{minor}, binding needs "
                      f"{ABI_MAJOR}.{ABI_MINOR} or a later minor")


def _declare(lib: ctypes.CDLL) -> None:
    missing = []
    for name, (restype, argtypes) in PROTOTYPES.items():
        try:
            fn = getattr(lib, name)
        except AttributeError:
            # An older build of the same ABI major: calling it raises
            # (see Engine._fn), everything else works.
            missing.append(name)
            continue
        fn.restype = restype
        fn.argtypes = argtypes
    lib.crmtier_missing = frozenset(missing)  # type: ignore[attr-defined]
