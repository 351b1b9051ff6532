"""Transcripts: "SPEAKER: words" lines with no quote marks (issue 18).

Press briefings and interviews are where fact-checkers go back to, and they often have no
quote marks at all::

    Foreign Ministry Spokesperson Wang Wenbin's Regular Press Conference on May 5, 2023

    CCTV: Yesterday the talks ended. What is China's comment?

    Wang Wenbin: China has always supported dialogue.

A document is read as a transcript when **several** lines start with a speaker label and a
colon: at least ``MIN_LINES`` of them, at least two different labels, one of them again
(a dialogue). Labels are a name with or without a title ("Wang Wenbin", "Spokesperson Wang
Wenbin", "MR. SMITH", "MR PRICE", "SECRETARY BLINKEN"), or "Q"/"QUESTION" and "A"/"ANSWER".
What is no one speaking is never a label: "Note:", "Photo:", "Read more:", a date or a number,
a label of more than six words, a line with lower-case words before its colon.

In a transcript each labelled line opens a **turn**: the words after the colon up to the
next labelled line (a turn may go on for paragraphs), or, for the last turn, to the end of
its paragraph. Each turn is one ``direct`` quote with no marks (``span`` and ``content`` are
the same words; the sieve is ``transcript_line``) credited to:

* a named label: the name, its title off ("Spokesperson" is the role), an all-capitals name
  written as a name ("PRICE" → "Price") and given its fullest form in the document ("Ned
  Price");
* "A"/"ANSWER": the one person the transcript otherwise names as speaking (the only named
  label, else the only titled name in its heading: "Spokesperson Wang Wenbin",
  "interview with Jane Doe"), else no one;
* "Q"/"QUESTION", and a label that is a news outlet ("CCTV:", "AFP:", "Reuters:"): no one; a
  reporter asks (the outlet is named in the explanation).

The outlet of every turn is the briefing's organisation when the heading before the first
turn names one ("Foreign Ministry", "U.S. Department of State", "White House"). A turn that is
itself a quotation in marks ("WALLACE: “…”") is left to the sieves, as is every quotation in
marks inside a turn.

Not detected: a transcript with fewer than four labelled lines or a single speaker, labels in
lower case ("q:"), speaker names on a line of their own above the words, labels inside a
paragraph of prose, and "—" or ">>" instead of the colon.
"""
from __future__ import annotations

import bisect
import functools
import itertools
from collections import Counter
from dataclasses import dataclass
from typing import Iterator, Sequence

import regex

from ..lang import en
from ..types import Outlet, Quote, Span, Speaker
from .mentions import clean_name, fold, split_role

MIN_LINES = 4  # labelled lines a transcript has at least
MAX_LABEL_WORDS = 6
SIEVE = "transcript_line"

_PARTICLES = r"(?:of|the|de|del|la|van|von|al|bin|da|y)"
_WORD = r"\p{Lu}[\p{L}\p{M}’'.\-]*"
_LINE = regex.compile(rf"^[ \t]*(?P<label>{_WORD}(?:[ \t]+(?:{_WORD}|{_PARTICLES}))*?)[ \t]*:[ \t]+(?=\S)",
                      regex.M | regex.V1)
_RUN = regex.compile(rf"{_WORD}(?:[ \t]+(?:{_WORD}|of|the|for|and|on))*", regex.V1)  # on one line
_HEAD_NAME = regex.compile(rf"(?:(?:{_WORD}\s+)*(?:[Ss]pokes(?:person|man|woman)|[Ss]ecretary|[Mm]inister|President|"
                           rf"Ambassador|Director|Chairman|Mayor|Governor|Senator)|[Ii]nterview(?:ed)?\s+with)"
                           rf"\s+(?P<name>{_WORD}(?:\s+{_WORD}){{1,3}})", regex.V1)
_BRIEFING = regex.compile(r"(?i)\b(?:press\s+(?:conference|briefing)|briefing|spokes(?:person|man|woman)|"
                          r"press\s+secretary|transcript)\b")
_LETTERED = regex.compile(r"\b\p{L}[\p{L}\p{M}’'\-]*", regex.V1)  # a word with letters
_HONORIFICS = frozenset("mr mrs ms miss mx sir dame".split())
_NEWS = frozenset("news times post journal agency radio television tv network press daily herald tribune "
                  "gazette telegraph guardian wire broadcasting".split())


@dataclass(frozen=True)
class _Label:
    start: int  # the label's offsets
    end: int
    text: str
    words: int  # where the turn's words start
    kind: str  # named | question | answer | outlet


