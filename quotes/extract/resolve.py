"""From a speaker mention to a canonical speaker; from an attribution to its outlet.

* "he" and "she" are the person the article last spoke of (:mod:`.coref`); other pronouns
  the nearest earlier named speaker of a fitting type;
* a document ("the statement continued", "the letter states") is whoever issued it;
* a description ("the party", "the company", "the official", "the Head of State") is the
  body or person the article named for it;
* a short name ("Maduro", "Kim") is the fullest form of it in the document ("Nicolás Maduro",
  "Kim Jong-un"), read from its name runs (:mod:`.name_runs`);
* a phrase that names nobody (:mod:`.names`) is an unnamed speaker ("he", "aides"), never a
  wrong name.

Outlets are named by the rules of :mod:`.outlets`.
"""
from __future__ import annotations

import bisect
import functools
import itertools

import regex

from .context import Decision, DocContext
from .sieves.subjects import clause_subject
from ..lang import en
from .coref import PersonAntecedents
from .name_runs import NameRuns, _bare_titles, _head_keys
from .names import why_not_a_speaker
from .outlets import OutletContext, find_outlet
from .mentions import DETERMINERS, np_after, np_before, speaker_before, clean_name, entity_type, fold, is_pronoun, split_role, strip_possessive
from ..types import Outlet, Speaker, Span


_ISSUED = regex.compile(
    r"\b(?:issued|released|put\s+out|published|sent|posted|distributed)\s+(?:a|an|its|their|his|her)\s+"
    r"(?:[\w\-]+\s+){0,2}?(?P<noun>" + en.DOCUMENT_NOUN_PATTERN + r")\b", regex.V1)
# "… a letter, signed by PAHO Director Carissa Etienne": the signer issued it
_SIGNED = regex.compile(r"\b(?P<noun>" + en.DOCUMENT_NOUN_PATTERN + r")\b[^.;]{0,60}?"
                        r"\b(?:signed|written|sent|issued)\s+(?P<by>by)\b", regex.V1)
# "In a release from Jan. 12, the First Nation states …": who speaks in the sentence issued it
_IN_A = regex.compile(r"\b(?:[Ii]n|[Tt]hrough|[Vv]ia)\s+(?:a|an|its|their|his|her)\s+(?:[\w\-]+\s+){0,2}?"
                      r"(?P<noun>" + en.DOCUMENT_NOUN_PATTERN + r")\b", regex.V1)
_ISSUER_REACH = 12_000  # how far before "the statement" its issuer is looked for, in characters


def _same_noun(a: str, head: str) -> bool:
    return fold(a).rstrip("s") == head.rstrip("s")


_ABBR = regex.compile(r"\(\s*(\p{Lu}[\p{Lu}\.]{1,9})\s*\)")


