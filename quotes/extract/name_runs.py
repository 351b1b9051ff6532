"""Capitalised name runs of one document, and what they name.

A name run is a stretch of capitalised words ("Venezuela's President Nicolás Maduro", "the
National Athletes' Welfare Foundation"). The resolver reads them to find the fullest form of a
short name ("Maduro" -> "Nicolás Maduro", "Kim" -> "Kim Jong-un"), the names near a pronoun,
the words around a mention (its apposition), an organisation's short name in parentheses and a
title-cased headline, which names nobody.
"""
from __future__ import annotations

import bisect
import functools
import itertools
import sys
from array import array
from collections.abc import Sequence

import regex

from ..lang import en
from ..types import Span
from .context import DocContext
from .mentions import DETERMINERS, NOT_NAMES, clean_name, entity_type, fold, strip_possessive
from .names import stem
from .segment import bmp_twin

_POSSESSIVE_SPLIT = regex.compile(r"’s\s+|'s\s+")

# A name word: initials ("U.S.") or a capitalised word. The run's first word is the same, but
# for the check that no letter or digit stands before it, made after its capital (the pattern
# then opens with a plain class, which ``re`` scans for far faster than it tries a look-behind
# at every offset): "(?<!…)(?:(?:\p{Lu}\.){2,}|\p{Lu}…)" with the capital factored out.
_NAME_WORD_REST = r"(?:\.(?:\p{Lu}\.)+|(?:[\p{L}\p{M}\-’']*\p{L}|\.|[\p{L}\p{M}]*))"
_NAME_WORD = rf"\p{{Lu}}{_NAME_WORD_REST}"
_NAME_RUN = regex.compile(
    rf"\p{{Lu}}(?<![\p{{L}}\p{{N}}]\p{{Lu}}){_NAME_WORD_REST}"
    rf"(?:(?:[ \t]+|[ \t]+(?:of|de|del|al|bin|da|van|von|the|for)(?:[ \t]+the)?[ \t]+|’s[ \t]+|'s[ \t]+|’[ \t]+)"
    rf"{_NAME_WORD})*",
    regex.V1,
)
_NAME_RUN_SPLIT = regex.compile(f"({_NAME_RUN.pattern})", regex.V1)  # the same, captured: split keeps the runs
_ALIAS = regex.compile(r"(?P<full>\p{Lu}[\p{L}’'\-]*(?:\s+(?:of|for|and|the|de|\p{Lu}[\p{L}’'\-]*))+)\s*"
                       r"\((?P<alias>\p{Lu}[\p{L}]{1,12})\)", regex.V1)
_HEADLINE_WORD = regex.compile(r"[\p{L}][\p{L}’'\-]*")
# Words that open a name run without being part of the name ("But Trump", "When Clinton").
_RUN_OPENERS = DETERMINERS | en.FUNCTION_WORDS - en.PRONOUNS.keys()


@functools.lru_cache(maxsize=1 << 16)  # name runs repeat ("Trump", "The", "But Clinton")
def _name_of_run(run: str) -> tuple[int, int, str] | None:
    """The name a capitalised run stands for, as (start, end) relative to the run and its text;
    None for a run that is no name ("Meanwhile"). Openers ("But Clinton") and a trailing dot
    or apostrophe are left out."""
    if fold(run) in NOT_NAMES:
        return None
    txt = run.rstrip(".’'")
    s, e = 0, len(txt)
    words = txt.split()
    while words and fold(words[0]) in _RUN_OPENERS and not (len(words[0]) > 1 and words[0].isupper()):
        s += len(words[0]) + 1
        words = words[1:]
    return (s, e, " ".join(words)) if words else None


CHUNK = 1 << 20  # characters of text split for name runs at a time


