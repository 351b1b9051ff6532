"""Tokens: the words and punctuation marks of a text, with offsets into it.

One regex split reads a whole text; each :class:`Token` is built only when a rule reads it
(:class:`Tokens`), and the offsets and lower-case forms stay plain lists for bisection.
"""
from __future__ import annotations

import functools
import itertools
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


class Tokens(Sequence[Token]):
    """The tokens of a text, as a read-only sequence that builds each :class:`Token` on first
    access.

    A news article has thousands of tokens and the rules read only the few around quotes and
    reporting verbs: building them all (and having the garbage collector walk them) cost more
    than the rest of the extraction. Offsets and lower-case forms are kept as plain lists
    (``starts``, ``lowers``) for bisection and whole-text scans."""

    __slots__ = ("starts", "ends", "words", "lowers", "_made")

    def __init__(self, starts: list[int], ends: list[int], words: list[str], lowers: list[str]):
        self.starts, self.ends, self.words, self.lowers = starts, ends, words, lowers
        self._made: list[Token | None] = [None] * len(words)

    def __len__(self) -> int:
        return len(self._made)

    @overload
    def __getitem__(self, k: int) -> Token: ...

    @overload
    def __getitem__(self, k: slice) -> list[Token]: ...

    def __getitem__(self, k: int | slice) -> Token | list[Token]:
        if k.__class__ is slice:
            return [self[i] for i in range(*k.indices(len(self._made)))]
        tok = self._made[k]  # IndexError as a list would raise it
        return tok if tok is not None else self._make(k)

    def _make(self, k: int) -> Token:
        if k < 0:
            k += len(self._made)
        word = self.words[k]
        first = word[0]  # a token is never empty
        tok = self._made[k] = _new_token((self.starts[k], self.ends[k], word, self.lowers[k], first.isupper(),
                                          first.isalnum()))
        return tok

    def __iter__(self) -> Iterator[Token]:
        return map(self.__getitem__, range(len(self._made)))


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """The tokens of ``text[start:end]``, with offsets into ``text``."""
    return list(tokenise(text, start, end))


def tokenise(text: str, start: int = 0, end: int | None = None) -> Tokens:
    """The tokens of ``text[start:end]``, with offsets into ``text``, built lazily."""
    end = len(text) if end is None else end
    # [space, token, space, token, …, space]: one call splits it all; offsets are running lengths
    part = text[start:end]
    pieces = (bmp_twin(_TOKEN_SPLIT) if in_bmp(part) else _TOKEN_SPLIT).split(part)
    bounds = list(itertools.accumulate(map(len, pieces), initial=start))
    words = pieces[1::2]
    return Tokens(bounds[1:-1:2], bounds[2::2], words, list(map(str.lower, words)))
