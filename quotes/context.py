"""Everything the sieves need to know about one document, computed once.

``DocContext`` holds the text, its paragraphs and sentences, the quotes
found, the tokens outside quotes, and the "speech events" of the article:
every reporting verb with the speaker next to it, quoted or not. Pronouns and
nominal mentions are resolved against those events and the names in the text.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from .finder import Found
from .lang import en
from .mentions import Token, is_cue_verb, is_pronoun, np_after, speaker_before, tokens
from .types import Span


# How far (in characters) a sentence look-up reaches on either side of an offset.
SENTENCE_REACH = 3000


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
    toks: list[Token] = field(default_factory=list)
    in_quote: list[bool] = field(default_factory=list)
    events: list[SpeechEvent] = field(default_factory=list)
    _sent_starts: list[int] = field(default_factory=list)
    _event_starts: list[int] = field(default_factory=list)
    _cue_prefix: list[int] = field(default_factory=list)
    _subjects: dict = field(default_factory=dict)
    _para_starts: list[int] = field(default_factory=list)
    _tok_starts: list[int] = field(default_factory=list)

    @classmethod
    def build(cls, text: str, paragraphs: list[Span], sentences: list[tuple[int, int]],
              quotes: list[Found]) -> "DocContext":
        ctx = cls(text, paragraphs, sorted(sentences), quotes)
        ctx.decisions = [None] * len(quotes)
        ctx.toks = tokens(text)
        ctx._tok_starts = [t.start for t in ctx.toks]
        ctx._sent_starts = [s for s, _ in ctx.sentences]
        ctx._para_starts = [p.start for p in paragraphs]
        # which tokens stand inside an outer quote
        ctx.in_quote = [False] * len(ctx.toks)
        for q in quotes:
            if q.depth:
                continue
            a = bisect.bisect_left(ctx._tok_starts, q.span.start)
            b = bisect.bisect_left(ctx._tok_starts, q.span.end)
            for k in range(a, b):
                ctx.in_quote[k] = True
        prefix = [0]
        for k, t in enumerate(ctx.toks):
            prefix.append(prefix[-1] + (not ctx.in_quote[k] and t.lower in en.CUE_VERBS))
        ctx._cue_prefix = prefix
        ctx.events = ctx._speech_events()
        ctx._event_starts = [ev.cue.start for ev in ctx.events]
        return ctx

    # ---------------------------------------------------------------- lookups
    def sentence_of(self, offset: int) -> tuple[int, int]:
        """The sentence holding ``offset``, clipped to :data:`SENTENCE_REACH` characters on
        either side: a "sentence" of a megabyte (a text with no full stops) must not make
        every look-up read all of it."""
        i = bisect.bisect_right(self._sent_starts, offset) - 1
        if i < 0:
            return (0, 0)
        s, e = self.sentences[i]
        return max(s, offset - SENTENCE_REACH), min(e, offset + SENTENCE_REACH)

    def sentence_index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self._sent_starts, offset) - 1)

    def paragraph_index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self._para_starts, offset) - 1)

    def tok_index(self, offset: int) -> int:
        """Index of the first token starting at or after ``offset``."""
        return bisect.bisect_left(self._tok_starts, offset)

    def outside_tokens(self, start: int, end: int, first: int | None = None,
                       last: int | None = None) -> list[int]:
        """Indices of the tokens in ``[start, end)`` outside quotes; only the ``first`` or
        ``last`` few of them when asked (without reading the rest)."""
        a, b = self.tok_index(start), self.tok_index(end)
        if first is not None:
            out = []
            for k in range(a, b):
                if not self.in_quote[k]:
                    out.append(k)
                    if len(out) >= first:
                        break
            return out
        if last is not None:
            out = []
            for k in range(b - 1, a - 1, -1):
                if not self.in_quote[k]:
                    out.append(k)
                    if len(out) >= last:
                        break
            return out[::-1]
        return [k for k in range(a, b) if not self.in_quote[k]]

    def has_cue_word(self, start: int, end: int) -> bool:
        """Is a reporting-verb word (any use) outside quotes in ``[start, end)``? Constant time."""
        return self._cue_prefix[self.tok_index(end)] > self._cue_prefix[self.tok_index(start)]

    def clause_subject_cached(self, key: tuple[int, int], compute) -> Span | None:
        cache = self._subjects
        if key not in cache:
            cache[key] = compute()
        return cache[key]

    # ---------------------------------------------------------------- speech events
    def _speech_events(self) -> list[SpeechEvent]:
        out: list[SpeechEvent] = []
        text, toks = self.text, self.toks
        for k, t in enumerate(toks):
            if self.in_quote[k] or not is_cue_verb(toks, k):
                continue
            if t.lower in ("call", "calls", "called", "calling", "point", "points", "pointed", "pointing",
                           "post", "posts", "posted", "report", "reports", "state", "states"):
                # too often not speech ("so-called", "points out" aside); only as past-tense cues
                if t.lower not in ("called", "posted", "reported", "stated"):
                    continue
            s, e = self.sentence_of(t.start)
            subj = speaker_before(text, toks, k, s)
            if subj is not None and subj.text.split()[0].lower() in ("a", "an", "that", "which", "this"):
                subj = None  # "an early morning tweet", "that almost suggested": not a speaker
            if subj is not None and not any(self.in_quote[j] for j in range(self.tok_index(subj.start), k)):
                out.append(SpeechEvent(Span.of(text, t.start, t.end), subj, False))
                continue
            if t.lower in en.STRONG_CUES:
                obj = np_after(text, toks, k + 1, e)
                if obj is not None and not is_pronoun(obj.text) or (obj is not None and k + 1 < len(toks)
                                                                   and toks[k + 1].lower in ("he", "she", "they")):
                    out.append(SpeechEvent(Span.of(text, t.start, t.end), obj, True))
        return out

    def events_between(self, start: int, end: int) -> list[SpeechEvent]:
        a = bisect.bisect_left(self._event_starts, start)
        b = bisect.bisect_left(self._event_starts, end)
        return self.events[a:b]

    def events_before(self, offset: int, limit: int = 400) -> list[SpeechEvent]:
        """The last ``limit`` speech events whose speaker mention starts before ``offset``."""
        b = bisect.bisect_left(self._event_starts, offset)
        return [ev for ev in self.events[max(0, b - limit):b + 8] if ev.speaker.start < offset]
