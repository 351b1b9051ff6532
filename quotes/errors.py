"""Small named exceptions. Each carries one line a user can act on."""


class QuotesError(Exception):
    """Base class of every error the package raises on purpose."""


class ReadError(QuotesError):
    """A source (file, stdin, JSONL line) could not be read or decoded."""


class ModelError(QuotesError):
    """A stanza model directory is missing, incomplete or corrupt."""


class StoreError(QuotesError):
    """The database cannot be opened, upgraded or written."""


class StoreUnwritable(StoreError):
    """The database as a whole cannot take writes (locked, read-only, full, an I/O error): no
    document would be stored, so there is no point in trying the next one."""
