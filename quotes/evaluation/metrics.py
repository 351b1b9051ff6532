"""Score extracted quotes against hand-annotated data.

Two gold formats:

* **brat standoff** as in PolNeAR (``SPLIT/text/NAME.txt`` and
  ``SPLIT/attributions/NAME_ANNOTATOR.ann``): ``T`` lines are spans
  ``LABEL start end[;start end]``, ``E`` lines join Source, Cue and Content into
  one attribution. Gold quotes are the Content fragments wholly in quote marks
  (``direct``) and the quoted stretches inside other Content (``partial``).
* **JSON gold** (``*.gold.json``, the seed's format): a list of quotes with
  ``start``/``end``, acceptable speaker and outlet names, and ``optional``.

The metrics follow ``../shared/eval/README.md``: a gold quote is found when a
prediction overlaps it with intersection-over-union >= 0.8 once both are
trimmed of quote marks, spaces and edge punctuation (one prediction per gold
quote, greedy by IoU); a speaker is right when the predicted mention overlaps
the gold source span or the predicted name shares its content words with the
gold source (a gold pronoun is read as the nearest earlier named source).
"""
from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

log = logging.getLogger(__name__)

_MARKS = "\"'“”‘’«»„‟‹›「」『』"
_TRIM = _MARKS + " \t\r\n\u00a0,.;:!?—–-…"
NOT_SPEECH = frozenset({"scare", "title", "term", "other", "non-speech", "nonspeech"})
_PRONOUNS = frozenset("he she they i we it him her them you his hers".split())
_STOP = frozenset("the a an of and mr mrs ms dr sen rep gov president said s in on for to by who has was".split())


def _fold(s: str | None) -> str:
    s = unicodedata.normalize("NFKD", s or "")
    return "".join(c for c in s if not unicodedata.combining(c)).replace("’", "'").lower()


def content_words(s: str | None) -> set[str]:
    return {t for t in re.findall(r"[a-z][a-z\-]+", _fold(s)) if t not in _STOP and len(t) > 2}


