"""The outlet a quote came through: the channel or the body that carried the words.

An outlet is a news agency or paper that carried or heard the words ("carried by KCNA",
"told Reuters", "in an interview with the Ghana News Agency", "told M&G"), a platform or a
medium ("on Twitter", "tweeted", "in a statement", "the letter states", "on state television",
"during the briefing"), or the body a spokesperson speaks for ("Joburg Central police
spokesperson Captain Xoli Mbele"). A person's employer or party is none.

Like the sieves, the rules are small and named, run in the order of one configuration string
(:data:`DEFAULT_OUTLET_RULES`); the first that finds an outlet names it, and its name is kept
with the outlet (``Outlet.rule``) as provenance. They read the attribution's own clause: the
sentence of the cue, outside the quote.

A quote whose attribution names no outlet keeps the one of the occasion it continues
(:func:`carry_over`): the same speaker's earlier quote or reported statement that named one
("…,” Al Hashemi told Khaleej Times. … “…,” Al Hashemi said.), unless its own clause names
another occasion ("told reporters", "at a press conference").
"""
from __future__ import annotations

import itertools
from dataclasses import replace
from collections.abc import Sequence
from typing import Callable

import regex

from ..lang import en
from ..types import Outlet, Quote, Speaker, Span
from .context import Decision, DocContext
from .mentions import fold, is_pronoun
from .names import key_tokens

# A capitalised name, as outlets are written: "Times of Oman", "M&G", "TUKO.co.ke", "Al-Ahram".
_NAME = r"\p{Lu}[\p{L}\p{M}\p{N}\-\.’'&]*(?:\s+(?:of\s+|de\s+|&\s+)?\p{Lu}[\p{L}\p{M}\p{N}\-\.’'&]*)*"  # (letters with their combining marks)
_AGENCY = [
    # "carried by the state-run Korean Central News Agency (KCNA)", "quoted by the Press Trust of India"
    (("carried", "published", "reported", "released", "broadcast", "aired", "quoted", "cited"), regex.compile(
        r"\b(?:carried|published|reported|released|broadcast|aired|quoted|cited)\s+(?:by|on|in)\s+(?:the\s+)?"
        r"(?:state-run\s+|state-owned\s+|official\s+|state\s+|news\s+agency\s+)*(?P<o>" + _NAME + r")"
        r"(?:\s*\((?P<abbr>\p{Lu}[\p{Lu}\.]{1,9})\))?", regex.V1), True),
    # "told Reuters", "told the Times of Oman": a person told is no outlet (checked: newsy)
    (("tel", "told", "spok", "speaking", "talk"), regex.compile(r"\b(?:told|tells|telling|speaking\s+to|spoke\s+to|talking\s+to)\s+(?:the\s+)?"
                           r"(?P<o>" + _NAME + r")", regex.V1), False),
    (("interview",), regex.compile(r"\bin\s+an?\s+(?:\w+\s+){0,2}?interview\s+(?:with|on|to)\s+(?:the\s+)?"
                                r"(?P<o>" + _NAME + r")", regex.V1), True),
    (("carried", "published", "reported", "released"), regex.compile(r"\b(?:carried|published|reported|released)\s+by\s+(?:the\s+)?(?P<o>(?:state|official|"
                              r"state-run|government)\s+news\s+agency(?:\s+\p{Lu}[\p{L}\p{M}\-]*)*)", regex.V1), True),
    # "Xinhua quoted Foreign Ministry spokesman Wang Wenbin as saying": the agency that quoted
    (("quot", "cit"), regex.compile(
        r"(?:\bthe\s+)?(?:state-run\s+|state-owned\s+|official\s+|state\s+|news\s+agency\s+)*(?P<o>" + _NAME
        + r")\s+(?:also\s+|later\s+)?(?:quoted|quotes|cited|cites)\s+[^.;“”\"]{1,120}?\bas\s+(?:saying|telling|stating|"
          r"writing|adding|describing|calling|warning|insisting|noting)\b", regex.V1), False),
    # "…," Sanders said, according to CNN: the channel the words came through
    (("according",), regex.compile(r"\baccording\s+to\s+(?P<the>the\s+)?(?P<o>" + _NAME + r")", regex.V1), False),
]
_PLATFORMS = "Twitter|Facebook|Instagram|YouTube|TikTok|Truth Social|LinkedIn|Telegram|WhatsApp|Weibo|WeChat|X"
_PLATFORM = regex.compile(
    r"\b(?:(?:on|via|wrote\s+on|posted\s+on|said\s+on|tweeted\s+on)\s+(?:his\s+|her\s+|its\s+|their\s+)?"
    r"(?P<p>" + _PLATFORMS + r")\b(?!\s+(?:user|account|page)s?\b)"
    r"|\b(?i:in)\s+an?\s+(?P<p2>" + _PLATFORMS + r")\s+(?:post|video|message|live)"
    r"|\b(?P<p3>" + _PLATFORMS + r")\s+user\b"
    r"|\b(?P<tweet>tweet(?:ed|s|ing)?|in\s+a\s+tweet)\b)", regex.V1)
