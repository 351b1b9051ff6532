"""Who "he" and "she" are: the person an article last spoke of, by salience.

Read the sentences before the pronoun, nearest first, as far back as a few paragraphs.
In each sentence, in this order:

* the speakers of its reporting verbs ("…, Moreno explained Thursday");
* its subject: a name ("Carol-Ann made arrangements …"), a description the article has
  named ("The official added …"), or a pronoun or possessive of the same gender ("She was
  given …", "Her children stopped …"), which is read back the same way: a chain;
* in the pronoun's own paragraph only, any other person it names ("the workshop gave
  Martens and his team …").

The first sentence that offers a person wins. Never a candidate: a name that is no name
("It", "That", "Within", "January": :mod:`.names`), an organisation or a country, a list of
people ("A, B and C are facing charges" is "they"), a person the article has called by the
other pronoun, or one whose own words say otherwise ("widow" is no "he").
"""
from __future__ import annotations

from typing import Protocol

from ..lang import en
from ..types import Span
from .mentions import DETERMINERS, clean_name, entity_type, fold, is_pronoun, np_after
from .names import gender, is_group, is_plural_list, why_not_a_speaker
from .context import DocContext
from .sieves.subjects import clause_subject


class Names(Protocol):
    """What the search reads of the document's names (:class:`~quotes.extract.resolve.Resolver`)."""

    ctx: DocContext
    organisation_aliases: frozenset[str]

    def names_between(self, start: int, end: int) -> list[tuple[int, int, str]]: ...
    def is_description(self, mention: str) -> bool: ...
    def described_person(self, mention: Span) -> str | None: ...
    def apposition(self, mention: Span) -> str: ...
    def full_name(self, name: str, before: int) -> str: ...

# How far back a pronoun's antecedent is looked for.
PARAGRAPHS_BACK = 5
SENTENCES_BACK = 25

_GENDER = {"he": "male", "him": "male", "his": "male", "she": "female", "her": "female", "hers": "female"}
_POSSESSIVES = {"his": "he", "her": "she"}


