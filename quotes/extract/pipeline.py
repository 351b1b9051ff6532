"""The extractor: a document in, its attributed quotes out.

    ex = Extractor(engine="rules")
    for quote in ex.extract(Document.from_text(text)):
        ...

Steps: paragraphs -> sentences (the chosen engine) -> quote marks ->
kinds -> sieves -> canonical speakers and outlets. ``extract`` is a pure
function of the document, so a distributed engine can map it.
"""
from __future__ import annotations

import bisect
import dataclasses
import gc
import itertools
import logging
import os

import regex

from .classify import classify
from .context import Decision, DocContext
from .finder import find_quotes
from ..lang import en
from .mentions import is_pronoun
from .outlets import carry_over
from .reported import ReportedSpeech
from .resolve import Resolver
from .segment import RuleSegmenter, Segmenter, paragraphs
from .transcript import transcript_quotes
from .sieves import parse_config, run_sieves
from ..types import Document, Outlet, Quote, Span

log = logging.getLogger(__name__)

ENGINES = ("stanza", "rules")
# Marks that open a quotation (apostrophes and closing single marks left out: they are everywhere).
_QUOTING_MARKS = frozenset(en.DOUBLE_MARKS + "‘‚‹")
DEFAULT_ENGINE = "stanza"


def make_segmenter(engine: str, models: str | os.PathLike | None = None) -> Segmenter:
    if engine == "rules":
        return RuleSegmenter()
    if engine == "stanza":
        from .stanza_engine import StanzaSegmenter  # imports torch: only when asked for
        return StanzaSegmenter(models)
    raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")


class Extractor:
    """Loads its engine once; ``extract`` may then be called for any number of documents."""

    def __init__(self, engine: str = DEFAULT_ENGINE, models: str | os.PathLike | None = None,
                 sieves: str | None = None, indirect: bool = False):
        parse_config(sieves)  # fail early on a bad configuration
        self.engine = engine
        self.sieves = sieves
        self.indirect = indirect  # reported speech without quote marks too (kind "indirect")
        self.reported = ReportedSpeech() if indirect else None
        self.segmenter = make_segmenter(engine, models)
        self._rules = RuleSegmenter()
        # speaker types from stanza NER when the model directory has an NER model (Stanford's,
        # after `quotes models download`); reads resources.json only, stanza loads on first use
        self.ner = None
        if engine == "stanza":
            from .ner import NerTagger
            self.ner = NerTagger(models)

    def load(self) -> None:
        """Load the models now (the first document would otherwise), so that a broken model
        directory fails before anything is read or stored."""
        load = getattr(self.segmenter, "load", None)
        if callable(load):
            load()
        if self.ner is not None:
            self.ner.load()
        if self.reported is not None:
            self.reported.load()

    def sentences(self, text: str, paras: list[Span]) -> list[tuple[int, int]]:
        """Sentences of every paragraph. Paragraphs with no opening quote mark (apostrophes are
        in nearly every paragraph, so they don't count) are split by rules. The paragraphs that
        hold one, where attribution reads sentence boundaries, go to the engine; the stanza
        engine splits them by rules too and asks its model only about the doubtful points in
        them ("George H.W. Bush", "into the U.S. They", a line break), from a small window of
        text around each, in one call per document: the model reads about 1.2% of PolNeAR’s
        text (whole quote paragraphs: 38%). Refining every paragraph the same way changed no
        score on PolNeAR train or dev and asks the model four times as often."""
        if isinstance(self.segmenter, RuleSegmenter):
            return self.segmenter.sentences(text, [(p.start, p.end) for p in paras])
        wanted = {i for i, p in enumerate(paras) if not _QUOTING_MARKS.isdisjoint(p.text)}
        neural = self.segmenter.sentences(text, [(paras[j].start, paras[j].end) for j in sorted(wanted)]) \
            if wanted else []
        rest = self._rules.sentences(text, [(p.start, p.end) for j, p in enumerate(paras) if j not in wanted])
        return sorted(neural + rest)

    def extract(self, document: Document | str) -> list[Quote]:
        doc = Document.from_text(document) if isinstance(document, str) else document
        quotes = extract_quotes(doc.text, self.sentences, self.sieves, self.reported)
        return self.ner.type_speakers(doc, quotes) if self.ner is not None else quotes