# A medium the words came in: "in a statement", "according to a press release", "in an email",
# "on state television", "over the phone", "during the briefing".
_MEDIUM = regex.compile(
    r"\b(?:in|via|through|according\s+to)\s+(?:a|an|the|its|his|her|their|this|that)\s+"
    r"(?P<m>(?:(?:press|media|news|joint|written|brief|separate|short|recorded|televised|video|open|"
    r"official|social\s+media|online)\s+)?"
    r"(?:statement|release|letter|note|email|e-mail|message|video|post|blog(?:\s+post)?|op-ed|column|"
    r"podcast|communiqu[eé]|broadcast|radio\s+interview|television\s+interview|tv\s+interview))\b"
    r"|\b(?:on|over)\s+(?:the\s+)?(?P<tv>(?:(?:state-run|state|national|public|local|official|government)\s+)*"
    r"(?:television|TV|radio)(?:\s+(?:channel\s+)?\p{Lu}[\p{L}\p{M}\p{N}]*(?:\s+\p{N}+)?)?)\b"
    r"|\b(?:over\s+the|by|on\s+the)\s+(?P<phone>(?:tele)?phone)\b|\bin\s+a\s+(?P<call>(?:tele)?phone\s+call)\b"
    r"|\b(?:during|at)\s+(?:a|an|the|its|his|her|their)\s+(?P<brief>(?:(?:press|news|daily|regular|weekly)\s+)?briefing)\b",
    regex.V1 | regex.IGNORECASE)
# Where the content of reported words starts after their cue ("said that …", "said he …").
_CONTENT_START = regex.compile(r"\b(?:that|he|she|they|it|we|I|his|her|their|its)\b|[,;:]", regex.V1)
_NEWS_WORDS = frozenset("news times post journal agency radio television tv network magazine press sun "
                        "herald tribune daily gazette telegraph guardian globe wire review star standard "
                        "mail chronicle observer express mirror courier".split())
# Words that open a new occasion: a quote whose clause holds one keeps no outlet from before.
_NEW_OCCASION = regex.compile(
    r"\b(?:told\s+(?:reporters|journalists|the\s+media|the\s+press|a\s+(?:crowd|rally|meeting|conference))"
    r"|(?:at|during)\s+(?:a|an|the|his|her|their|its)\s+(?:\w+\s+){0,2}?(?:conference|rally|meeting|session|"
    r"debate|hearing|summit|event|ceremony|speech|forum|seminar|workshop|launch)"
    r"|in\s+(?:another|a\s+separate|a\s+later|an\s+earlier)\s+(?:interview|statement|post)"
    r"|(?:later|earlier|previously)\s+(?:said|told|added)|speaking\s+(?:at|in|on)"
    # another time: "in January", "last year", "in 2018", "at the time"
    r"|(?:in|since|on|by)\s+(?:early\s+|late\s+|mid-)?(?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December)|(?:in|since)\s+(?:19|20)\d\d|last\s+(?:week|month|year)"
    r"|earlier\s+this\s+(?:week|month|year)|at\s+the\s+time|in\s+the\s+past|\d+\s+(?:days|weeks|months|years)\s+ago)\b",
    regex.V1 | regex.IGNORECASE)