class Runs(Sequence[tuple[int, int, str]]):
    """The name runs of a document, ``(start, end, text)`` in order, read as a list of tuples;
    kept as two arrays of offsets and a list of (interned) texts: a long document has a run
    every few dozen characters, and tuples of them cost it most of its memory."""

    __slots__ = ("starts", "ends", "texts")

    def __init__(self, starts: Sequence[int], ends: Sequence[int], texts: list[str]):
        self.starts, self.ends, self.texts = starts, ends, texts

    def __len__(self) -> int:
        return len(self.texts)

    def __getitem__(self, k):  # type: ignore[override]
        if k.__class__ is slice:
            return list(zip(self.starts[k], self.ends[k], self.texts[k]))
        return (self.starts[k], self.ends[k], self.texts[k])

    def __iter__(self):
        return zip(self.starts, self.ends, self.texts)

    def __reversed__(self):
        return zip(reversed(self.starts), reversed(self.ends), reversed(self.texts))

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, (Runs, list)) else NotImplemented

_APPOSITION_AFTER = regex.compile(r",\s+(?:the|a|an)\s[^,.;]{1,60}")


@functools.lru_cache(maxsize=1 << 14)
def _word_keys(run: str) -> tuple[str, ...]:
    """The words of a name run as the index of name runs files them: folded, possessive off;
    each once, in order."""
    return tuple(dict.fromkeys(fold(strip_possessive(w)) for w in run.split()))


@functools.lru_cache(maxsize=1 << 14)
def _head_keys(run: str) -> frozenset[str]:
    """The words of a name run, stemmed and folded: what a head noun ("the party") may match."""
    words = run.split()
    return frozenset([stem(w) for w in words] + [fold(w) for w in words])