def names_match(pred: str | None, accept: Iterable[str]) -> bool:
    """Content words of one a non-empty subset of the other's."""
    p = content_words(pred)
    if not p:
        return False
    return any((a := content_words(g)) and (p <= a or a <= p) for g in accept)


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match(gold: list[tuple[int, int]], pred: list[tuple[int, int]], text: str,
          threshold: float) -> dict[int, tuple[int, float]]:
    """Greedy one-to-one matching of gold to predicted spans by trimmed IoU."""
    pairs = []
    for gi, g in enumerate(gold):
        gs = trim(text, *g)
        for pi, p in enumerate(pred):
            ps = trim(text, *p)
            ov = _overlap(gs, ps)
            if ov > 0:
                pairs.append((ov / (max(gs[1], ps[1]) - min(gs[0], ps[0])), gi, pi))
    pairs.sort(reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    out: dict[int, tuple[int, float]] = {}
    for iou, gi, pi in pairs:
        if iou < threshold or gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out[gi] = (pi, iou)
    return out


@dataclass(frozen=True)
class Prediction:
    start: int
    end: int
    kind: str | None
    speaker: str | None
    speaker_text: str | None
    speaker_span: tuple[int, int] | None
    outlet: str | None

    @classmethod
    def from_record(cls, r: dict[str, Any]) -> "Prediction":
        sp = r.get("speaker") or {}
        ou = r.get("outlet") or {}
        span = (sp["start"], sp["end"]) if sp.get("start") is not None else None
        return cls(r["start"], r["end"], r.get("kind"), sp.get("name") or sp.get("text"), sp.get("text"),
                   span, ou.get("name") or ou.get("text"))


def predictions_by_document(records: Iterable[dict[str, Any]]) -> dict[str, list[Prediction]]:
    """Speech predictions keyed by the file name of ``document.path``."""
    out: dict[str, list[Prediction]] = defaultdict(list)
    for r in records:
        if str(r.get("kind") or "").lower() in NOT_SPEECH:
            continue
        doc = r.get("document") or {}
        name = doc.get("path") if isinstance(doc, dict) else doc
        out[Path(str(name)).name].append(Prediction.from_record(r))
    return out


# ------------------------------------------------------------------ brat standoff

@dataclass
class GoldUnit:
    span: tuple[int, int]
    kind: str
    src: list[tuple[int, int]]
    src_text: str
    resolved: str


def parse_brat(path: Path) -> tuple[dict[str, tuple[str, list[tuple[int, int]], str]], list[dict[str, list[str]]]]:
    spans: dict[str, tuple[str, list[tuple[int, int]], str]] = {}
    events: list[dict[str, list[str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("T") and line.count("\t") >= 2:
            tid, mid, txt = line.split("\t", 2)
            label, locs = mid.split(" ", 1)
            frags = [tuple(map(int, x.split())) for x in locs.split(";")]
            spans[tid] = (label, frags, txt)  # type: ignore[assignment]
        elif line.startswith("E") and "\t" in line:
            roles: dict[str, list[str]] = defaultdict(list)
            for part in line.split("\t", 1)[1].split()[1:]:
                role, tid = part.split(":")
                roles[re.sub(r"\d+$", "", role)].append(tid)
            events.append(roles)
        elif line.strip() and not line.startswith(("T", "E", "#", "A", "R", "N")):
            log.warning("%s: unreadable line skipped: %.60s", path, line)
    return spans, events


def _wholly_quoted(frag: str) -> bool:
    return frag[:1] in "\"“" and frag.rstrip()[-1:] in "\"”" and len(frag) > 2


def brat_gold(text: str, ann: Path) -> tuple[list[GoldUnit], list[tuple[int, int]], list[GoldUnit]]:
    """Quote units (direct and partial), every content fragment, and the indirect units.

    An attribution none of whose content fragments is wholly in quote marks is one
    ``indirect`` unit spanning its first to its last content fragment.
    """
    spans, events = parse_brat(ann)

    def source(roles: dict[str, list[str]]) -> tuple[list[tuple[int, int]], str]:
        tids = [t for t in roles.get("Source", []) if t in spans]
        return [f for t in tids for f in spans[t][1]], " ".join(spans[t][2] for t in tids)

    named = sorted((src[0][0], st) for src, st in map(source, events)
                   if src and st and _fold(st).strip() not in _PRONOUNS)
    units: list[GoldUnit] = []
    indirect: list[GoldUnit] = []
    contents: list[tuple[int, int]] = []
    for roles in events:
        frags = [f for t in roles.get("Content", []) if t in spans for f in spans[t][1]]
        contents.extend(frags)
        src, src_text = source(roles)
        resolved = src_text
        if src and _fold(src_text).strip() in _PRONOUNS:
            earlier = [n for o, n in named if o < src[0][0]]
            resolved = earlier[-1] if earlier else src_text
        if frags and not any(_wholly_quoted(text[s:e]) for s, e in frags):
            indirect.append(GoldUnit((min(s for s, _ in frags), max(e for _, e in frags)), "indirect",
                                     src, src_text, resolved))
        for s, e in frags:
            frag = text[s:e]
            if _wholly_quoted(frag):
                units.append(GoldUnit((s, e), "direct", src, src_text, resolved))
            else:
                for m in re.finditer(r"[\"“][^\"“”]{2,}[\"”]", frag):
                    units.append(GoldUnit((s + m.start(), s + m.end()), "partial", src, src_text, resolved))
    return units, contents, indirect


@dataclass
class Tally:
    counts: Counter = field(default_factory=Counter)


def score_brat(data: Path, split: str, preds: dict[str, list[Prediction]]) -> dict[str, Any]:
    """PolNeAR-style scores for ``data/SPLIT`` (or ``data`` itself holding text/ and attributions/)."""
    root = data / split if (data / split).is_dir() else data
    by_article: dict[str, list[Path]] = defaultdict(list)
    for ann in sorted((root / "attributions").glob("*.ann")):
        by_article[ann.stem.rsplit("_", 1)[0]].append(ann)
    c: Counter = Counter()
    for art, anns in sorted(by_article.items()):
        text = (root / "text" / f"{art}.txt").open(encoding="utf-8", newline="").read()
        units, contents, indirect = brat_gold(text, sorted(anns)[0])
        every = preds.get(f"{art}.txt", []) + preds.get(art, [])
        ps = [p for p in every if p.kind != "indirect"]
        spans = [(p.start, p.end) for p in ps]
        gold = [u.span for u in units]
        for u in units:
            c["gold_" + u.kind] += 1
        m80, m99 = match(gold, spans, text, 0.8), match(gold, spans, text, 0.99)
        for gi, u in enumerate(units):
            if gi in m99:
                c["exact_" + u.kind] += 1
            if gi not in m80:
                continue
            c["found_" + u.kind] += 1
            mention, entity = _speaker_right(ps[m80[gi][0]], u)
            c["mention_ok_" + u.kind] += mention
            c["speaker_ok_" + u.kind] += entity
        matched = {pi for pi, _ in m80.values()}
        for pi, p in enumerate(ps):
            c["pred"] += 1
            if pi in matched:
                continue
            inner = trim(text, p.start, p.end)
            c["pred_neutral" if any(_overlap(inner, cs) > 0 for cs in contents) else "pred_fp"] += 1
        ips = [p for p in every if p.kind == "indirect"]
        c["gold_indirect"] += len(indirect)
        m50 = match([u.span for u in indirect], [(p.start, p.end) for p in ips], text, 0.5)
        for gi, u in enumerate(indirect):
            if gi in m50:
                c["found_indirect"] += 1
                mention, entity = _speaker_right(ips[m50[gi][0]], u)
                c["mention_ok_indirect"] += mention
                c["speaker_ok_indirect"] += entity
        hit = {pi for pi, _ in m50.values()}
        for pi, p in enumerate(ips):
            c["pred_indirect"] += 1
            if pi not in hit:
                inner = trim(text, p.start, p.end)
                outside = not any(_overlap(inner, cs) > 0 for cs in contents)
                c["pred_indirect_fp" if outside else "pred_indirect_neutral"] += 1
    return _polnear_result(c, split, len(by_article))


def _speaker_right(p: Prediction, u: GoldUnit) -> tuple[bool, bool]:
    """(the predicted mention overlaps the gold source, the speaker is right by mention or by name)."""
    mention = bool(p.speaker_span) and any(_overlap(p.speaker_span, s) > 0 for s in u.src)  # type: ignore[arg-type]
    entity = mention or names_match(p.speaker, [u.resolved, u.src_text]) \
        or names_match(p.speaker_text, [u.resolved, u.src_text])
    if not u.src:
        entity = mention = p.speaker is None
    return mention, entity


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def _polnear_result(c: Counter, split: str, articles: int) -> dict[str, Any]:
    res: dict[str, Any] = {"split": split, "articles": articles}
    for k in ("direct", "partial"):
        tp = c["found_" + k]
        res[k] = {"gold": c["gold_" + k], "found": tp,
                  "recall@0.8": _ratio(tp, c["gold_" + k]), "exact_recall": _ratio(c["exact_" + k], c["gold_" + k]),
                  "speaker_acc": _ratio(c["speaker_ok_" + k], tp), "mention_acc": _ratio(c["mention_ok_" + k], tp)}
    tp_all = c["found_direct"] + c["found_partial"]
    res["precision@0.8"] = _ratio(tp_all, tp_all + c["pred_fp"])
    res["pred"], res["pred_fp"], res["pred_neutral"] = c["pred"], c["pred_fp"], c["pred_neutral"]
    g = c["gold_direct"]
    r = c["found_direct"] / g if g else 0.0
    p = res["precision@0.8"] or 0.0
    res["direct_f1"] = round(2 * p * r / (p + r), 4) if p + r else 0.0
    res["direct_end_to_end_recall"] = _ratio(c["speaker_ok_direct"], g)
    gi, fi, npred = c["gold_indirect"], c["found_indirect"], c["pred_indirect"]
    precision = fi / npred if npred else 0.0
    recall = fi / gi if gi else 0.0
    outside = fi + c["pred_indirect_fp"]
    res["indirect"] = {
        "gold": gi, "pred": npred, "found": fi,
        "recall@0.5": round(recall, 4), "precision@0.5": round(precision, 4),
        "precision_outside_content": round(fi / outside, 4) if outside else 0.0,
        "f1@0.5": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
        "speaker_acc": _ratio(c["speaker_ok_indirect"], fi),
        "end_to_end_recall": _ratio(c["speaker_ok_indirect"], gi)}
    return res


# ------------------------------------------------------------------ JSON gold

def score_json_gold(gold_paths: list[Path], preds: dict[str, list[Prediction]]) -> dict[str, Any]:
    total: Counter = Counter()
    rows: list[dict[str, Any]] = []
    for gp in gold_paths:
        gold = json.loads(gp.read_text(encoding="utf-8"))
        ps = preds.get(gold["document"], [])
        if not ps and len(gold_paths) == 1 and len(preds) == 1:
            ps = next(iter(preds.values()))
        # the gold file carries the quotes' text at their offsets: enough to trim spans
        chars = [" "] * (gold["chars"] + 1)
        for q in gold["quotes"]:
            chars[q["start"]:q["start"] + len(q["text"])] = list(q["text"])
        text = "".join(chars)
        units = gold["quotes"]
        m = match([(q["start"], q["end"]) for q in units], [(p.start, p.end) for p in ps], text, 0.8)
        required = [i for i, q in enumerate(units) if not q.get("optional")]
        total["required"] += len(required)
        for i in required:
            q = units[i]
            row: dict[str, Any] = {"document": gold["document"], "gold": q["text"][:50], "found": i in m}
            if q.get("outlet"):
                total["outlet_needed"] += 1
            if i in m:
                total["found"] += 1
                p = ps[m[i][0]]
                if q.get("speaker"):
                    ok = names_match(p.speaker, q["speaker"]) or names_match(p.speaker_text, q["speaker"])
                else:
                    guess = (p.speaker or "").strip()
                    ok = not guess or guess[0].islower() or _fold(guess).startswith(("a ", "an ", "the "))
                total["speaker_ok"] += ok
                row.update(speaker=p.speaker, speaker_ok=ok)
                if q.get("outlet"):
                    ook = names_match(p.outlet, q["outlet"])
                    total["outlet_ok"] += ook
                    row.update(outlet=p.outlet, outlet_ok=ook)
                elif p.outlet:  # an outlet where the text names none for this quote
                    total["outlet_extra"] += 1
                    row.update(outlet=p.outlet, outlet_extra=True)
            rows.append(row)
        matched = {pi for pi, _ in m.values()}
        total["false_positives"] += sum(1 for pi in range(len(ps)) if pi not in matched)
        total["optional_found"] += sum(1 for i in m if units[i].get("optional"))
    res = {k: total[k] for k in ("required", "found", "speaker_ok", "outlet_ok", "outlet_needed", "outlet_extra",
                                 "false_positives", "optional_found")}
    res["documents"] = len(gold_paths)
    res["rows"] = rows
    return res
