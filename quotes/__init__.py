"""quotes: find quotations in news text, attribute them, store them with provenance.

``quotes.extract`` and ``quotes.Extractor`` load with the package; ``Store``, ``verify``,
``trace`` and ``check`` load on first use (PEP 562), so that extracting never imports
SQLAlchemy. The packages are described in docs/architecture.md.
"""
from __future__ import annotations

import importlib
from typing import Any

from . import extract
from .errors import ModelError, QuotesError, ReadError, StoreError
from .extract import Extractor
from .types import Document, Outlet, Quote, Speaker, Span

# name -> (module, attribute) of what is loaded on first use
_LAZY = {
    "Store": ("quotes.store", "Store"),
    "verify": ("quotes.factcheck.verify", "verify"),
    "trace": ("quotes.factcheck.trace", "trace"),
    "check": ("quotes.factcheck.check", "check"),
}

__all__ = ["Document", "Extractor", "ModelError", "Outlet", "Quote", "QuotesError", "ReadError",
           "Speaker", "Span", "Store", "StoreError", "check", "extract", "trace", "verify"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module, attribute = _LAZY[name]
        value = getattr(importlib.import_module(module), attribute)
        globals()[name] = value  # once loaded, an ordinary attribute
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
