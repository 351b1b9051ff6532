"""Reported speech: what someone said, wrote or claimed, given without quote marks (kind
``indirect``).

    Maduro said the coup attempt had failed.          -> "the coup attempt had failed"
    The talks are over, the ministry claimed.          -> "The talks are over"
    According to the police, two men were arrested.    -> "two men were arrested"

Each sentence that is not wholly inside a quotation goes to the tagger (:mod:`.tagger`), which
marks the words of the content, the cue and the source; :mod:`.decode` groups them into
attributions. An attribution is kept when the tagger is sure enough of its content (the mean
probability of its words being content, ``threshold``), when the content has two words or more
and is not itself mostly a quotation in marks (the finder has that one). Its source is then
resolved by the same resolver as a direct quote's speaker ("he" -> the person, "the ministry" ->
the ministry the article named), and its outlet found by the same outlet rules. The content's
offsets leave out the complementiser ("said that ...") and the punctuation at either end.
"""
from __future__ import annotations

import bisect
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import ModelError
from ...lang import en
from ...types import Quote, Span
from ..context import Decision
from .decode import group
from .tagger import MODEL, Tagger, viterbi, words

if TYPE_CHECKING:
    from ..context import DocContext
    from ..resolve import Resolver

log = logging.getLogger(__name__)

SIEVE = "indirect"
# The content score an attribution needs: chosen on articles held out of PolNeAR train for a
# precision near 0.8 (docs/indirect.md has the trade-off measured)
THRESHOLD = 0.8
MIN_WORDS = 2
_STRIP = frozenset("\"'“”‘’«»„‟‹›「」『』 \t\r\n\u00a0,.;:!?—–-…")
_COMPLEMENTISER = "that"


class ReportedSpeech:
    """Finds the reported speech of a document; loads its model on first use."""

    def __init__(self, model: str | Path = MODEL, threshold: float = THRESHOLD):
        self.model = model
        self.threshold = threshold
        self._tagger: Tagger | None = None

    @property
    def tagger(self) -> Tagger:
        if self._tagger is None:
            try:
                self._tagger = Tagger(self.model)
            except (OSError, ValueError, KeyError) as exc:
                raise ModelError(f"cannot load the reported-speech model {self.model} ({_first_line(exc)}); "
                                 "reinstall the package, or run without --indirect") from None
        return self._tagger

    def load(self) -> None:
        self.tagger  # noqa: B018  (read the model now)

    def spans(self, text: str, sentences: list[tuple[int, int]],
              quoted: list[tuple[int, int]]) -> list[tuple[Span, Span | None, Span | None, float]]:
        """(content, cue, source, score) of each attribution the tagger finds in ``sentences``
        of ``text``; ``quoted`` are the outer quotations in marks, in order of start."""
        starts = [a for a, _ in quoted]
        todo = []
        for s, e in sentences:
            k = bisect.bisect_right(starts, s) - 1
            if k >= 0 and quoted[k][1] >= e:
                continue  # the sentence lies wholly inside a quotation
            ws = words(text, s, e)
            if len(ws) >= 3:
                todo.append(ws)
        if not todo:
            return []
        probs = self.tagger.probabilities([[text[a:b] for a, b in ws] for ws in todo])
        # decode only the sentences where some word is more likely content than not
        live = [k for k, p in enumerate(probs) if (p[:, 0, 0] < 0.5).any()]
        if not live:
            return []
        tags = viterbi(self.tagger, [probs[k][:, layer, :] for layer in range(3) for k in live])
        n = len(live)
        out = []
        for m, k in enumerate(live):
            content, cues, sources = tags[m], tags[n + m], tags[2 * n + m]
            if not any(content):
                continue
            ws, p = todo[k], probs[k]
            for att in group([text[a:b] for a, b in ws], content, cues, sources, p):
                i, j = att.content
                if j - i < MIN_WORDS:
                    continue
                score = float(p[i:j, 0, 1:].sum(-1).mean())
                if score < self.threshold:
                    continue
                a, b = ws[i][0], ws[j - 1][1]
                if _mostly_quoted(text, quoted, starts, a, b):
                    continue  # a quotation the finder has
                a, b = _trim(text, a, b)
                if b - a < 2:
                    continue
                if att.cue is None and att.source is None:
                    continue  # content with no one saying it: not an attribution to show
                cue = Span.of(text, ws[att.cue[0]][0], ws[att.cue[1] - 1][1]) if att.cue else None
                src = _tidy_source(text, [ws[k] for k in range(*att.source)]) if att.source else None
                out.append((Span.of(text, a, b), cue, src, score))
        return out

    def quotes(self, ctx: "DocContext", resolver: "Resolver") -> list[Quote]:
        """The indirect quotes of a document, attributed."""
        quoted = sorted((q.span.start, q.span.end) for q in ctx.quotes if q.depth == 0)
        out = []
        for content, cue, source, score in self.spans(ctx.text, ctx.sentences, quoted):
            event = _event_of(ctx, cue, content) if cue is not None else None
            if event is not None and (source is None or (_within(event.speaker, source) and event.speaker != source)):
                # the speech event the rules read at that verb names the speaker as for a direct
                # quote: a noun phrase ("the leadership" of "the leadership still backs Maduro and"),
                # "who" and relative clauses read; it stands for no source or a longer one
                source = event.speaker
            d = Decision(SIEVE, source, cue, score)
            speaker, steps = resolver.speaker(d, None) if source is not None else (None, [])
            outlet, osteps = resolver.outlet(d, None, speaker) if speaker is not None else (None, [])
            expl = (f"sieve {SIEVE}: mention '{source.text if source else ''}'"
                    + (f", cue '{cue.text}'" if cue else ""),
                    f"reported-speech tagger: its words are reported content (mean probability {score:.2f})") \
                + tuple(steps) + tuple(osteps)
            out.append(Quote(span=content, content=content, kind="indirect", closed=True, speaker=speaker,
                             cue=cue, outlet=outlet, sieve=SIEVE, confidence=score, explanation=expl))
        return out


