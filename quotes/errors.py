"""Small named exceptions. Each carries one line a user can act on."""


class QuotesError(Exception):
    """Base class of every error the package raises on purpose."""


class ReadError(QuotesError):
    """A source (file, stdin, JSONL line) could not be read or decoded."""


class ModelError(QuotesError):
    """A stanza model directory is missing, incomplete or corrupt."""


class StoreError(QuotesError):
    """The database cannot be opened, upgraded or written."""