class PersonAntecedents:
    """The antecedents of "he" and "she" in one document, each found once."""

    def __init__(self, resolver: Names):
        self.r = resolver
        self.ctx = resolver.ctx
        self._memo: dict[int, tuple[str, Span] | None] = {}
        self._said_as: dict[str, set[str]] = {}  # name -> the genders the article has used for it

    def find(self, pronoun: Span) -> tuple[str, Span] | None:
        """(name, the mention that names it) for the pronoun mention "he"/"she", or None."""
        key = pronoun.start
        if key in self._memo:
            return self._memo[key]
        self._memo[key] = None  # a chain that comes back to this pronoun finds nothing
        found = self._search(pronoun)
        self._memo[key] = found
        if found is not None:
            g = _GENDER.get(fold(pronoun.text))
            if g:
                self._said_as.setdefault(found[0], set()).add(g)
        return found

    # ---------------------------------------------------------------- the search
    def _search(self, pronoun: Span) -> tuple[str, Span] | None:
        ctx = self.ctx
        want = _GENDER.get(fold(pronoun.text))
        before = pronoun.start
        pi = ctx.paragraph_index(before)
        lo = ctx.paragraphs[max(0, pi - PARAGRAPHS_BACK)].start if ctx.paragraphs else 0
        own_para = ctx.paragraphs[pi].start if ctx.paragraphs else 0
        first = ctx.sentence_index(lo)
        last = ctx.sentence_index(before)
        sentences = ctx.sentences[max(first, last - SENTENCES_BACK):last + 1]
        for s, e in reversed(sentences):
            if s >= before or e <= lo:
                continue
            found = self._in_sentence(s, min(e, before), want, s >= own_para)
            if found is not None:
                return found
        return None

    def _in_sentence(self, s: int, e: int, want: str | None, own_paragraph: bool) -> tuple[str, Span] | None:
        ctx = self.ctx
        for ev in reversed(ctx.events_between(s, e)):
            if ev.speaker.start >= e:
                continue
            found = self._named(ev.speaker, want)
            if found is not None:
                return found
        subj = clause_subject(ctx, s, e)
        if subj is not None:
            found = self._subject(subj, want)
            if found is not None:
                return found if found is not _OTHER else None
        else:
            # no subject found: a name among the sentence's first words is it, or stands in
            # apposition to it ("A widow, Carol Mendes, runs the boat")
            opening = self.r.names_between(s, min(e, ctx.toks[min(len(ctx.toks) - 1, ctx.tok_index(s) + 6)].end))
            if opening:
                a, b, _ = opening[0]
                # the whole phrase the name opens ("Mahia resident Merv Goodley")
                np = np_after(ctx.text, ctx.toks, ctx.tok_index(a), e, loose=False)
                found = self._named(np if np is not None and np.start == a else Span.of(ctx.text, a, b), want)
                if found is not None:
                    return found
        if own_paragraph:
            for a, b, txt in reversed(self.r.names_between(s, e)):
                if subj is not None and subj.start <= a < subj.end:
                    continue
                found = self._named(Span.of(ctx.text, a, b), want, strict=True)
                if found is not None:
                    return found
        return None

    def _subject(self, subj: Span, want: str | None):
        """A candidate from a sentence's subject; :data:`_OTHER` when the subject is a pronoun
        of the other gender (the sentence speaks of someone else: look no further in it)."""
        words = subj.text.split()
        first = fold(words[0]) if words else ""
        if is_pronoun(subj.text):
            g = _GENDER.get(first)
            if g is None or want is None:
                return None
            return self.find(subj) if g == want else _OTHER
        if first in _POSSESSIVES and len(words) > 1:
            # "Her children stopped attending school": "her" is the person the pronoun is
            if _GENDER[first] != want:
                return None
            return self.find(Span(subj.start, subj.start + len(words[0]), words[0]))
        if first in DETERMINERS and first not in ("the", "this", "that"):
            # "A widow, Carol Mendes, runs the boat": the name in apposition; else nobody
            # named ("their lawyers", "a group of eight men")
            appos = self.r.names_between(subj.end, subj.end + 3)
            if appos and self.ctx.text[subj.end:appos[0][0]].strip() == ",":
                a, b, _ = appos[0]
                return self._named(Span.of(self.ctx.text, a, b), want)
            return None
        return self._named(subj, want)

    def _after_the(self, mention: Span) -> bool:
        """Does "the" open a capitalised name ("the Dewan Rakyat"), or stand right before it?
        People's names take no article."""
        words = mention.text.split()
        if len(words) > 1 and words[0].lower() == "the" and words[1][:1].isupper() \
                and fold(words[1]) not in en.TITLES:
            return True
        if not mention.text[:1].isupper():
            return False
        k = self.ctx.tok_index(mention.start)
        return k > 0 and self.ctx.lowers[k - 1] == "the"

    def accepts(self, pronoun: Span, found: tuple[str, Span]) -> bool:
        """May ``pronoun`` stand for the person another rule found?"""
        return self._named(found[1], _GENDER.get(fold(pronoun.text))) is not None

    def _named(self, mention: Span, want: str | None, strict: bool = False) -> tuple[str, Span] | None:
        """The mention as a candidate for a pronoun of gender ``want``: its name, when it names
        one person who may be so called."""
        text = mention.text.replace("\n", " ")
        if is_pronoun(text) or is_plural_list(text) or is_group(text):
            return None
        if self.r.is_description(text):
            # "The official added …": the person the article named for the description
            name = self.r.described_person(mention)
            if name is None:
                return None
        else:
            name = clean_name(text)
            if not name[:1].isupper():
                return None  # "the chair of the Port Alder harbour council": a role, not a name
        if why_not_a_speaker(name, self.ctx.lower_only, self.ctx.capitalised_inside) is not None:
            return None
        typ = entity_type(name, text)
        if typ in ("organization", "country") or (strict and typ != "person"):
            return None
        if self._after_the(mention):
            return None  # "in the Dewan Rakyat", "the National Athletes' Welfare Foundation": a place or a body
        if name in self.r.organisation_aliases:
            return None  # "the National Athletes' Welfare Foundation (Yakeb)"
        if want is not None:
            said = self._said_as.get(name, set())
            if said and want not in said:
                return None
            g = gender(self.r.apposition(mention))
            if g is not None and g != want:
                return None
        return self.r.full_name(name, mention.start), mention


_OTHER = object()  # a subject that is the other pronoun