OutletRule = Callable[["OutletContext", Decision, "int | None", "Speaker | None"], "tuple[Outlet, str] | None"]


class OutletContext:
    """One document's outlet rules: the clause of each attribution."""

    def __init__(self, ctx: DocContext):
        self.ctx = ctx
        self._spelt: dict[str, str | None] = {}

    def spelt_out(self, name: str) -> str | None:
        """:func:`_spelt_out` once per abbreviation a document uses (each reads the whole text:
        asked for every quote, a long document took time in the square of its length)."""
        if name not in self._spelt:
            self._spelt[name] = _spelt_out(self.ctx.text, name)
        return self._spelt[name]

    def clause(self, d: Decision, qi: int | None) -> tuple[int, int]:
        """The attribution's own clause: the sentence of the cue, outside the quote (the whole
        sentence for reported words, ``qi`` None)."""
        s, e = self.ctx.sentence_of(d.cue.start)
        if qi is None:
            # reported words: the attribution, not its content ("Musyoki, in an interview with
            # TUKO.co.ke, said he met Deborah on Facebook": Facebook is what he spoke of)
            tail = _CONTENT_START.search(self.ctx.text, d.cue.end, min(e, d.cue.end + 80))
            return s, tail.start() if tail else min(e, d.cue.end + 80)
        q = self.ctx.quotes[qi]
        if q.span.end <= d.cue.start:
            s = max(s, q.span.end)  # "“…,” she said in a statement."
        elif d.cue.start < q.span.start:
            e = min(e, q.span.start)  # "In a statement, the ministry said: “…”"
        return s, max(s, e)

    def occasion_text(self, q: Quote) -> str:
        """What speaks of a quote's occasion (for :func:`carry_over`): its paragraph up to the
        quote and its attribution clause."""
        ctx = self.ctx
        para = ctx.paragraphs[ctx.paragraph_index(q.span.start)] if ctx.paragraphs else None
        before = ctx.text[para.start:q.span.start] if para is not None else ""
        if q.cue is None:
            return before
        s, e = ctx.sentence_of(q.cue.start)
        if q.span.end <= q.cue.start:
            return before + " " + ctx.text[max(s, q.span.end):max(s, e)]
        return before


# ------------------------------------------------------------------ the rules

def document_speaker(oc: OutletContext, d: Decision, qi: int | None, speaker: Speaker | None) -> tuple[Outlet, str] | None:
    """"the letter states", "the press release said": the document the words are in."""
    if d.mention is None:
        return None
    words = d.mention.text.replace("\n", " ").split()
    if len(words) < 2 or fold(words[-1]) not in en.MEDIA_NOUNS or fold(words[0]) not in en.DETERMINERS_AND_LINKS:
        return None
    name = " ".join(w for w in words if fold(w) in en.MEDIA_NOUNS or fold(w) in en.MEDIA_MODIFIERS)
    return Outlet(name, d.mention, "document_speaker"), f"the words are the {name}'s"


