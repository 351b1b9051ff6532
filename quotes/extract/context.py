"""Everything the sieves need to know about one document, computed once.

``DocContext`` holds the text, its paragraphs and sentences, the quotes
found, the tokens outside quotes, and the "speech events" of the article:
every reporting verb with the speaker next to it, quoted or not. Pronouns and
nominal mentions are resolved against those events and the names in the text.
"""
from __future__ import annotations

import bisect
import functools
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from .finder import Found
from ..lang import en
from .mentions import is_cue_verb, is_pronoun, np_after, speaker_before
from .tokens import Token, tokenise
from .segment import in_bmp
from ..types import Span


# How far (in characters) a sentence look-up reaches on either side of an offset.
SENTENCE_REACH = 3000


def _cue_word_indices(lowers: list[str]) -> list[int]:
    """Indices of the tokens (given in lower case) that are a reporting-verb word (in any use)."""
    return list(itertools.compress(itertools.count(), map(en.CUE_VERBS.__contains__, lowers)))


# Reporting verbs too often not speech ("so-called", "points out" aside): they make a speech
# event only as past-tense cues ("called", "pointed" is none either: "pointed out").
_NOT_SPEECH_FORMS = frozenset("call calls calling point points pointed pointing post posts report reports "
                              "state states".split())


@dataclass(frozen=True)
class SpeechEvent:
    """A reporting verb and the speaker mention it governs."""

    cue: Span
    speaker: Span
    after: bool  # the speaker follows the verb ("said X")


@dataclass
class Decision:
    """What a sieve decided for one quote."""

    sieve: str
    mention: Span | None
    cue: Span | None
    confidence: float
    steps: list[str] = field(default_factory=list)
    inherited_from: int | None = None


