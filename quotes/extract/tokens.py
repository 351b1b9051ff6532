"""Tokens: the words and punctuation marks of a text, with offsets into it.

One regex split reads a whole text (a megabyte at a time); each :class:`Token` is built only
when a rule reads it (:class:`Tokens`), and the offsets (arrays) and lower-case forms (lists)
stay plain sequences for bisection.
"""
from __future__ import annotations

import functools
import itertools
import sys
from array import array
from collections.abc import Iterator, Sequence
from typing import NamedTuple, overload

import regex

from .segment import bmp_twin, in_bmp

_TOKEN = regex.compile(
    r"(?:\p{Lu}\.){2,}"                      # U.S. U.N.
    r"|[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:[’'\-\.][\p{L}\p{N}][\p{L}\p{M}\p{N}]*)*"  # words (letters with their combining marks), Korea’s, al-Assad, d’état
    r"|[^\s\p{L}\p{N}]",                     # one punctuation mark
    regex.V1,
)
# The same, captured (split keeps the tokens) and with the first character of a token factored
# out: a token opens with any character but white space, then reads on as its first character
# says (a capital of initials, a letter or digit of a word, or a mark alone). The pattern then
# opens with a plain class, which ``re`` scans for instead of trying three branches at every
# space; a sixth faster, and tests/test_tokens.py holds it to ``_TOKEN``.
_TOKEN_SPLIT = regex.compile(
    r"([^\s](?:(?<=\p{Lu})\.(?:\p{Lu}\.)+"        # U.S. U.N.
    r"|(?<=[\p{L}\p{N}])[\p{L}\p{M}\p{N}]*(?:[’'\-\.][\p{L}\p{N}][\p{L}\p{M}\p{N}]*)*"  # words, Korea’s, al-Assad, d’état
    r"|))",                                     # one punctuation mark
    regex.V1,
)


class Token(NamedTuple):
    """A word or a punctuation mark; ``text == document.text[start:end]``.

    ``lower``, ``is_cap`` (starts with an upper-case letter) and ``is_word`` (starts with a
    letter or digit) are computed once: the rules read them again and again."""

    start: int
    end: int
    text: str
    lower: str
    is_cap: bool
    is_word: bool


_new_token = functools.partial(tuple.__new__, Token)  # a Token from one row, built in C


CACHE_TOKENS = 200_000  # a text of more tokens than this (over a megabyte) rebuilds them as read


class Tokens(Sequence[Token]):
    """The tokens of a text, as a read-only sequence that builds each :class:`Token` on first
    access.

    A news article has thousands of tokens and the rules read only the few around quotes and
    reporting verbs: building them all (and having the garbage collector walk them) cost more
    than the rest of the extraction. Those built are kept, but for a text of more than
    :data:`CACHE_TOKENS` tokens, where keeping them cost most of the memory (a token is built
    again each time it is read: a few percent more time). Offsets (arrays) and lower-case
    forms (lists) are kept for bisection and whole-text scans."""

    __slots__ = ("starts", "ends", "words", "lowers", "_made")

    def __init__(self, starts: Sequence[int], ends: Sequence[int], words: list[str], lowers: list[str]):
        self.starts, self.ends, self.words, self.lowers = starts, ends, words, lowers
        self._made: list[Token | None] | None = [None] * len(words) if len(words) <= CACHE_TOKENS else None

    def __len__(self) -> int:
        return len(self.words)

    @overload
    def __getitem__(self, k: int) -> Token: ...

    @overload
    def __getitem__(self, k: slice) -> list[Token]: ...

    def __getitem__(self, k: int | slice) -> Token | list[Token]:
        if k.__class__ is slice:
            return [self[i] for i in range(*k.indices(len(self.words)))]
        made = self._made
        if made is None:
            word = self.words[k]  # IndexError as a list would raise it
            first = word[0]  # a token is never empty
            return _new_token((self.starts[k], self.ends[k], word, self.lowers[k], first.isupper(),
                               first.isalnum()))
        tok = made[k]  # IndexError as a list would raise it
        return tok if tok is not None else self._make(k)

    def _make(self, k: int) -> Token:
        if k < 0:
            k += len(self.words)
        word = self.words[k]
        first = word[0]  # a token is never empty
        tok = self._made[k] = _new_token((self.starts[k], self.ends[k], word, self.lowers[k], first.isupper(),
                                          first.isalnum()))
        return tok

    def __iter__(self) -> Iterator[Token]:
        return map(self.__getitem__, range(len(self.words)))


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """The tokens of ``text[start:end]``, with offsets into ``text``."""
    return list(tokenise(text, start, end))


CHUNK = 1 << 20  # characters split at a time: a long document's pieces never all exist at once


def tokenise(text: str, start: int = 0, end: int | None = None) -> Tokens:
    """The tokens of ``text[start:end]``, with offsets into ``text``, built lazily.

    Memory stays a few dozen bytes a token: a word and its lower-case form are interned (a
    text repeats its words: "the" is one string however often it occurs), offsets are arrays
    of machine integers, and a long text is split a megabyte at a time, at a space (no token
    holds one)."""
    end = len(text) if end is None else end
    width = "i" if end < 2 ** 31 else "q"  # 4 bytes an offset, but for texts of 2 GB and more
    starts, ends = array(width), array(width)
    words: list[str] = []
    lowers: list[str] = []
    intern = sys.intern
    a = start
    while a < end:
        b = end if end - a <= CHUNK else _cut(text, a + CHUNK, end)
        # [space, token, space, token, …, space]: one call splits it all; offsets are running lengths
        part = text[a:b]
        pieces = (bmp_twin(_TOKEN_SPLIT) if in_bmp(part) else _TOKEN_SPLIT).split(part)
        bounds = array(width, itertools.accumulate(map(len, pieces), initial=a))
        starts.extend(bounds[1:-1:2])
        ends.extend(bounds[2::2])
        chunk = list(map(intern, pieces[1::2]))
        del pieces
        words.extend(chunk)
        lowers.extend(map(intern, map(str.lower, chunk)))
        a = b
    return Tokens(starts, ends, words, lowers)


def _cut(text: str, at: int, end: int) -> int:
    """Where to end a chunk of a text split in chunks: at the first space or line break from
    ``at`` (never inside a token), else the end."""
    cuts = [i for i in (text.find(" ", at, end), text.find("\n", at, end)) if i >= 0]
    return min(cuts) if cuts else end