def agency(oc: OutletContext, d: Decision, qi: int | None, speaker: Speaker | None) -> tuple[Outlet, str] | None:
    """An agency or a paper that carried or heard the words: "carried by KCNA", "told Reuters",
    "in an interview with the Ghana News Agency", "according to CNN"."""
    ctx = oc.ctx
    if d.cue is None:
        return None
    lo, hi = oc.clause(d, qi)
    clause = ctx.text[lo:hi]
    inside = (ctx.quotes[qi].span.start, ctx.quotes[qi].span.end) if qi is not None else (0, 0)
    for needles, pat, any_name in _AGENCY:
        if not any(n in clause for n in needles):
            continue  # (a substring test is far cheaper than the pattern's scan)
        needle = needles[0]
        for m in pat.finditer(ctx.text, lo, hi):
            name = (m.group("o") or "").rstrip(".’'")
            if not name or inside[0] <= m.start() < inside[1]:
                continue
            fname = fold(name)
            if fname.split()[0] in en.WEEKDAYS or fname.split()[0] in en.MONTHS:
                continue  # "released on Monday", "published in March": a date, not an outlet
            newsy = _newsy(name)
            if not any_name and needle in ("tel", "quot") and not newsy:
                continue  # "told Smith", "he quoted his father as saying": a person, not an outlet
            if needle == "according" and (not (newsy or m.group("the")) or (
                    d.mention is not None and d.mention.start <= m.start("o") < d.mention.end)):
                continue  # "according to Smith" is a source, and the speaker is no outlet of his own
            if "news agency" in fname and not fname.endswith("news agency"):
                # "the state news agency KNA": the agency's own name
                tail = name[fname.index("news agency") + len("news agency"):].strip()
                start = m.start("o") + name.index(tail)
                return Outlet(en.OUTLET_NAMES.get(fold(tail), tail), Span.of(ctx.text, start, start + len(tail)),
                              "agency"), f"outlet phrase '{ctx.text[m.start():m.start('o') + len(name)]}'"
            abbr = m.groupdict().get("abbr")
            end = m.end("abbr") + 1 if abbr else m.start("o") + len(name)
            canonical = en.OUTLET_NAMES.get(fname) or oc.spelt_out(name) or name
            return Outlet(canonical, Span.of(ctx.text, m.start("o"), end), "agency"), \
                f"outlet phrase '{ctx.text[m.start():end]}'"
    return None


def agency_speaker(oc: OutletContext, d: Decision, qi: int | None, speaker: Speaker | None) -> tuple[Outlet, str] | None:
    """"the APS agency reported", "KCNA said": an agency reporting its own words is speaker and
    outlet both."""
    if speaker is None or d.mention is None or d.cue is None or is_pronoun(d.mention.text):
        return None
    cue = fold(d.cue.text)
    if not (_newsy(speaker.name) and (cue in en.REPORTING_CUES or cue.startswith("according")
                                      or "agency" in fold(speaker.name))):
        return None
    return Outlet(en.OUTLET_NAMES.get(fold(speaker.name), speaker.name), d.mention, "agency_speaker"), \
        f"'{speaker.name}' reports its own words"


def platform(oc: OutletContext, d: Decision, qi: int | None, speaker: Speaker | None) -> tuple[Outlet, str] | None:
    """A platform: "on Twitter", "tweeted", "in a Facebook post", "wrote on Instagram", "Twitter
    user X"."""
    ctx = oc.ctx
    spans = []
    if d.cue is not None:
        spans.append(oc.clause(d, qi))
    if d.mention is not None:
        spans.append((d.mention.start, d.mention.end))
    for lo, hi in spans:
        for m in _PLATFORM.finditer(ctx.text, lo, hi):
            if m.group("tweet"):
                return Outlet("Twitter", Span.of(ctx.text, m.start("tweet"), m.end("tweet")), "platform"), \
                    f"'{m.group('tweet')}' -> Twitter"
            g = next(g for g in ("p", "p2", "p3") if m.group(g))
            name = m.group(g)
            return Outlet(en.OUTLET_NAMES.get(fold(name), name), Span.of(ctx.text, m.start(g), m.end(g)), "platform"), \
                f"platform phrase '{m.group(0)}'"
    return None


def medium(oc: OutletContext, d: Decision, qi: int | None, speaker: Speaker | None) -> tuple[Outlet, str] | None:
    """A medium: "in a statement", "according to a press release", "in an email", "on
    state television", "over the phone", "during the briefing"."""
    if d.cue is None:
        return None
    ctx = oc.ctx
    lo, hi = oc.clause(d, qi)
    # the whole sentence before a leading quote's cue too: "In a release, the First Nation states “…”"
    s, _ = ctx.sentence_of(d.cue.start)
    inside = (ctx.quotes[qi].span.start, ctx.quotes[qi].span.end) if qi is not None else (0, 0)
    for m in _MEDIUM.finditer(ctx.text, min(lo, s), hi):
        if inside[0] <= m.start() < inside[1]:
            continue
        g = next(g for g in ("m", "tv", "phone", "call", "brief") if m.group(g))
        name = " ".join(m.group(g).split())
        return Outlet(name, Span.of(ctx.text, m.start(g), m.end(g)), "medium"), f"medium phrase '{m.group(0)}'"
    return None