@dataclass
class DocContext:
    text: str
    paragraphs: list[Span]
    sentences: list[tuple[int, int]]
    quotes: list[Found]
    kinds: list[str] = field(default_factory=list)
    decisions: list[Decision | None] = field(default_factory=list)
    toks: Sequence[Token] = field(default_factory=list)
    # the tokens' texts and lower-case forms as plain lists (``toks.words``, ``toks.lowers``): a
    # rule that reads only a word of a token reads it there, and no Token object is built
    words: list[str] = field(default_factory=list)
    lowers: list[str] = field(default_factory=list)
    in_quote: bytearray = field(default_factory=bytearray)  # 1 for a token inside an outer quote
    outside: bytearray = field(default_factory=bytearray)  # the same, negated: what outside_tokens reads
    _events: list[SpeechEvent] | None = None  # the speech events, found on first use: see ``events``
    _sent_starts: list[int] = field(default_factory=list)
    _event_starts: list[int] = field(default_factory=list)
    _cue_tokens: list[int] = field(default_factory=list)  # cue-verb words outside quotes, in order
    _subjects: dict = field(default_factory=dict)
    _para_starts: list[int] = field(default_factory=list)
    _tok_starts: list[int] = field(default_factory=list)
    bmp: bool = False  # the text stays within the Basic Multilingual Plane: ``re`` twins may read it

    @classmethod
    def build(cls, text: str, paragraphs: list[Span], sentences: list[tuple[int, int]],
              quotes: list[Found]) -> "DocContext":
        ctx = cls(text, paragraphs, sorted(sentences), quotes)
        ctx.decisions = [None] * len(quotes)
        ctx.bmp = in_bmp(text)
        toks = tokenise(text)
        ctx.toks, ctx._tok_starts, ctx.words, ctx.lowers = toks, toks.starts, toks.words, toks.lowers
        ctx._sent_starts = [s for s, _ in ctx.sentences]
        ctx._para_starts = [p.start for p in paragraphs]
        # which tokens stand inside an outer quote
        # (bytes, not lists of booleans: a byte a token instead of eight, read the same way)
        ctx.in_quote = bytearray(len(ctx.toks))
        ctx.outside = bytearray(b"\x01") * len(ctx.toks)
        for q in quotes:
            if q.depth:
                continue
            a = bisect.bisect_left(ctx._tok_starts, q.span.start)
            b = bisect.bisect_left(ctx._tok_starts, q.span.end)
            if b > a:
                ctx.in_quote[a:b] = b"\x01" * (b - a)
                ctx.outside[a:b] = bytes(b - a)
        ctx._cue_tokens = [k for k in _cue_word_indices(toks.lowers) if not ctx.in_quote[k]]
        return ctx

    @property
    def events(self) -> list[SpeechEvent]:
        """Every reporting verb outside quotes with the speaker next to it, in text order; found
        on first use (a document whose quotes all name their speakers never asks)."""
        if self._events is None:
            self._events = self._speech_events()
            self._event_starts = [ev.cue.start for ev in self._events]
        return self._events

    @functools.cached_property
    def lower_only(self) -> frozenset[str]:
        """Words (in lower case) the article writes in lower case and never capitalises inside
        a sentence: a capitalised one ("More", "Insiders") owes its capital to its position."""
        return frozenset(self._case_evidence[0] - self._case_evidence[1])

    @functools.cached_property
    def capitalised_inside(self) -> frozenset[str]:
        """Words (in lower case) the article capitalises inside a sentence: names, even when
        they are words too ("Will", "May")."""
        return frozenset(self._case_evidence[1])

    @functools.cached_property
    def _case_evidence(self) -> tuple[set[str], set[str]]:
        lower, inner_caps = set(), set()
        prev_word = False
        text, starts, ends = self.text, self.toks.starts, self.toks.ends
        for k, w in enumerate(self.words):
            first = w[0]
            if first.islower():
                lower.add(w.lower())
            elif first.isupper() and prev_word and "\n" not in text[ends[k - 1]:starts[k]]:
                inner_caps.add(w.lower())  # (a line break starts a new sentence: "Channel¶More>>")
            prev_word = first.isalnum() or w == ","
        return lower, inner_caps

    # ---------------------------------------------------------------- lookups
    def sentence_of(self, offset: int) -> tuple[int, int]:
        """The sentence holding ``offset``, clipped to :data:`SENTENCE_REACH` characters on
        either side: a "sentence" of a megabyte (a text with no full stops) must not make
        every look-up read all of it."""
        i = bisect.bisect_right(self._sent_starts, offset) - 1
        if i < 0:
            return (0, 0)
        s, e = self.sentences[i]
        lo, hi = offset - SENTENCE_REACH, offset + SENTENCE_REACH
        return (s if s > lo else lo), (e if e < hi else hi)

    def sentence_index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self._sent_starts, offset) - 1)

    def paragraph_index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self._para_starts, offset) - 1)

    def end_paragraph_index(self, quote: Found) -> int:
        """The paragraph a quote ends in (a quotation may run over several)."""
        return self.paragraph_index(max(quote.span.start, quote.span.end - 1))

    def tok_index(self, offset: int) -> int:
        """Index of the first token starting at or after ``offset``."""
        return bisect.bisect_left(self._tok_starts, offset)

    def quote_starts_between(self, start: int, end: int) -> bool:
        """Does a quote start in ``[start, end)``? (Log time: the quotes are in order of start.)"""
        starts = self.__dict__.get("_quote_starts")
        if starts is None:
            starts = self._quote_starts = sorted(q.span.start for q in self.quotes)
        k = bisect.bisect_left(starts, start)
        return k < len(starts) and starts[k] < end

    def outside_tokens(self, start: int, end: int, first: int | None = None,
                       last: int | None = None) -> list[int]:
        """Indices of the tokens in ``[start, end)`` outside quotes; only the ``first`` or
        ``last`` few of them when asked (a number below one counts as one)."""
        a, b = self.tok_index(start), self.tok_index(end)
        flags = self.outside
        if first is not None:  # (read from a on: no copy of a long stretch for its first few)
            out, want = [], max(first, 1)
            for k in range(a, b):
                if flags[k]:
                    out.append(k)
                    if len(out) == want:
                        break
            return out
        if last is not None:
            out, want = [], max(last, 1)
            for k in range(b - 1, a - 1, -1):
                if flags[k]:
                    out.append(k)
                    if len(out) == want:
                        break
            return out[::-1]
        return list(itertools.compress(range(a, b), flags[a:b]))

    def has_cue_word(self, start: int, end: int) -> bool:
        """Is a reporting-verb word (any use) outside quotes in ``[start, end)``? Logarithmic time."""
        cues = self._cue_tokens
        return bisect.bisect_left(cues, self.tok_index(start)) < bisect.bisect_left(cues, self.tok_index(end))

    def clause_subject_cached(self, key: tuple[int, int], compute) -> Span | None:
        cache = self._subjects
        if key not in cache:
            cache[key] = compute()
        return cache[key]

    # ---------------------------------------------------------------- speech events
    def _speech_events(self) -> list[SpeechEvent]:
        out: list[SpeechEvent] = []
        text, toks, lowers = self.text, self.toks, self.lowers
        for k in self._cue_tokens:
            if lowers[k] in _NOT_SPEECH_FORMS or not is_cue_verb(toks, k):
                continue
            if k > 0 and lowers[k - 1] in en.PASSIVE_AUXILIARIES:
                continue  # "the Dewan Rakyat was told", "it was reported": no speaker named
            t = toks[k]
            s, e = self.sentence_of(t.start)
            subj = speaker_before(text, toks, k, s)
            if subj is not None and subj.text.split()[0].lower() in ("a", "an", "that", "which", "this"):
                subj = None  # "an early morning tweet", "that almost suggested": not a speaker
            if subj is not None and True not in self.in_quote[self.tok_index(subj.start):k]:
                out.append(SpeechEvent(Span.of(text, t.start, t.end), subj, False))
                continue
            if t.lower in en.STRONG_CUES:
                obj = np_after(text, toks, k + 1, e)
                if obj is not None and not is_pronoun(obj.text) or (obj is not None and k + 1 < len(toks)
                                                                   and toks[k + 1].lower in ("he", "she", "they")):
                    out.append(SpeechEvent(Span.of(text, t.start, t.end), obj, True))
        return out

    def events_between(self, start: int, end: int) -> list[SpeechEvent]:
        events = self.events
        a = bisect.bisect_left(self._event_starts, start)
        b = bisect.bisect_left(self._event_starts, end)
        return events[a:b]

    def events_before(self, offset: int, limit: int = 400) -> list[SpeechEvent]:
        """The last ``limit`` speech events whose speaker mention starts before ``offset``."""
        events = self.events
        b = bisect.bisect_left(self._event_starts, offset)
        return [ev for ev in events[max(0, b - limit):b + 8] if ev.speaker.start < offset]
