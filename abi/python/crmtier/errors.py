"""Exceptions raised for the library's status codes (values pinned in crmtier.h)."""

from __future__ import annotations

from typing import Dict, Type

OK = 0
E_ARGUMENT = 1
E_PARSE = 2
E_RECORD = 3
E_CONFIG = 4
E_NOT_FOUND = 5
E_ADAPTER = 6
E_LIMIT = 7
E_NOMEM = 8
E_INTERNAL = 9
E_IO = 10
E_SNAPSHOT = 11


class CrmtierError(Exception):
    """A crmtier call failed.

    ``status`` is the CRMTIER_E_* code and ``message`` the text of
    crmtier_last_error() taken right after the failed call.
    """

    status: int = -1

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"[{status}] {message}")
        self.status = status
        self.message = message


class ArgumentError(CrmtierError, ValueError):
    """CRMTIER_E_ARGUMENT: NULL pointer, empty buffer, bad date or range."""


class ParseError(CrmtierError, ValueError):
    """CRMTIER_E_PARSE: input that is not well-formed JSON / CSV / JSON Lines."""


class RecordError(CrmtierError, ValueError):
    """CRMTIER_E_RECORD: a record breaks the contract; the message names it and the field."""


class ConfigError(CrmtierError, ValueError):
    """CRMTIER_E_CONFIG: invalid configuration (unknown key, wrong type, range)."""


class NotFoundError(CrmtierError, LookupError):
    """CRMTIER_E_NOT_FOUND: no such account."""


class AdapterError(CrmtierError, LookupError):
    """CRMTIER_E_ADAPTER: no adapter of that name."""


class LimitError(CrmtierError):
    """CRMTIER_E_LIMIT: a configured limit would be exceeded."""


class NoMemoryError(CrmtierError, MemoryError):
    """CRMTIER_E_NOMEM: memory ran out; the engine is unchanged."""


class InternalError(CrmtierError):
    """CRMTIER_E_INTERNAL: a bug in crmtier caught at the boundary."""


class IOFailure(CrmtierError, OSError):
    """CRMTIER_E_IO: a file could not be read or written (message: reason, path)."""


class SnapshotError(CrmtierError):
    """CRMTIER_E_SNAPSHOT: a snapshot file that is truncated, altered or newer."""


_BY_STATUS: Dict[int, Type[CrmtierError]] = {
    E_ARGUMENT: ArgumentError,
    E_PARSE: ParseError,
    E_RECORD: RecordError,
    E_CONFIG: ConfigError,
    E_NOT_FOUND: NotFoundError,
    E_ADAPTER: AdapterError,
    E_LIMIT: LimitError,
    E_NOMEM: NoMemoryError,
    E_INTERNAL: InternalError,
    E_IO: IOFailure,
    E_SNAPSHOT: SnapshotError,
}


def error_for(status: int, message: str) -> CrmtierError:
    """The exception object for a non-zero status."""
    cls = _BY_STATUS.get(status, CrmtierError)
    return cls(status, message)