def spokesperson(oc: OutletContext, d: Decision, qi: int | None, speaker: Speaker | None) -> tuple[Outlet, str] | None:
    """The body a spokesperson speaks for: "Foreign Ministry spokesman Seyyed Abbas Mousavi",
    "ATM national spokesperson Sibusiso Mncwabe", "the committee spokesman"."""
    if speaker is None or speaker.affiliation is None or not _speaks_for(speaker.role):
        return None
    return Outlet(speaker.affiliation, None, "spokesperson"), f"{speaker.role} speaks for {speaker.affiliation}"


def _speaks_for(role: str | None) -> bool:
    words = {fold(w).strip(",.") for w in (role or "").split()}
    return bool(words & en.SPOKES_WORDS) or "press secretary" in fold(role or "")


def _spelt_out(text: str, name: str) -> str | None:
    """The full name an article gives an abbreviated outlet: "M&G" -> "Mail & Guardian"
    ("The Mail & Guardian has it …"), "GNA" -> "Ghana News Agency"; None when it gives none."""
    letters = name.replace(".", "")
    if not (2 <= len(letters.replace("&", "")) <= 6 and all(c.isupper() or c == "&" for c in letters)):
        return None
    parts = [r"\s*&\s*" if c == "&" else c + r"[\p{Ll}\p{M}]+" for c in letters]
    pattern = ""
    for i, part in enumerate(parts):
        pattern += part if i == 0 or part.startswith(r"\s") or parts[i - 1].startswith(r"\s") else r"\s+" + part
    m = regex.search(r"(?<![\p{L}])" + pattern + r"(?![\p{L}])", text)
    return m.group(0) if m else None


def _newsy(name: str) -> bool:
    fname = fold(name)
    return fname in en.OUTLET_NAMES or (name.isupper() and len(name) <= 6) or "&" in name or any(
        w in _NEWS_WORDS for w in fname.replace(".", " ").split()) or regex.search(r"\.(?:com|co|net|org)\b", fname) is not None


OUTLET_RULES: dict[str, OutletRule] = {
    "document_speaker": document_speaker,
    "agency": agency,
    "agency_speaker": agency_speaker,
    "platform": platform,
    "medium": medium,
    "spokesperson": spokesperson,
}
DEFAULT_OUTLET_RULES = "platform,agency,document_speaker,medium,agency_speaker,spokesperson"


def find_outlet(oc: OutletContext, d: Decision, qi: int | None, speaker: Speaker | None,
                config: str = DEFAULT_OUTLET_RULES) -> tuple[Outlet | None, list[str]]:
    """The outlet the attribution names, and the steps that say which rule named it."""
    for name in config.split(","):
        found = OUTLET_RULES[name.strip()](oc, d, qi, speaker)
        if found is not None:
            outlet, why = found
            return outlet, [f"outlet rule {outlet.rule}: {why}"]
    return None, []


# ------------------------------------------------------------------ occasions