_TIME_HEADS = frozenset("last this next on earlier".split())
_TIME_WORDS = en.WEEKDAYS | frozenset("week weekend month year morning afternoon evening night".split())
_ALONE = frozenset("yesterday today tonight and or but , — – - ( ;".split())
_CLAUSE_WORDS = frozenset("still also who which that has have had is are was were will would".split())


def _tidy_source(text: str, ws: list[tuple[int, int]]) -> Span:
    """The source's words without a time phrase or a conjunction at the end ("The ministry
    last week", "officials on Monday", "the leader and")."""
    def low(k: int) -> str:
        return text[ws[k][0]:ws[k][1]].lower()
    n = len(ws)
    for k in range(1, n):  # "the leadership still backs Maduro": a clause; its subject is the source
        w = low(k)
        if w in _CLAUSE_WORDS or w in en.FINITE_VERBS:
            n = k
            break
    while n > 1:
        if low(n - 1) in _ALONE or low(n - 1) in en.WEEKDAYS or low(n - 1) in _TIME_HEADS:
            n -= 1
        elif n > 2 and low(n - 1) in _TIME_WORDS and low(n - 2) in _TIME_HEADS:
            n -= 2
        else:
            break
    return Span.of(text, ws[0][0], ws[n - 1][1])


def _within(a: Span, b: Span) -> bool:
    return b.start <= a.start and a.end <= b.end


def _event_of(ctx: "DocContext", cue: Span, content: Span):
    """The speech event whose verb is in the cue, with its speaker outside the content."""
    for ev in ctx.events_between(cue.start, cue.end):
        if not (content.start <= ev.speaker.start < content.end):
            return ev
    return None


def _mostly_quoted(text: str, quoted: list[tuple[int, int]], starts: list[int], s: int, e: int,
                   share: float = 0.8) -> bool:
    """Is ``[s, e)`` a quotation in marks rather than reported speech: it starts inside (or at)
    one, and ``share`` of its characters (marks and end punctuation aside) are quoted."""
    s, e = _strip(text, s, e)
    if e <= s:
        return True
    inside, starts_in = 0, False
    for a, b in quoted[max(0, bisect.bisect_right(starts, s) - 1):bisect.bisect_left(starts, e)]:
        if b <= s or a >= e:
            continue
        inside += min(b, e) - max(a, s)
        starts_in = starts_in or a <= s + 1
    return starts_in and inside >= share * (e - s)


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in _STRIP:
        s += 1
    while e > s and text[e - 1] in _STRIP:
        e -= 1
    return s, e


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """The content without the complementiser "that" before it, nor spaces and punctuation
    at either end (a quote mark stays only where it belongs to a quotation inside)."""
    if text[s:s + 5].lower() == _COMPLEMENTISER + " ":
        s += 5
    while s < e and text[s] in " \t\r\n\u00a0,;:—–-”’»":
        s += 1
    while e > s and text[e - 1] in " \t\r\n\u00a0,;:—–-":
        e -= 1
    return s, e


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
