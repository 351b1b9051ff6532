"""Sieves that read a neighbouring paragraph or line: a transcript label ("WALLACE: “…”"), a
cue opening the next paragraph, a dash credit ("“…” ― Ana Ruiz"), a paragraph that is only a
name, the subject of the sentence before a quote standing alone."""
from __future__ import annotations

import regex

from ...lang import en
from ...types import Span
from ..context import Decision, DocContext
from ..mentions import NOT_NAMES, np_after, speaker_before
from .common import cue_at, skip_space, skip_space_back
from .subjects import clause_subject, is_named


_TRANSCRIPT = regex.compile(r"[\"“]?\s*(\p{Lu}[\p{Lu}\.\-’' ]{1,40}?)\s*:\s")


_OPEN_END = regex.compile(r"[,—–\-]\s*$")  # a quote that stops mid-sentence


def next_paragraph_cue(ctx: DocContext, qi: int) -> Decision | None:
    """A quote that ends its paragraph with a comma; the next paragraph opens with "X said"."""
    q = ctx.quotes[qi]
    pi = ctx.end_paragraph_index(q)
    para = ctx.paragraphs[pi]
    if pi + 1 >= len(ctx.paragraphs) or skip_space(ctx.text, q.span.end, para.end) < para.end:
        return None
    if not _OPEN_END.search(q.content.text):
        return None
    nxt = ctx.paragraphs[pi + 1]
    ks = ctx.outside_tokens(nxt.start, min(nxt.end, nxt.start + 160))[:10]
    toks, text = ctx.toks, ctx.text
    for pos, k in enumerate(ks):
        if cue_at(ctx, k):
            if pos == 0:
                np = np_after(text, toks, k + 1, nxt.end)
            else:
                np = speaker_before(text, toks, k, nxt.start)
            if np is not None:
                return Decision("next_paragraph_cue", np, Span.of(text, toks[k].start, toks[k].end), 0.85)
            return None
    return None


def transcript(ctx: DocContext, qi: int) -> Decision | None:
    """WALLACE: “…” or a quoted transcript paragraph opening with SPEAKER:."""
    q = ctx.quotes[qi]
    m = _TRANSCRIPT.match(q.content.text)
    if m and m.group(1).strip().isupper() and len(m.group(1).strip()) > 1:
        st = q.content.start + m.start(1)
        return Decision("transcript", Span.of(ctx.text, st, st + len(m.group(1).rstrip())), None, 0.9)
    para = ctx.paragraphs[ctx.paragraph_index(q.span.start)]
    m = _TRANSCRIPT.match(ctx.text, para.start, min(q.span.start + 1, para.start + 60))
    if m and m.group(1).strip().isupper() and len(m.group(1).strip()) > 1:
        return Decision("transcript", Span.of(ctx.text, m.start(1), m.start(1) + len(m.group(1).rstrip())),
                        None, 0.85)
    return None


_BYLINE = regex.compile(en.CREDIT_DASH + r"\s*(?=\p{Lu})")


def byline(ctx: DocContext, qi: int) -> Decision | None:
    """A quote credited by a dash after it: "“…” ― Ana Ruiz" on its line, or a paragraph
    "- Bernie Sanders." after it (quote cards, lists of quotes, vox pops). A partial quote
    inside a sentence is never credited so ("… called him “my African American.” ¶ - Reuters.")."""
    if ctx.kinds[qi] == "partial":
        return None
    q = ctx.quotes[qi]
    pi = ctx.end_paragraph_index(q)
    para = ctx.paragraphs[pi]
    start = skip_space(ctx.text, q.span.end, para.end)
    if start < para.end:
        if not _BYLINE.match(ctx.text, start, min(para.end, start + 12)):
            return None
        # the credit ends with its line, or where the next quote opens ("” ― Ana Ruiz “…")
        end = min(x for x in (ctx.text.find("\n", start, para.end), para.end,
                              *(o.span.start for o in ctx.quotes[qi + 1:qi + 2])) if x > start)
        if end - start > 200:
            return None
    elif pi + 1 < len(ctx.paragraphs):
        nxt = ctx.paragraphs[pi + 1]
        if not _BYLINE.match(nxt.text) or len(nxt.text) > 200:
            return None
        start, end = nxt.start, nxt.end
    else:
        return None
    m = _BYLINE.match(ctx.text, start, start + 12)
    if not m:
        return None
    np = np_after(ctx.text, ctx.toks, ctx.tok_index(m.end()), end, loose=False)
    if np is None:
        return None
    return Decision("byline", np, None, 0.8, ["a dash line naming who said it"])