def transcript_quotes(text: str, paras: Sequence[Span], found: Sequence) -> list[Quote]:
    """The turns of a transcript as quotes, or [] when the document is no transcript.
    ``found`` are the quotations in marks (the finder's), whose spans a turn must respect."""
    if ":" not in text:
        return []
    labels = [lab for m in _LINE.finditer(text) if (lab := _label(m, text)) is not None]
    if not _is_transcript(labels, text):
        return []
    heading = text[:labels[0].start]
    outlet, outlet_step = _briefing_outlet(text, labels[0].start)
    fullest = _Fullest(text, [_person(lab.text)[0] for lab in labels if lab.kind == "named"])
    answerer = _answerer(labels, heading, text, fullest)
    named = {}  # the names the labels give, where first ("JAKE TAPPER" names the later "TAPPER")
    for lab in labels:
        if lab.kind == "named":
            named.setdefault(_person(lab.text)[0], lab.start)
    marked = _Marked([(f.span.start, f.span.end) for f in found])
    out = []
    for n, lab in enumerate(labels):
        end = labels[n + 1].start if n + 1 < len(labels) else _paragraph_end(paras, lab.words, len(text))
        while end > lab.words and text[end - 1].isspace():
            end -= 1
        if end <= lab.words or not any(c.isalnum() for c in text[lab.words:end]):
            continue
        if marked.across(lab.words, end):
            continue  # a quotation across the turn's edge: not a turn to read
        if marked.covers(lab.words, end):
            continue  # the turn is a quotation in marks: the sieves read it
        words = Span.of(text, lab.words, end)
        speaker, steps = _speaker(lab, text, answerer, named, fullest)
        expl = (f"sieve {SIEVE}: speaker line '{lab.text}:'",) + tuple(steps)
        if outlet is not None:
            expl += (outlet_step,)
        out.append(Quote(span=words, content=words, kind="direct", closed=True, speaker=speaker, cue=None,
                         outlet=outlet, sieve=SIEVE, confidence=0.9 if speaker is not None else 0.0,
                         explanation=expl))
    return out


def _label(m: regex.Match, text: str) -> _Label | None:
    raw = m.group("label")
    words = raw.split()
    line = text[m.end():text.find("\n", m.end()) % (len(text) + 1)].split()
    first_para = text.find("\n\n") < 0 or m.start() < text.find("\n\n")
    if first_para and len(line) >= 3 and sum(1 for w in line if w[:1].isupper() or not w[:1].isalpha()) >= 0.6 * len(line) \
            and sum(1 for w in line if w[:1].islower()) <= 2:
        return None  # "OK Gov Fallin: Trump Is ‘Trying To Campaign …’": the headline
    first = fold(words[0]).rstrip(".")
    if len(words) > MAX_LABEL_WORDS or any(c.isdigit() for c in raw) or first in en.NOT_SPEAKER_LABELS:
        return None
    folded = fold(raw).rstrip(".")
    if folded in en.QUESTION_LABELS:
        kind = "question"
    elif folded in en.ANSWER_LABELS:
        kind = "answer"
    elif len(words) == 1 and len(raw) == 1:
        return None  # a single letter other than Q and A: a list item
    elif _is_outlet(raw):
        kind = "outlet"
    else:
        kind = "named"
    return _Label(m.start("label"), m.end("label"), raw, m.end(), kind)


def _is_outlet(label: str) -> bool:
    folded = fold(label)
    if folded in en.OUTLET_NAMES or any(w in _NEWS for w in folded.split()):
        return True
    letters = [c for c in label if c.isalpha()]
    return len(label.split()) == 1 and label.isupper() and len(letters) <= 4  # CCTV, AFP, NHK


def _is_transcript(labels: list[_Label], text: str) -> bool:
    """Several labelled lines that speak (two words with letters after the colon), two
    labels at least, one of them again, one of them a name or an answer."""
    speaking = [lab for lab in labels if len(_LETTERED.findall(text, lab.words, text.find("\n", lab.words) % (
        len(text) + 1))) >= 2]
    if len(speaking) < MIN_LINES:
        return False
    counts = Counter(fold(lab.text) for lab in speaking)
    return len(counts) >= 2 and max(counts.values()) >= 2 and any(
        lab.kind in ("named", "answer") for lab in speaking)


def _paragraph_end(paras: Sequence[Span], at: int, default: int) -> int:
    for p in paras:
        if p.start <= at < p.end:
            return p.end
    return default


@functools.lru_cache(maxsize=4096)
def _person(label: str) -> tuple[str, str | None]:
    """A label as a person's name and role: "Spokesperson Wang Wenbin" -> ("Wang Wenbin",
    "Spokesperson"); "MR PRICE" -> ("Price", "MR"); "THE PRESIDENT" -> ("President", None)."""
    name = clean_name(label)
    _, role = split_role(label)
    words = name.split()
    if words and fold(words[0]).rstrip(".") in en.TITLES and len(words) > 1:  # "MR PRICE": no full stop
        role, words = words[0], words[1:]
    if role and fold(role).rstrip(".") in _HONORIFICS:
        role = None  # "Mr" is no role
    name = " ".join(words) or label
    if name.isupper() and len(name) > 1:
        name = " ".join(w.capitalize() if not regex.match(r"^\p{Lu}\.?$", w) else w for w in name.split())
    return name, role