def extract_quotes(text: str, sentencer, sieves: str | None = None,
                   reported: ReportedSpeech | None = None) -> list[Quote]:
    """The quotes of ``text``; with ``reported``, its reported speech too (kind "indirect")."""
    paras = paragraphs(text)
    found = find_quotes(text, paras)
    spoken = transcript_quotes(text, paras, found)  # "SPEAKER: words" turns, in a transcript only
    if not found and reported is None:
        return spoken  # nothing else to attribute: no sentences, tokens or speech events needed
    ctx = DocContext.build(text, paras, sentencer(text, paras), found)
    ctx.kinds = [classify(ctx, qi) for qi in range(len(found))]
    run_sieves(ctx, sieves)
    resolver = Resolver(ctx)
    quotes: list[Quote] = []
    around: list[Quote] = []  # the quotes so far that may still hold a later one (the rest end before it)

    def add(q: Quote) -> None:
        quotes.append(q)
        around.append(q)

    for qi, f in enumerate(found):
        d = ctx.decisions[qi]
        kind = ctx.kinds[qi]
        if d is not None:
            speaker, steps = resolver.speaker(d, qi)
            outlet, osteps = resolver.outlet(d, qi, speaker)
            if outlet is None and d.inherited_from is not None:
                prev = quotes[d.inherited_from]
                outlet = prev.outlet
                if outlet:
                    osteps = [f"outlet of the quote it continues ({outlet.name})"]
            expl = (f"sieve {d.sieve}: mention '{d.mention.text if d.mention else ''}'"
                    + (f", cue '{d.cue.text}'" if d.cue else ""),) + tuple(d.steps) + tuple(steps) + tuple(osteps)
            add(Quote(span=f.span, content=f.content, kind=kind, closed=f.closed, speaker=speaker,
                                cue=d.cue, outlet=outlet, sieve=d.sieve, confidence=d.confidence, explanation=expl))
            continue
        if kind not in ("scare", "title") and f.depth and quotes:
            # a nested quote speaks with the voice of the quote around it
            # (the quotes are in order of start: one that ends before this one starts holds no
            # later one either, and is no longer looked at: a long document's nested quotes are
            # not each compared with every quote before them)
            around[:] = [o for o in around if o.span.end >= f.span.start]
            outer = next((o for o in reversed(around) if o.span.start <= f.span.start and o.span.end >= f.span.end
                          and o.speaker), None)
            if outer:
                add(Quote(span=f.span, content=f.content, kind=kind, closed=f.closed,
                                    speaker=outer.speaker, cue=outer.cue, outlet=outer.outlet, sieve="nested",
                                    confidence=outer.confidence * 0.8,
                                    explanation=(f"inside the quote at {outer.span.start}",)))
                continue
        add(Quote(span=f.span, content=f.content, kind=kind, closed=f.closed))
    quotes = carry_over(quotes, resolver.outlets.occasion_text, _reported_occasions(ctx, resolver))
    if reported is not None:
        indirect = reported.quotes(ctx, resolver)
        quotes = _credit_inside(quotes, indirect)
        spoken = spoken + indirect
    return sorted(quotes + spoken, key=lambda q: (q.span.start, -q.span.end)) if spoken else quotes


def _credit_inside(quotes: list[Quote], indirect: list[Quote]) -> list[Quote]:
    """A partial quote inside reported speech that no sieve attributed is the reported
    speaker's words ("Ruto said the talks had been “very productive”"), and so are the words
    quoted there that were taken for a scare quote ("According to the ministry, the strikes
    were “precise”")."""
    if not indirect:
        return quotes
    starts = [q.span.start for q in indirect]
    out = []
    for q in quotes:
        k = bisect.bisect_right(starts, q.span.start) - 1
        host = indirect[k] if k >= 0 else None
        if q.kind in ("partial", "scare") and q.speaker is None and host is not None and host.speaker is not None \
                and host.span.start <= q.span.start and q.span.end <= host.span.end:
            q = dataclasses.replace(q, kind="partial", speaker=host.speaker, cue=host.cue, outlet=host.outlet, sieve="inside_reported",
                                    confidence=host.confidence * 0.9,
                                    explanation=(f"inside the reported speech at {host.span.start}",)
                                    + host.explanation[1:])
        out.append(q)
    return out


# Words one of which a sentence holds when it may name an outlet: only those sentences of reported
# speech are read for the occasions their speakers' later quotes continue.
_OUTLET_NEEDLES = regex.compile(
    r"told|tell|interview|statement|release|letter|note|e-?mail|message|video|post|tweet|twitter|facebook|"
    r"instagram|carried|quoted|according|television|radio|\btv\b|phone|briefing|spokes", regex.IGNORECASE)


def _reported_occasions(ctx: DocContext, resolver: Resolver) -> list[tuple[int, str, Outlet]]:
    """The outlets of reported speech outside quotes ("Musyoki, in an interview with TUKO.co.ke,
    said he met …"): (offset, speaker name, outlet) for :func:`carry_over`."""
    out = []
    quoted = sorted((q.span.start, q.span.end) for q in ctx.quotes if q.depth == 0)
    starts = [a for a, _ in quoted]
    max_end = list(itertools.accumulate((b for _, b in quoted), max))  # of the quotes that start first
    for ev in ctx.events:
        s, e = ctx.sentence_of(ev.cue.start)
        if not _OUTLET_NEEDLES.search(ctx.text, s, e):
            continue
        k = bisect.bisect_left(starts, e)  # the quotes starting before the sentence ends
        if k and max_end[k - 1] > s:  # one of them ends inside it (log time: a long document has
            continue  # as many quotes as events); the sentence's quote speaks for itself
        d = Decision("reported", ev.speaker, ev.cue, 0.0)
        speaker, _ = resolver.speaker(d, None)
        if speaker is None or is_pronoun(speaker.name):
            continue
        outlet, _ = resolver.outlet(d, None, speaker)
        if outlet is not None:
            out.append((ev.cue.start, speaker.name, outlet))
    return sorted(out + resolver.issued_documents(), key=lambda o: o[0])


_default: Extractor | None = None


def extract(text: str, engine: str = "rules", sieves: str | None = None, indirect: bool = False) -> list[Quote]:
    """Extract the quotes of one text (library shortcut; the extractor is cached)."""
    global _default
    if _default is None or (_default.engine, _default.sieves, _default.indirect) != (engine, sieves, indirect):
        _default = Extractor(engine=engine, sieves=sieves, indirect=indirect)
    return _default.extract(text)


YOUNG_GC_THRESHOLD = 50_000  # objects allocated between collections of the youngest generation


def settle_for_a_long_run() -> None:
    """For a process that extracts many documents: move what lives for the whole run
    (modules, language data, models) out of the collector's sight, and collect the
    youngest objects every 50,000 allocations instead of every 700. Extraction makes
    many short-lived objects and few reference cycles: the default threshold spent about
    4% of a rules run on collections that found little (``benchmarks/run.py``)."""
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_GC_THRESHOLD, older, oldest)
