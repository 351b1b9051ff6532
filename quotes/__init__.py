"""quotes: find quotations in news text, attribute them, store them with provenance."""
from .errors import ModelError, QuotesError, ReadError, StoreError
from .pipeline import Extractor, extract
from .store import Store
from .types import Document, Outlet, Quote, Speaker, Span
from .verify import check, trace, verify

__all__ = ["Document", "Extractor", "ModelError", "Outlet", "Quote", "QuotesError", "ReadError",
           "Speaker", "Span", "Store", "StoreError", "check", "extract", "trace", "verify"]
__version__ = "0.1.0"