class NameRuns:
    """The name runs of one document (outside quotes and a title-cased headline), read on first use."""

    def __init__(self, ctx: DocContext):
        self.ctx = ctx
        self._headline_end = self._find_headline_end()
        self._full_names: dict[str, str] = {}

    @functools.cached_property
    def organisation_aliases(self) -> frozenset[str]:
        """Short names an article gives an organisation in parentheses after its full name:
        "the National Athletes' Welfare Foundation (Yakeb)", "the Migrations Board (DNM)"."""
        out = set()
        for m in _ALIAS.finditer(self.ctx.text):
            full = m.group("full")
            if entity_type(clean_name(full)) == "organization":
                out.add(m.group("alias"))
        return frozenset(out)

    def names_between(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """The name runs inside ``[start, end)``, in order."""
        starts = self._name_starts_list()
        a, b = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        return [n for n in self.names[a:b] if n[1] <= end]

    def _name_starts_list(self) -> Sequence[int]:
        return self.names.starts

    def apposition(self, mention: Span) -> str:
        """The mention with the words around it that describe it: up to four words before it
        in its clause ("A Walvis Bay businesswoman, Claudia Lofty-Eaton") and an apposition
        after it (", the 34-year-old mother of three,")."""
        text = self.ctx.text
        s, e = self.ctx.sentence_of(mention.start)
        k = self.ctx.tok_index(mention.start)
        toks = self.ctx.toks
        lo = k
        while lo > 0 and k - lo < 5 and toks[lo - 1].start >= s and toks[lo - 1].text not in ".;:!?“”\"":
            lo -= 1
        hi = mention.end
        after = _APPOSITION_AFTER.match(text, mention.end, min(e, mention.end + 80))
        if after:
            hi = after.end()
        start = toks[lo].start if lo < k else mention.start
        return text[start:max(hi, mention.end)]

    @functools.cached_property
    def names(self) -> "Runs":
        """(start, end, text) of capitalised name runs, in order; read on first use (a document
        whose quotes name no speaker never needs them)."""
        return self._names()

    def _names(self) -> "Runs":
        """Capitalised name runs outside quotes and outside a title-cased headline."""
        # [text, run, text, run, …, text]: one call finds every run; a run starts where the
        # text before it ends
        # (a megabyte at a time, cut at a line break, which no run crosses: the pieces between
        # the runs are the whole text, and a long document's would all exist at once)
        text = self.ctx.text
        split = (bmp_twin(_NAME_RUN_SPLIT) if self.ctx.bmp else _NAME_RUN_SPLIT).split
        starts: list[int] = []
        names: list[tuple[int, int, str] | None] = []
        a = 0
        while a < len(text):
            b = text.find("\n", a + CHUNK)
            b = len(text) if b < 0 else b
            pieces = split(text[a:b])
            ends = list(itertools.accumulate(map(len, pieces), initial=a))
            starts += ends[1:-1:2]
            names += map(_name_of_run, pieces[1::2])
            del pieces, ends
            a = b
        # runs starting in the headline or inside a quote name no speaker
        skipped = [(0, self.headline_end())] + [(q.span.start, q.span.end) for q in self.ctx.quotes if q.depth == 0]
        for a, b in skipped:
            i, j = bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)
            names[i:j] = [None] * (j - i)
        intern = sys.intern  # a name is named again and again: one string for each spelling
        kept = [(s, n) for s, n in zip(starts, names) if n is not None]
        width = "i" if len(text) < 2 ** 31 else "q"
        return Runs(array(width, [s + n[0] for s, n in kept]), array(width, [s + n[1] for s, n in kept]),
                    [intern(n[2]) for _, n in kept])

    def headline_end(self) -> int:
        """End of the first paragraph when it is a title-cased headline over a longer text."""
        return self._headline_end

    def _find_headline_end(self) -> int:
        paras = self.ctx.paragraphs
        if len(paras) < 2:
            return 0
        words = _HEADLINE_WORD.findall(paras[0].text)
        content = [w for w in words if w.lower() not in en.TITLE_SMALL_WORDS]
        if content and len(words) <= 25 and all(w[:1].isupper() for w in content):
            return paras[0].end
        return 0

    def trim_headline_mention(self, mention: Span) -> Span:
        """In a headline every word is capitalised: "North Korea Sends Maduro" holds the name
        "North Korea". Keep the longest leading part that the article body names too."""
        end = self.headline_end()
        if mention.start >= end:
            return mention
        body = self.ctx.text[end:]
        words = mention.text.split()
        for n in range(len(words), 0, -1):
            cand = " ".join(words[:n])
            if regex.search(rf"(?<!\w){regex.escape(cand)}(?!\w)", body):
                return Span(mention.start, mention.start + len(cand), cand)
        return mention

    def full_name(self, name: str, before: int) -> str:
        """The fullest person name in the document that ends with ``name`` ("Maduro" ->
        "Nicolás Maduro"); organisations and phrases are left as they are."""
        cache = self._full_names
        if name not in cache:  # the same speaker is named again and again
            cache[name] = self._fullest_name(name)
        return cache[name]

    def _fullest_name(self, name: str) -> str:
        parts = name.split()
        shouted = len(parts) == 1 and name.isupper()  # a transcript's OKONJO
        if not parts or len(parts) > 3 or (entity_type(name) not in ("person", "unknown") and not shouted):
            return name
        last = fold(parts[-1])
        folded_parts = {fold(p) for p in parts}
        best = name
        for txt in self._names_with(last):
            core = _person_core(txt, last)
            if core is None:
                continue
            core_parts = core.split()
            if len(core_parts) > len(best.split()) and folded_parts <= {fold(w) for w in core_parts}:
                best = core
        if best == name and len(parts) == 1 and not shouted:
            # no name ends with it: the one person whose name it opens ("Kim" for "Kim Jong-un",
            # family name first; "Carlos" for "Carlos Nava", called by his first name)
            opened = {" ".join(w) for txt in self._names_with(last)
                      if (w := _opened_by(txt, last)) is not None}
            if len(opened) == 1:
                best = opened.pop()
        return best

    def runs_holding(self, part: str) -> list[tuple[str, list[int]]]:
        """The distinct name runs whose text holds ``part`` (as ``part in text``), each with
        the indices (in ``self.names``, in order) of its runs: found by one search of the runs'
        texts joined (in C) and kept, so that a long document is not read run by run for each
        question (which made resolution quadratic in its length)."""
        cache = self.__dict__.setdefault("_holding", {})
        found = cache.get(part)
        if found is None:
            by_text = self.__dict__.get("_runs_by_text")
            if by_text is None:
                by_text = self._runs_by_text = {}
                for i, t in enumerate(self.names.texts):
                    by_text.setdefault(t, []).append(i)
            found = cache[part] = [(t, by_text[t]) for t in self._texts_holding(part)]
        return found

    def _texts_holding(self, part: str) -> list[str]:
        """The distinct run texts that hold ``part``, in the order of their first appearance."""
        joined = self.__dict__.get("_joined")
        if joined is None:
            texts = list(dict.fromkeys(self.names.texts))
            offsets = list(itertools.accumulate((len(t) + 1 for t in texts), initial=0))
            joined = self._joined = ("\x00".join(texts), texts, offsets)
        big, texts, offsets = joined
        out: list[str] = []
        if not part or "\x00" in part:
            return [t for t in texts if part in t]
        i = big.find(part)
        while i >= 0:
            k = bisect.bisect_right(offsets, i) - 1
            out.append(texts[k])
            i = big.find(part, offsets[k + 1]) if k + 1 < len(offsets) else -1  # on to the next text
        return out

    def _names_with(self, word: str) -> list[str]:
        """The distinct name runs that hold ``word`` (folded, possessive off), in the order of
        their first appearance."""
        index = getattr(self, "_word_index", None)
        if index is None:
            index = {}
            for txt in dict.fromkeys(self.names.texts):  # each run once: names repeat
                for key in _word_keys(txt):
                    lst = index.get(key)
                    if lst is None:
                        index[key] = [txt]
                    else:
                        lst.append(txt)
            self._word_index = index
        return index.get(word, [])

    def _names_before(self, offset: int, limit: int = 2000) -> list[tuple[int, int, str]]:
        """Up to ``limit`` name runs ending at or before ``offset``, nearest last."""
        starts = self._name_starts_list()
        b = bisect.bisect_left(starts, offset)
        return [n for n in self.names[max(0, b - limit):b] if n[1] <= offset]