_NAME_LINE = regex.compile(
    r"(?P<name>\p{Lu}[\p{L}\-’'.]+(?:\s+(?:\p{Lu}[\p{L}\-’'.]*|" + "|".join(en.NAME_LINE_PARTICLES) + r")){1,3})"
    r"(?:,\s*(?:\d{1,3}|\p{Lu}[\p{L}.’'\-]*(?:\s+\p{Lu}[\p{L}.’'\-]*){0,3})){0,3}[:.]?", regex.V1)


def name_line(ctx: DocContext, qi: int) -> Decision | None:
    """Vox pops and interview lists: a short paragraph that is only a name ("Ana Ruiz, 24, Phoenix")
    introduces the quote paragraph after it."""
    q = ctx.quotes[qi]
    pi = ctx.paragraph_index(q.span.start)
    if pi == 0 or skip_space_back(ctx.text, q.span.start, ctx.paragraphs[pi].start) > ctx.paragraphs[pi].start:
        return None
    prev = ctx.paragraphs[pi - 1]
    if prev.end - prev.start > 80:
        return None
    m = _NAME_LINE.fullmatch(ctx.text, prev.start, prev.end)
    if not m or any(ctx.lowers[k] in en.CUE_VERBS for k in ctx.outside_tokens(prev.start, prev.end)):
        return None
    if m.group("name").split()[0].lower() in NOT_NAMES:
        return None  # "With Clinton, …": a headline, not a name
    return Decision("name_line", Span.of(ctx.text, m.start("name"), m.end("name")), None, 0.7,
                    ["a paragraph naming the speaker before the quote"])


def previous_subject(ctx: DocContext, qi: int) -> Decision | None:
    """A quote standing alone as a paragraph, with no cue: the subject of the sentence before it
    ("Valastro praised Christie’s leadership …" ¶ “…”)."""
    q = ctx.quotes[qi]
    pi = ctx.paragraph_index(q.span.start)
    para = ctx.paragraphs[pi]
    j = skip_space_back(ctx.text, q.span.start, para.start)
    if j > para.start:
        # mid-paragraph: only a quote opening a sentence after a plain sentence of its own
        if ctx.text[j - 1] not in ".!?" or ctx.sentence_index(j - 1) == ctx.sentence_index(q.span.start):
            return None
        s, e = ctx.sentence_of(j - 1)
        if s < para.start or ctx.quote_starts_between(s, e) \
                or ctx.events_between(s, j):
            return None  # a sentence with a quote or a speech event of its own: not a plain introduction
        subj = clause_subject(ctx, s, j)
        if subj is None or len(subj.text.split()) < 2 or not is_named(subj):
            return None
        return Decision("previous_subject", subj, None, 0.45, ["subject of the sentence before the quote"])
    if pi == 0:
        return None
    prev = ctx.paragraphs[pi - 1]
    if prev.text.rstrip()[-1:] in "”\"":
        return None  # a quote before: continuation's business
    s, _ = ctx.sentence_of(max(prev.start, prev.end - 1))
    subj = clause_subject(ctx, s, prev.end)
    if subj is None or not (is_named(subj) or subj.text.lower() in en.PRONOUNS):
        return None
    return Decision("previous_subject", subj, None, 0.45, ["subject of the sentence before the quote"])
