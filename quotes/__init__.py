"""quotes: find quotations in news text, attribute them, store them with provenance."""
from .errors import ModelError, QuotesError, ReadError, StoreError
from .pipeline import Extractor, extract
from .types import Document, Outlet, Quote, Speaker, Span

__all__ = ["Document", "Extractor", "ModelError", "Outlet", "Quote", "QuotesError", "ReadError",
           "Speaker", "Span", "StoreError", "extract"]
__version__ = "0.1.0"