def _opened_by(run: str, first: str) -> tuple[str, ...] | None:
    """The person's name in a name run that opens with ``first`` after its titles ("President
    Xi Jinping" -> ("Xi", "Jinping")), when it is a name of two or three words."""
    words = [strip_possessive(w) for w in _POSSESSIVE_SPLIT.split(run)[-1].split()]
    k = 0
    while k < len(words) and fold(words[k]).strip(".") in _bare_titles():
        k += 1
    core = words[k:]
    if len(core) in (2, 3) and fold(core[0]) == first and entity_type(" ".join(core)) == "person" \
            and not any(fold(w) in en.PLACE_WORDS for w in core):
        return tuple(core)
    return None


@functools.lru_cache(maxsize=65536)  # pure, and called for every (name run, quote) pair
def _person_core(run: str, last: str) -> str | None:
    """The person's name inside a name run that holds ``last``:
    "Venezuela's President Nicolas Maduro" -> "Nicolas Maduro"."""
    words = [strip_possessive(w) for w in _POSSESSIVE_SPLIT.split(run)[-1].split()]
    idx = [i for i, w in enumerate(words) if fold(w) == last]
    if not idx:
        return None
    words = words[: idx[-1] + 1]
    start = 0
    for i, w in enumerate(words):
        if fold(w).strip(".") in _bare_titles() or fold(w) in en.ORG_HEADS \
                or fold(w) in en.COUNTRIES:
            start = i + 1
    core = words[start:]
    if not core or len(core) > 4:
        return None
    return " ".join(core)


@functools.lru_cache(maxsize=1)
def _bare_titles() -> frozenset[str]:
    return frozenset(t.strip(".") for t in en.TITLES)
