"""Extraction: a document in, its attributed quotes out (no database, no command line).

segment and stanza_engine (paragraphs, sentences), finder (quote marks), classify (kinds),
mentions and context (tokens, noun phrases, speech events), sieves (attribution rules),
resolve (canonical speakers and outlets), ner (speaker types), pipeline (the Extractor).
"""
from __future__ import annotations

import sys
import types

from .pipeline import Extractor, extract

__all__ = ["Extractor", "extract"]


class _CallableModule(types.ModuleType):
    # ``quotes.extract`` is both this package and the library's shortcut function: calling the
    # module calls :func:`quotes.extract.pipeline.extract`, so ``quotes.extract("text")`` keeps
    # working while ``import quotes.extract`` gives the package.
    def __call__(self, *args, **kwargs):
        return extract(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
