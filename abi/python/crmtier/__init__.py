"""crmtier: Python binding (ctypes) of libcrmtier's stable C interface.

Quick start::

    import crmtier
    with crmtier.Engine({"as_of": "2026-11-27"}, library="build/libcrmtier.so") as eng:
        eng.load("canonical", open("portfolio.jsonl").read())
        for r in eng.results():
            if r["tier"] == "A" and r["colour"] == "blue":
                print(r["id"], r["temperature"])

The library is found by the explicit path, then ``$CRMTIER_LIBRARY``, then
beside this package, then on the system's library path. See docs/python.md.
"""

from ._library import ENV_VAR, find_library, load_library
from .engine import (LOG_DEBUG, LOG_ERROR, LOG_INFO, LOG_OFF, LOG_TRACE,
                     LOG_WARN, Engine, LogCallback, abi_version, status_string,
                     version)
from .errors import (AdapterError, ArgumentError, ConfigError, CrmtierError,
                     InternalError, IOFailure, LimitError, NoMemoryError,
                     NotFoundError, ParseError, RecordError, SnapshotError)
from . import errors

#: The ABI this binding was written against: (major << 16) | minor.
ABI_VERSION = (1 << 16) | 1

__all__ = [
    "ABI_VERSION", "ENV_VAR", "Engine", "LogCallback", "abi_version",
    "find_library", "load_library", "status_string", "version", "errors",
    "CrmtierError", "ArgumentError", "ParseError", "RecordError", "ConfigError",
    "NotFoundError", "AdapterError", "LimitError", "NoMemoryError",
    "InternalError", "IOFailure", "SnapshotError",
    "LOG_TRACE", "LOG_DEBUG", "LOG_INFO", "LOG_WARN",
    "LOG_ERROR", "LOG_OFF",
]