def carry_over(quotes: list[Quote], occasion_of: Callable[[Quote], str],
               statements: Sequence[tuple[int, str, Outlet]] = ()) -> list[Quote]:
    """Outlets carried over the occasions they belong to.

    * In text order: a quote with no outlet of its own takes the one of the same speaker's last
      quote or reported statement before it that named one ("…,” Riham told the Times of Oman.
      … “…,” she said."), unless the words around it (``occasion_of``: its attribution clause
      and what its paragraph says before it) name another occasion ("told reporters", "at a
      press conference", "in January"). "The statement continued" keeps the outlet that
      carried the statement ("… said in a statement carried by KCNA").
    * Then a quote whose sentence speaks of a statement ("issued a statement …, stating that
      “…”") takes the agency that carried the same speaker's statement, before or after it.

    ``statements`` are the speakers' reported words with an outlet (offset, speaker name,
    outlet). One pass in text order keeps the last occasion of each speaker in a dictionary;
    the second reads each speaker's carried quotes once."""
    events: list[tuple[int, int, int]] = [(q.span.start, 1, i) for i, q in enumerate(quotes)]
    events += [(off, 0, i) for i, (off, _, _) in enumerate(statements)]
    events.sort()
    last: dict[frozenset[str], tuple[Outlet, int]] = {}
    out = list(quotes)
    for off, kind, i in events:
        if kind == 0:
            _, name, outlet = statements[i]
            _remember(last, name, outlet, off)
            continue
        q = quotes[i]
        if q.speaker is None or q.kind in ("scare", "title"):
            continue
        prev = _recall(last, q.speaker.name)
        if q.outlet is not None and q.outlet.rule == "document_speaker" and prev is not None \
                and prev[0].rule not in _WEAK_RULES:
            # "the statement continued": the statement an agency carried before
            out[i] = q = replace(q, outlet=prev[0], explanation=q.explanation + (
                f"outlet rule carry_over: the {q.outlet.name} carried at {prev[1]} ({prev[0].name})",))
        if q.outlet is not None:
            _remember(last, q.speaker.name, q.outlet, q.span.start)
            continue
        if prev is None or _NEW_OCCASION.search(occasion_of(q)) is not None or (
                q.cue is None and len(q.content.text.split()) <= _ECHO_WORDS):
            continue  # (a word or two no reporting verb attributes: the reporter's echo ("a “coup”"))
        outlet, at = prev
        out[i] = replace(q, outlet=outlet, explanation=q.explanation + (
            f"outlet rule carry_over: the occasion of the same speaker's words at {at} ({outlet.name})",))
    return _statements_carried(out, occasion_of)


_ECHO_WORDS = 3  # words a quote with no reporting verb has at most to be an echo, not words of the occasion
_WEAK_RULES = frozenset({"document_speaker", "medium"})  # outlets an agency's carrying overrides
_STATEMENT = regex.compile(r"\b(?:statements?|stating|communiqu[eé]|press\s+release)\b", regex.IGNORECASE)


def _statements_carried(quotes: list[Quote], occasion_of: Callable[[Quote], str]) -> list[Quote]:
    """A quote of a statement ("issued a statement …, stating that “…”") takes the agency that
    carried the same speaker's statement ("… said in a statement carried by KCNA"), before or
    after it, over the bare "statement" it may have had."""
    carried: dict[frozenset[str], list[Quote]] = {}
    for q in quotes:
        if q.speaker is not None and q.outlet is not None and q.outlet.rule not in _WEAK_RULES \
                and q.outlet.mention is not None and _STATEMENT.search(occasion_of(q)):
            carried.setdefault(key_tokens(q.speaker.name), []).append(q)
    if not carried:
        return quotes
    out = []
    for q in quotes:
        weak = q.outlet is None or q.outlet.rule in _WEAK_RULES
        if weak and q.speaker is not None and q.kind not in ("scare", "title") \
                and _STATEMENT.search(occasion_of(q)):
            key = key_tokens(q.speaker.name)
            same = [o for k, lst in carried.items() if k and key and (k <= key or key <= k) for o in lst]
            src = min(same, key=lambda o: abs(o.span.start - q.span.start), default=None)
            if src is not None:
                q = replace(q, outlet=src.outlet, explanation=q.explanation + (
                    f"outlet rule carry_over: the statement {src.outlet.name} carried (at {src.span.start})",))
        out.append(q)
    return out


_RECALL_REACH = 8  # how many other speakers' occasions a shortened name is matched against


def _remember(last: dict[frozenset[str], tuple[Outlet, int]], name: str, outlet: Outlet, at: int) -> None:
    key = key_tokens(name)
    if key:
        last.pop(key, None)
        last[key] = (outlet, at)  # (re-inserted: the dictionary's order is recency)


def _recall(last: dict[frozenset[str], tuple[Outlet, int]], name: str) -> tuple[Outlet, int] | None:
    key = key_tokens(name)
    if not key:
        return None
    hit = last.get(key)
    if hit is not None:
        return hit
    # "Al Hashemi" for "Suhail Al Hashemi": one key holding the other, among the latest occasions
    for k in itertools.islice(reversed(last), _RECALL_REACH):  # (no copy of every speaker's key per quote)
        if k <= key or key <= k:
            return last[k]
    return None