@functools.lru_cache(maxsize=256)
def _fullest_pattern(last: str) -> regex.Pattern:
    """A name of two to four words ending with ``last``."""
    return regex.compile(rf"(?<![\p{{L}}])(?:\p{{Lu}}[\p{{L}}’'\-]+\s+){{1,3}}{regex.escape(last)}(?![\p{{L}}])",
                         regex.I | regex.V1)


def _alone(words: Sequence[str]) -> regex.Pattern:
    return regex.compile(rf"(?<![\p{{L}}])(?:{'|'.join(map(regex.escape, words))})(?![\p{{L}}])", regex.I | regex.V1)


def _word_char(c: str) -> bool:
    return c.isalpha() or c in "’'-"


class _Fullest:
    """:func:`_fullest` for the single-word labels of one transcript, each answered once.

    The fullest name ending with a word is looked for only near the word's occurrences (a
    name of two to four words ends with one), and the occurrences of every label's word are
    found in one pass over the text. (The name pattern run over the whole text cost ~3 µs a
    character, once per label: a long document with many labels took time in the square of
    its length.)"""

    def __init__(self, text: str, names: Sequence[str]):
        self.text = text
        self.answers: dict[str, tuple[str, int | None]] = {}
        lasts = list(dict.fromkeys(n.split()[-1] for n in names if n.split()))
        self.at: dict[str, list[tuple[int, int]]] = {w.casefold(): [] for w in lasts}
        plain = [w for w in lasts if w.isalpha()]  # a word of letters only fills the letters between its bounds
        if plain:
            for m in _alone(sorted(plain, key=len, reverse=True)).finditer(text):
                self.at.setdefault(m.group().casefold(), []).append(m.span())
        for w in lasts:
            if not w.isalpha():
                self.at[w.casefold()] = [m.span() for m in _alone([w]).finditer(text)]

    def __call__(self, name: str) -> tuple[str, int | None]:
        if name not in self.answers:
            last = name.split()[-1]
            spans = self.at.get(last.casefold())
            if spans is None:  # (a name not given upfront)
                spans = [m.span() for m in _alone([last]).finditer(self.text)]
            self.answers[name] = _fullest(self.text, name, spans)
        return self.answers[name]


def _names_ending_with(text: str, last: str, spans: Sequence[tuple[int, int]] | None = None) -> Iterator[regex.Match]:
    """What ``finditer`` of the full-name pattern finds in the whole text, found near the last
    word's occurrences ``spans`` only: a match ends with one and starts at most three words
    before it, so the pattern runs only over those stretches (merged where they touch)."""
    full = _fullest_pattern(last)
    if spans is None:
        spans = [m.span() for m in _alone([last]).finditer(text)]
    lo = hi = -1
    for m_start, m_end in spans:
        start = m_start
        for _ in range(3):  # back over three words and the gaps before them (a superset of the match)
            while start > 0 and not _word_char(text[start - 1]) and start > hi:
                start -= 1
            while start > 0 and _word_char(text[start - 1]) and start > hi:
                start -= 1
        end = min(len(text), m_end + 1)  # (the character after: the pattern looks at it)
        if lo >= 0 and start <= hi:
            hi = max(hi, end)
            continue
        if lo >= 0:
            yield from full.finditer(text, lo, hi)
        lo, hi = start, end
    if lo >= 0:
        yield from full.finditer(text, lo, hi)


def _fullest(text: str, name: str, spans: Sequence[tuple[int, int]] | None = None) -> tuple[str, int | None]:
    """The fullest name in the text ending with NAME's last word (two to four words), where
    (``spans``: where that word stands in the text, when known)."""
    last = name.split()[-1]
    best, at = name, None
    for m in _names_ending_with(text, last, spans):
        cand = m.group()
        words = cand.split()
        if not all(w[:1].isupper() and not (w.isupper() and len(w) > 1) for w in words[:-1]) or cand.isupper():
            continue  # "JAKE TAPPER" is a label; "OK Gov Fallin" has a state's abbreviation
        core = [w for w in words if fold(w).rstrip(".") not in en.TITLES]
        if len(core) > len(best.split()) and fold(core[-1]) == fold(last):
            best, at = " ".join(core), m.start() + cand.index(core[0])
    return best, at