class Resolver(NameRuns):
    """Names the speaker and the outlet of each decided quote of one document."""

    def __init__(self, ctx: DocContext):
        super().__init__(ctx)
        self.persons = PersonAntecedents(self)
        self.outlets = OutletContext(ctx)


    def described_person(self, mention: Span) -> str | None:
        """The named person a definite description stands for ("the official", "the widow",
        "the deputy minister"), or None."""
        words = [fold(w) for w in mention.text.split()]
        if not words or words[-1] in en.UTTERANCE_NOUNS or words[0] in en.INDEFINITE_DETERMINERS:
            return None
        r = self._described(mention, None)
        if r is None:
            return None
        name = r[0]
        return name if entity_type(name) in ("person", "unknown") else None

    def _named_beside(self, mention: Span) -> tuple[str, list[str]] | None:
        """A description with the full name of a person set beside it: "the union’s secretary
        general, Joseph Mwangi, told …", "said the chairperson of the farmers’ association, Ms
        Grace Achieng." """
        m = _NAME_BESIDE.match(self.ctx.text, mention.end, min(len(self.ctx.text), mention.end + 120))
        if m is None:
            return None
        name = clean_name(m.group("n"))
        if entity_type(name, m.group("n")) not in ("person", "unknown") or why_not_a_speaker(name) is not None:
            return None
        return name, [f"'{mention.text}' is {name}, named beside it (at {m.start('n')})"]

    def _described(self, mention: Span, qi: int | None) -> tuple[str, list[str]] | None:
        """A description read as the person or organisation the article named for it: the
        nearest earlier name holding its head noun ("the party", "the deputy minister"), else,
        for a person's role ("the official", "the widow"), the person who last spoke within two
        paragraphs."""
        r = self._named_beside(mention)
        if r is not None:
            return r
        r = self.resolve_nominal(mention, qi)
        if r is not None:
            return r
        words = [fold(w) for w in mention.text.split()]
        head = words[-1] if words else ""
        if len(words) < 2 or words[0] not in ("the", "this", "that") or head not in en.PERSON_NOUNS:
            return None
        ctx = self.ctx
        pi = ctx.paragraph_index(mention.start)
        near = ctx.paragraphs[max(0, pi - 2)].start if ctx.paragraphs else 0
        for ev in reversed(ctx.events_between(max(0, mention.start - 6000), mention.start)):
            sp = ev.speaker
            if sp.start >= mention.start or is_pronoun(sp.text) or self._nominal(sp.text):
                continue
            name = clean_name(sp.text)
            if entity_type(name, sp.text) not in ("person", "unknown") or why_not_a_speaker(name) is not None:
                continue
            # the person the article gave that role ("Esteban Moreno, Land Control chief" for
            # "the chief"); for a role anyone in office fits ("the official"), whoever spoke last
            described = head in {fold(w).strip(",.") for w in self.apposition(sp).split()}
            if described or (head in en.GENERIC_PERSON_NOUNS and sp.start >= near):
                name = self.full_name(name, sp.start)
                how = "was called so" if described else "spoke last"
                return name, [f"'{mention.text}' is {name}, who {how} (at {sp.start})"]
        return None


    # ------------------------------------------------------------ names


    def _named_events(self) -> list[tuple[int, str, Span]]:
        """Speech events with a named speaker, as (start, clean name, mention), computed once."""
        cached = getattr(self, "_named_event_list", None)
        if cached is None:
            cached = sorted((ev.speaker.start, clean_name(ev.speaker.text), ev.speaker) for ev in self.ctx.events
                            if not is_pronoun(ev.speaker.text) and not self._nominal(ev.speaker.text)
                            and fold(ev.speaker.text) != "who")
            self._named_event_list = cached
            self._named_event_starts = [c[0] for c in cached]
        return cached

    def antecedent(self, pronoun: str, before: int, exclude: Span | None = None) -> tuple[str, Span] | None:
        """Nearest earlier named speaker (speech events first, then quote speakers)."""
        want = en.PRONOUNS.get(fold(pronoun), "unknown")
        is_it = fold(pronoun) == "it"

        def fits(name: str, span: Span) -> bool:
            typ = entity_type(name, span.text)
            if want == "person" and typ not in ("person", "unknown"):
                return False
            return not (want in ("group", "organization") and typ == "person" and is_it)

        # The candidates are the named speech events and the named subjects of the sentences just
        # before ("Quenby dismissed the criticism. “…,” she said."); the one that fits and starts
        # last wins, on a tie a later candidate (events first, then subjects in sentence order).
        named = self._named_events()
        b = bisect.bisect_left(self._named_event_starts, before)
        events = [c for c in named[max(0, b - 60):b] if c[2].start < before]
        best: tuple[int, int, str, Span] | None = None  # (start, rank, name, mention)
        # the events come sorted by start, so (start, rank) grows with rank: the last that fits wins
        for rank in range(len(events) - 1, -1, -1):
            start, name, span = events[rank]
            if fits(name, span):
                best = (start, rank, name, span)
                break
        pi = self.ctx.paragraph_index(before)
        lo = self.ctx.paragraphs[max(0, pi - 1)].start if self.ctx.paragraphs else 0
        first = self.ctx.sentence_index(lo)
        last = self.ctx.sentence_index(before)
        sents = [(s0, min(e0, before)) for s0, e0 in self.ctx.sentences[first:last + 1][-12:] if lo <= s0 < before]
        # A sentence's subject starts inside it, before its end: read the sentences from the last
        # one back, and stop once no earlier sentence can hold a subject starting after the best.
        reach = list(itertools.accumulate((e for _, e in sents), max))
        for j in range(len(sents) - 1, -1, -1):
            if best is not None and best[0] >= reach[j]:
                break
            subj = clause_subject(self.ctx, *sents[j])
            if subj is not None and subj.start < before and subj.text[:1].isupper() and not is_pronoun(subj.text):
                key = (subj.start, len(events) + j)
                if best is None or key > best[:2]:
                    name = clean_name(subj.text)
                    if fits(name, subj):
                        best = (*key, name, subj)
        if best is not None:
            return best[2], best[3]
        # no speech event: the nearest earlier person-like name
        for s, e, txt in reversed(self._names_before(before)):
            if e <= before:
                nm = clean_name(txt)
                if want != "person" or entity_type(nm) == "person":
                    if len(nm) > 2 and fold(nm) not in en.TITLES:
                        return nm, Span.of(self.ctx.text, s, e)
        return None

    @staticmethod
    def _nominal(mention: str) -> bool:
        """A phrase with no capitalised word: "the party", "the statement", "a spokesman"."""
        words = mention.split()
        return bool(words) and not any(w[:1].isupper() for w in words[1:]) and (
            words[0].lower() in DETERMINERS or not words[0][:1].isupper())

    @staticmethod
    def is_role_description(mention: str) -> bool:
        """"the President", "the Head of State", "the Deputy Minister", "the ex-president": a
        title standing for its holder."""
        words = [fold(w).removeprefix("ex-") for w in mention.split()]
        rest = words[1:]
        return len(words) > 1 and words[0] in ("the", "this") and all(
            w in en.PERSON_NOUNS or w in en.ROLE_PHRASE_WORDS for w in rest) and any(w in en.PERSON_NOUNS for w in rest)

    def is_description(self, mention: str) -> bool:
        return self._nominal(mention) or self.is_role_description(mention)

    def resolve_nominal(self, mention: Span, qi: int | None) -> tuple[str, list[str]] | None:
        words = [fold(w) for w in mention.text.split()]
        head = words[-1] if words else ""
        if self.is_role_description(mention.text):
            return self._role_holder(mention, words)
        ctx = self.ctx
        if head in en.UTTERANCE_NOUNS:
            issuer = self._issuer(mention, head, qi)
            if issuer is not None:
                return issuer
            # else the speaker of the nearest attributed quote before
            for pj in range(-1 if qi is None else qi - 1, -1, -1):
                d = ctx.decisions[pj]
                if d is not None and d.mention is not None and fold(d.mention.text).split()[-1:] != [head]:
                    name = self.speaker_name(d.mention, pj)[0]
                    return name, [f"'{mention.text}' is the statement of {name}"]
            return None
        # "the party", "the ministry": the nearest earlier name holding the head noun
        for s, e, txt in reversed(self._names_before(mention.start)):
            if e <= mention.start and head and head in _head_keys(txt):
                name = txt
                m = _ABBR.match(ctx.text, e, e + 12) if e < len(ctx.text) else None
                return clean_name(name), [f"'{mention.text}' refers to {name}" + (f" ({m.group(1)})" if m else "")]
        for s, e, txt in reversed(self._names_before(mention.start)):
            if e <= mention.start and head and fold(txt).endswith(head):
                return clean_name(txt), [f"'{mention.text}' refers to {txt}"]
        if head in en.ORG_DESCRIPTION_NOUNS and words[0] in ("the", "this"):
            # "the company said": the organisation the article named last
            for s, e, txt in reversed(self._names_before(mention.start)):
                name = clean_name(txt)
                if entity_type(name, txt) == "organization" and why_not_a_speaker(name) is None:
                    return name, [f"'{mention.text}' is {name}, the organisation named last (at {s})"]
        return None

    def _role_holder(self, mention: Span, words: list[str]) -> tuple[str, list[str]] | None:
        """The person the article last named with the role: "the President" -> "The President
        of the Republic Pedro Castillo"; "the Head of State" -> a president or a king."""
        phrase = " ".join(w for w in words[1:])
        titles = [_title_pattern(t) for t in en.ROLE_SYNONYMS.get(phrase, ()) + (phrase,)]
        around = self.__dict__.setdefault("_folded_appositions", {})  # each run's, read once a document
        for s, e, txt in reversed(self._names_before(mention.start)):
            # the title in the run ("President Pedro Castillo") or just before it ("Former
            # president Eduardo Frei")
            low = around.get(s)
            if low is None:
                if len(around) >= 8192:  # the runs before recent mentions, not every run of a long text
                    around.clear()
                low = around[s] = fold(self.apposition(Span.of(self.ctx.text, s, e)))
            if not any(t.search(low) for t in titles):
                continue
            name = clean_name(txt)
            if all(fold(w).strip(".") in _bare_titles() or fold(w) in en.ROLE_PHRASE_WORDS for w in name.split()):
                continue  # "President" alone: a title, no holder
            if entity_type(name, txt) not in ("person", "unknown"):
                continue
            name = self.full_name(name, s)
            return name, [f"'{mention.text}' is {name}, named '{txt}' (at {s})"]
        return None

    def _issuer(self, mention: Span, head: str, qi: int | None) -> tuple[str, list[str]] | None:
        """Whoever issued the statement, letter or release a mention speaks of: "The Harbour
        Ministry issued a statement …", "The letter, signed by PAHO Director Carissa Etienne,
        …", "In a release, the First Nation states …"; the nearest such sentence before it."""
        ctx = self.ctx
        lo = max(0, mention.start - _ISSUER_REACH)
        best: tuple[int, Span, str] | None = None  # (offset, issuer mention, how)
        for m in _ISSUED.finditer(ctx.text, lo, mention.start):
            if _same_noun(m.group("noun"), head):
                s0, _ = ctx.sentence_of(m.start())
                subj = clause_subject(ctx, s0, m.start() + 1)
                if subj is not None and subj.start < m.start():
                    best = (m.start(), subj, "was issued by")
        for m in _SIGNED.finditer(ctx.text, lo, mention.start):
            if _same_noun(m.group("noun"), head) and (best is None or m.start() > best[0]):
                k = ctx.tok_index(m.end("by"))
                signer = np_after(ctx.text, ctx.toks, k, ctx.sentence_of(m.start())[1])
                if signer is not None:
                    best = (m.start(), signer, "was signed by")
        for m in _IN_A.finditer(ctx.text, lo, mention.start):
            if _same_noun(m.group("noun"), head) and (best is None or m.start() > best[0]):
                s0, e0 = ctx.sentence_of(m.start())
                # "In a statement, the ministry said …" or "… the ministry said in a statement"
                events = [ev.speaker for ev in ctx.events_between(m.end(), min(e0, mention.start))
                          if not is_pronoun(ev.speaker.text)]
                events += [ev.speaker for ev in ctx.events_between(s0, m.start())[::-1]
                           if not is_pronoun(ev.speaker.text) and m.start() - ev.cue.end < 4]
                subj = clause_subject(ctx, s0, min(e0, mention.start))
                if not events and subj is not None and subj.start > m.end() and not is_pronoun(subj.text):
                    events = [subj]  # "In a release, the First Nation states …" ("states" is no event)
                if events:
                    best = (m.start(), events[0], "is the one in which spoke")
        if best is None:
            return None
        name = self.speaker_name(best[1], qi if qi is not None else -1)[0]
        return name, [f"'{mention.text}' {best[2]} {name} (at {best[1].start})"]

    def issued_documents(self) -> list[tuple[int, str, Outlet]]:
        """The statements, releases and letters the article says someone issued ("Late on Monday,
        the Judicial Service Commission issued a media statement …"): (offset, issuer, the
        document as an outlet), for the quotes of it that follow."""
        ctx = self.ctx
        out = []
        for m in _ISSUED.finditer(ctx.text):
            s0, _ = ctx.sentence_of(m.start())
            subj = speaker_before(ctx.text, ctx.toks, ctx.tok_index(m.start()), s0) \
                or clause_subject(ctx, s0, m.start() + 1)
            if subj is None or subj.start >= m.start() or is_pronoun(subj.text):
                continue
            noun = m.group("noun")
            if fold(noun) in ("message", "post", "video"):
                continue  # "sent a message to voters": an idiom as often as a medium
            name = self.speaker_name(subj, -1)[0]
            if why_not_a_speaker(name, self.ctx.lower_only, self.ctx.capitalised_inside) is not None:
                continue
            before = ctx.text[m.start("noun") - 12:m.start("noun")].split()[-1:]
            kept = [w for w in before if fold(w) in en.MEDIA_MODIFIERS] + [noun]
            start = m.start("noun") - (len(kept[0]) + 1 if len(kept) > 1 else 0)
            out.append((m.start(), name, Outlet(" ".join(kept), Span.of(ctx.text, start, m.end("noun")), "medium")))
        return out

    def speaker_name(self, mention: Span, qi: int) -> tuple[str, list[str]]:
        text = mention.text.replace("\n", " ")
        if fold(text) in ("who", "which"):
            # "the Mexican president, who said …", "Russia, which welcomed …": the phrase the
            # relative clause hangs on
            k = self.ctx.tok_index(mention.start)
            toks = self.ctx.toks
            if k > 0 and toks[k - 1].text == ",":
                head = np_before(self.ctx.text, toks, k - 1, self.ctx.sentence_of(mention.start)[0])
                if head is not None:
                    name, steps = self.speaker_name(head, qi)
                    return name, [f"'{text}' refers to '{head.text}'"] + steps
            return text, [f"relative '{text}' unresolved"]
        if is_pronoun(text):
            if fold(text) in ("he", "she"):
                ant = self.persons.find(mention)
                if ant is None:  # further back than the search reads: the nearest named speaker
                    ant = self.antecedent(text, mention.start)
                    ant = ant if ant is not None and self.persons.accepts(mention, ant) else None
            else:
                ant = self.antecedent(text, mention.start)
            if ant:
                name = self.full_name(ant[0], mention.start)
                return name, [f"pronoun '{text}' -> {name} (at {ant[1].start})"]
            return text, [f"pronoun '{text}' unresolved"]
        if self.is_description(text):
            r = None if fold(text.split()[0]) in en.INDEFINITE_DETERMINERS else self._described(mention, qi)
            if r:
                return r
            return clean_name(text), []
        name = clean_name(text)
        full = self.full_name(name, mention.start)
        steps = [f"'{name}' is '{full}' in this document{self._named_at(full, mention.start)}"] if full != name else []
        return full, steps

    def _named_at(self, full: str, before: int) -> str:
        """" (at N)": where the document names ``full``, the last name run holding it before
        ``before`` (else the first after it); empty if none does."""
        holding = self.runs_holding(full)
        if not holding:
            return ""
        names = self.names
        last = -1  # the last run ending at or before ``before``, of any text holding ``full``
        for _, idx in holding:
            k = bisect.bisect_right(idx, self._run_index_before(before)) - 1
            while k >= 0 and names[idx[k]][1] > before:
                k -= 1
            if k >= 0:
                last = max(last, idx[k])
        run = names[last] if last >= 0 else names[min(idx[0] for _, idx in holding)]
        return f" (at {run[0] + run[2].index(full)})"

    def _run_index_before(self, offset: int) -> int:
        """The index of the last name run that starts at or before ``offset`` (-1: none)."""
        return bisect.bisect_right(self._name_starts_list(), offset) - 1

    # ------------------------------------------------------------ speakers
    def speaker(self, d: Decision, qi: int) -> tuple[Speaker | None, list[str]]:
        if d.mention is None:
            return None, []
        if d.mention.start < self.headline_end():
            d.mention = self.trim_headline_mention(d.mention)
        name, steps = self.speaker_name(d.mention, qi)
        if not name:
            return None, steps
        why = why_not_a_speaker(name, self.ctx.lower_only, self.ctx.capitalised_inside)
        if why is not None:
            # no name: the speaker is the unnamed one the mention speaks of ("he", "who",
            # "aides"), in lower case unless the mention is itself a name
            unnamed = _unnamed(d.mention.text)
            steps = steps + [f"'{name}' names no speaker ({why}): unnamed '{unnamed}'"]
            if not unnamed:
                return None, steps
            name = unnamed
        _, role = split_role(clean_name_keep_titles(d.mention.text))
        typ = entity_type(name, d.mention.text)
        if d.sieve == "transcript":
            typ = "person"  # WALLACE: …
        if is_pronoun(d.mention.text) and typ == "unknown":
            typ = "person" if fold(d.mention.text) in ("he", "she") else typ
        return Speaker(name=name, type=typ, mention=d.mention, role=role,
                       affiliation=self.affiliation(role, d.mention.start)), steps

    def affiliation(self, role: str | None, before: int) -> str | None:
        """The body a role names: 'Foreign Ministry spokesman' -> the fullest earlier name
        holding 'Foreign Ministry'; a spokesperson's body however written ('ATM national
        spokesperson', 'Joburg Central police spokesperson', 'the party's spokesman' -> the
        party the article named)."""
        if not role:
            return None
        words = [strip_possessive(w) for w in role.replace(",", " ").split()]
        spokes = next((i for i, w in enumerate(words) if fold(w) in en.SPOKES_WORDS), None)
        if spokes is not None:
            body = [w for w in words[:spokes] if fold(w) not in en.ROLE_ADJECTIVES and fold(w) not in DETERMINERS
                    and (w[:1].isupper() or fold(w) in en.ORG_HEADS)]
            if body and not any(w[:1].isupper() for w in body):
                # "the committee spokesman": the committee the article named
                r = self.resolve_nominal(Span(before, before, "the " + " ".join(body)), None)
                return r[0] if r is not None else " ".join(body)
            if body:
                return self._fullest_org(" ".join(body), before)
        caps = [w for w in words if w[:1].isupper() and fold(w) not in en.TITLES]
        if not caps or not any(fold(w) in en.ORG_HEADS for w in caps):
            return None  # "Festival director" names no organisation
        return self._fullest_org(" ".join(caps), before)

    def _fullest_org(self, org: str, before: int) -> str:
        """The longest name run before ``before`` that holds ``org`` (the first of the longest)."""
        best, first = org, -1
        for txt, idx in self.runs_holding(org):
            i = idx[0]  # a text's first run ends first: it is before ``before`` if any is
            if self.names[i][1] <= before and (len(txt) > len(best) or (len(txt) == len(best) and 0 <= i < first)):
                best, first = txt, i
        return clean_name(best)

    # ------------------------------------------------------------ outlets
    def outlet(self, d: Decision, qi: int | None, speaker: Speaker | None) -> tuple[Outlet | None, list[str]]:
        """The outlet the attribution names (:mod:`.outlets`), with the rule that named it."""
        return find_outlet(self.outlets, d, qi, speaker)