class _Marked:
    """The quotations in marks, asked about a turn in log time (a long transcript has as many
    turns as quotations: asking each of them about every turn was quadratic)."""

    def __init__(self, spans: list[tuple[int, int]]):
        spans = sorted(spans)
        self.starts = [s for s, _ in spans]
        self.max_end = list(itertools.accumulate((e for _, e in spans), max))

    def _ends_after(self, k: int, x: int) -> bool:
        """Whether one of the first ``k`` quotations (by start) ends after ``x``."""
        return k > 0 and self.max_end[k - 1] > x

    def across(self, lo: int, hi: int) -> bool:
        """Whether a quotation crosses an edge of [lo, hi) (lo < hi): it starts before lo and
        ends after it, or starts before hi and ends after hi."""
        return (self._ends_after(bisect.bisect_left(self.starts, lo), lo)
                or self._ends_after(bisect.bisect_left(self.starts, hi), hi))

    def covers(self, lo: int, hi: int) -> bool:
        """Whether a quotation starts at most 2 after lo and ends at most 2 before hi."""
        k = bisect.bisect_right(self.starts, lo + 2)
        return k > 0 and self.max_end[k - 1] >= hi - 2


def _speaker(lab: _Label, text: str, answerer: tuple[str, int] | None,
             labels_named: dict[str, int], fullest: "_Fullest") -> tuple[Speaker | None, list[str]]:
    mention = Span.of(text, lab.start, lab.end)
    if lab.kind == "question":
        return None, ["a reporter's question: no speaker named"]
    if lab.kind == "outlet":
        return None, [f"a reporter's question ({lab.text}): no speaker named"]
    if lab.kind == "answer":
        if answerer is None:
            return None, ["an answer: the transcript names no one person answering"]
        name, at = answerer
        return Speaker(name, "person", mention), [f"'{lab.text}' is {name}, who answers in this transcript (at {at})"]
    name, role = _person(lab.text)
    steps = []
    if len(name.split()) == 1:
        fuller = [(n, a) for n, a in labels_named.items() if len(n.split()) > 1 and fold(n.split()[-1]) == fold(name)]
        full, at = fuller[0] if len(fuller) == 1 else fullest(name)
        if at is not None:
            steps.append(f"'{lab.text}' is '{full}' in this document (at {at})")
            name = full
    return Speaker(name, "person", mention, role=role), steps


def _answerer(labels: list[_Label], heading: str, text: str, fullest: "_Fullest") -> tuple[str, int] | None:
    """Who answers an "A:": the only person named in a label, else the only titled name of the
    heading ("Spokesperson Wang Wenbin", "an interview with Jane Doe")."""
    named = {_person(lab.text)[0]: lab.start for lab in labels if lab.kind == "named"}
    if len(named) == 1:
        name, at = next(iter(named.items()))
        if len(name.split()) == 1:
            name, where = fullest(name)
            at = where if where is not None else at
        return name, at
    if named:
        return None
    found = {m.group("name").rstrip(".,"): m.start("name") for m in _HEAD_NAME.finditer(heading)}
    return next(iter(found.items())) if len(found) == 1 else None


def _briefing_outlet(text: str, before: int) -> tuple[Outlet | None, str]:
    """The organisation the heading (the text before the first turn, at most 1,500
    characters) names, as the outlet of every turn: the first capitalised run holding a
    head word of BRIEFING_ORG_HEADS, cut after it (and its "of ..." tail)."""
    lo = max(0, before - 1500)
    for m in _RUN.finditer(text, lo, before):
        words = m.group().split()
        heads = [i for i, w in enumerate(words) if fold(w).strip(".,") in en.BRIEFING_ORG_HEADS]
        if not heads:
            continue
        i = heads[0]
        first = 0
        while first < i and fold(words[first]) in ("the", "of", "for", "and", "on"):
            first += 1
        last = i
        while last + 2 < len(words) and words[last + 1] in ("of", "for") and words[last + 2][:1].isupper():
            last += 2
            while last + 1 < len(words) and (words[last + 1][:1].isupper() or words[last + 1] in ("of", "the")) \
                    and fold(words[last + 1]) not in en.TITLES:
                last += 1
        while last > i and words[last] in ("of", "the", "for", "and", "on"):
            last -= 1
        org = words[first:last + 1]
        if len(org) < 2:
            continue  # "Department", "Press": which one?
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end()) % (len(text) + 1)
        line = text[line_start:line_end]
        if not (_BRIEFING.search(line) or line.strip(" \t\r.,") == " ".join(org)):
            continue  # an organisation the heading's prose names is not the briefing's
        start = m.start() + len(" ".join(words[:first])) + (1 if first else 0)
        name = " ".join(org)
        span = Span.of(text, start, start + len(name))
        if span.text != name:  # the run had line breaks or double spaces: find it again
            continue
        return Outlet(name.rstrip(".,"), Span.of(text, start, start + len(name.rstrip(".,"))), "transcript"), \
            f"transcript: the briefing of {name.rstrip('.,')} (named at {start})"
    return None, ""