@functools.lru_cache(maxsize=1024)
def _title_pattern(title: str) -> regex.Pattern:
    """A title as a whole word or phrase of a folded text."""
    return regex.compile(rf"(?<![\w-]){regex.escape(title)}(?![\w-])")


# A full name set beside a description, after a few more words of it ("of the farmers’
# association") and a comma, with an honorific or none, ending the apposition or the sentence.
_NAME_BESIDE = regex.compile(
    r"[\p{Ll}\p{M}’'\- ]{0,40},\s+(?:(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+)?"
    r"(?P<n>\p{Lu}[\p{L}\p{M}’'\-]+(?:\s+\p{Lu}[\p{L}\p{M}’'\-]+){1,3})\s*(?:[,.;]|$)", regex.V1)


def _unnamed(mention: str) -> str:
    """A mention that names nobody, as an unnamed speaker: "He" -> "he", "Aides" -> "aides";
    empty when it is not even a noun phrase ("Within this")."""
    words = mention.replace("\n", " ").split()
    if not words or (len(words) > 1 and fold(words[0]) in en.FUNCTION_WORDS
                     and fold(words[0]) not in DETERMINERS | en.INDEFINITE_DETERMINERS):
        return ""  # "Within this framework": no noun phrase
    text = " ".join(words)
    return text[:1].lower() + text[1:] if not (len(words[0]) > 1 and words[0].isupper()) else text


def clean_name_keep_titles(mention: str) -> str:
    words = mention.replace("\n", " ").split()
    while words and words[0].lower() in DETERMINERS:
        words = words[1:]
    return " ".join(words)
