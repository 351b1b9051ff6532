"""Sentence segmentation with a stanza neural tokenizer.

The package ships its own English tokenizer in ``quotes/stanza_models``
(trained on UD English EWT by ``scripts/train_models.py``; CC BY-SA 4.0, see
``quotes/stanza_models/NOTICE``).  A model directory is what stanza itself
uses: ``resources.json`` plus ``en/tokenize/<name>.pt``.  An official stanza
download (``stanza.download("en")`` or ``quotes models download``) works too;
then stanza picks the package's default tokenizer (and the mwt model, which
stanza insists on for English tokenizers that predict multi-word tokens).

Nothing is ever downloaded at run time: the pipeline is built with
``download_method=None``.  Any missing, unreadable or corrupt model file
raises :class:`quotes.errors.ModelError` with one line naming the file.

The segmenter does not run the model over whole paragraphs (that costs nearly as
much as tokenising whole articles): it takes the rules segmenter's sentences and
asks the model only about the doubtful points in them, each from a small window
of text, all windows of a document in one stanza call (``StanzaSegmenter``;
``docs/stanza-windows.md`` has the measurements). The pipeline is loaded once per
process and model directory.
"""
from __future__ import annotations

import bisect
import contextlib
import copy
import json
import os
import threading
from pathlib import Path
from typing import Any, Iterable

import regex

from ..errors import ModelError
from .segment import ABBREVIATIONS, RuleSegmenter

SHIPPED_MODELS = Path(__file__).resolve().parent.parent / "stanza_models"
LANG = "en"
FIX = ("run `quotes models download`, point --models/QUOTES_MODELS at a stanza model "
       "directory, or use `--engine rules`")
# Regions are joined with a blank line: stanza's tokenizer treats it as a
# paragraph break, so no sentence can run across two regions.
_SEP = "\n\n"

_PIPELINES: dict[str, Any] = {}
_LOCK = threading.Lock()


def default_model_dir() -> Path:
    """``$QUOTES_MODELS`` if set, else the model shipped with the package."""
    env = os.environ.get("QUOTES_MODELS")
    return Path(env) if env else SHIPPED_MODELS


def one_line(exc: BaseException) -> str:
    """An exception as one short line for an error message."""
    msg = " ".join(str(exc).split())
    if len(msg) > 200:
        msg = msg[:197] + "..."
    return f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__


def _model_files(config: dict[str, Any]) -> list[Path]:
    files: list[Path] = []

    def add(v: Any) -> None:
        if isinstance(v, str) and v.endswith(".pt"):
            files.append(Path(v))
        elif isinstance(v, (list, tuple)):
            for x in v:
                add(x)
        elif isinstance(v, dict):
            for x in v.values():
                add(x)

    for key, value in config.items():
        if key.endswith("_path") or key.endswith("_dependencies"):
            add(value)
    return files


def _plan(model_dir: Path) -> tuple[list[str], dict[str, Any], list[Path]]:
    """Work out what stanza will load from ``model_dir`` and check it is there.

    Returns (processors, explicit pipeline kwargs, model files).  Uses stanza's
    own resolution (packages -> processors -> dependencies -> paths), so the
    check matches what ``stanza.Pipeline`` will open.
    """
    if not model_dir.is_dir():
        raise ModelError(f"stanza model directory {model_dir} does not exist; {FIX}")
    res_path = model_dir / "resources.json"
    if not res_path.is_file():
        raise ModelError(f"stanza model file {res_path} is missing; {FIX}")
    try:
        resources = json.loads(res_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeError, ValueError) as exc:
        raise ModelError(f"stanza model file {res_path} is unreadable or corrupt ({one_line(exc)}); {FIX}") from None
    lang_res = resources.get(LANG) if isinstance(resources, dict) else None
    while isinstance(lang_res, dict) and "alias" in lang_res:
        lang_res = resources.get(lang_res["alias"])
    if not isinstance(lang_res, dict) or not isinstance(lang_res.get("packages"), dict) \
            or "tokenize" not in lang_res:
        raise ModelError(f"stanza model file {res_path} has no English tokenize package; {FIX}")

    from stanza.pipeline.core import build_default_config
    from stanza.resources.common import add_dependencies, maintain_processor_list

    try:
        # tokenize only; stanza adds mwt itself when the resources pair it with the tokenizer
        processors = {"tokenize": "default"}
        load_list = maintain_processor_list(copy.deepcopy(resources), LANG, None, processors)
        load_list = add_dependencies(resources, LANG, load_list)
        config = build_default_config(resources, LANG, str(model_dir), load_list)
    except Exception as exc:  # malformed resources.json
        raise ModelError(f"stanza model file {res_path} is not a usable stanza resources file "
                         f"({one_line(exc)}); {FIX}") from None
    names = [name for name, _ in load_list]
    if "tokenize" not in names or "tokenize_model_path" not in config:
        raise ModelError(f"stanza model file {res_path} names no English tokenizer; {FIX}")
    files = _model_files(config)
    check_readable(files, "stanza model file", FIX)
    kwargs = {"tokenize_model_path": config["tokenize_model_path"]}
    if "mwt_model_path" in config:
        kwargs["mwt_model_path"] = config["mwt_model_path"]
    return [n for n in names if n in ("tokenize", "mwt")], kwargs, files


def check_readable(files: Iterable[Path], what: str, fix: str) -> None:
    """Raise a one-line ModelError naming the first of ``files`` that is missing or unreadable."""
    for f in files:
        if not f.is_file():
            raise ModelError(f"{what} {f} is missing; {fix}")
        try:
            with open(f, "rb") as fh:
                fh.read(1)
        except OSError as exc:
            raise ModelError(f"{what} {f} is unreadable ({one_line(exc)}); {fix}") from None


def first_corrupt(files: Iterable[Path]) -> Path | None:
    """The first of ``files`` torch cannot load, if any."""
    import torch
    for f in files:
        try:
            torch.load(str(f), map_location="cpu", weights_only=True)
        except Exception:
            return f
    return None


@contextlib.contextmanager
def _predict_only():
    """While a pipeline is built: no optimizer for models that only predict.

    stanza's tokenizer ``Trainer`` builds an Adam optimizer even to predict, and torch
    imports ``torch._dynamo`` for that: 1.5 of the 2 seconds a pipeline takes to load
    (measured). The optimizer is never used. If stanza renames the factory, this does nothing.
    """
    try:
        from stanza.models.common import utils as stanza_utils
    except ImportError:  # pragma: no cover - the pipeline build will report it
        yield
        return
    orig = getattr(stanza_utils, "get_optimizer", None)
    if orig is None:
        yield
        return
    stanza_utils.get_optimizer = lambda *args, **kwargs: None
    try:
        yield
    finally:
        stanza_utils.get_optimizer = orig


def load_pipeline(model_dir: str | os.PathLike | None = None):
    """The (cached, once per process and directory) stanza tokenize pipeline."""
    path = Path(model_dir) if model_dir is not None else default_model_dir()
    key = str(path.resolve())
    with _LOCK:
        nlp = _PIPELINES.get(key)
        if nlp is not None:
            return nlp
        processors, kwargs, files = _plan(Path(key))
        import stanza
        import torch

        # One intra-op thread: the tokenizer's batches are small, and with the default
        # (one thread per core) a busy machine or a second worker process makes it
        # up to 18 times slower (measured). QUOTES_TORCH_THREADS overrides.
        torch.set_num_threads(int(os.environ.get("QUOTES_TORCH_THREADS", "1")))
        try:
            with _predict_only():
                nlp = stanza.Pipeline(lang=LANG, processors=",".join(processors), dir=key,
                                      download_method=None, use_gpu=False,
                                      logging_level="ERROR", **kwargs)
        except Exception as exc:
            bad = first_corrupt(files)
            if bad is not None:
                raise ModelError(f"stanza model file {bad} is corrupt or not a stanza model; {FIX}") from None
            raise ModelError(f"cannot load stanza models from {key} ({one_line(exc)}); {FIX}") from None
        _PIPELINES[key] = nlp
        return nlp


# ---------------------------------------------------------------- where the model is asked
#
# A sentence boundary matters to attribution only near a quote, and almost every boundary
# there is plain: "… in May. The senator said …" ends a sentence whoever looks, and
# "said Sen. Patty Murray" never does. The model is asked only about the points that are
# really in doubt (see _doubt): a full stop after an initialism or an abbreviation ("George
# H.W. Bush", "into the U.S. They …", "Nov. 8"), after a possessive or a number ("the 1990s.
# There"), an end mark followed by a dash or a symbol, and a line break inside a paragraph.
# Each doubtful point goes to the model with the text around it (a "window": the rules'
# sentence on either side, at most WINDOW characters each way); all the windows of a
# document go to stanza in one call. Everywhere else the sentences are the rules segmenter's.

# Titles before a name: the full stop after them never ends a sentence (a veto, whatever the
# model says: "Minnesota Sen. Al Franken", "calling Indiana Gov. Mike Pence").
TITLES = frozenset(
    "mr mrs ms messrs mmes mme mlle dr drs prof profs rev revs sen sens rep reps gov govs "
    "gen lt col capt cmdr cmdt adm sgt cpl pvt maj brig supt insp det atty hon fr msgr "
    "pres amb".split())
_CLOSERS = "\"”’'»)]"
_OPENERS = "\"“‘'«„「『(["
# a run of end marks (spaced ellipses included) and the closing marks after it, before a space
_END_RUN = regex.compile(r"(?:\.(?:[ \u00a0]\.){2,}|[.!?…]+)[\"”’'»)\]]*(?=\s)")
_LINE_BREAK = regex.compile(r"[^\S\n]*\n\s*")
# after an end mark, a sentence may begin with one of these (rules never split there)
_NO_START = ",;:%)]}"
# How much text on either side of a doubtful point the model sees at most (the rules' sentence
# on that side, cut at a space when it runs longer). 240, 120 and 60 gave the same attributions
# on PolNeAR train and dev; the model's cost per call hardly depends on it.
WINDOW = 120
SCOPES = ("windows", "paragraphs")


def _doubt(text: str, start: int, end: int, hi: int) -> str | None:
    """What to do with the end-mark run ``text[start:end]`` (inside a region ending at ``hi``):
    ``"ask"`` the model, ``"join"`` (never a boundary) or None (keep the rules' decision)."""
    k = end
    while k < hi and text[k].isspace():
        k += 1
    if k >= hi:
        return None  # the end of the paragraph
    nxt = text[k]
    if nxt.islower() or nxt in _NO_START:
        return None
    starts = nxt.isupper() or nxt.isdigit() or (
        nxt in _OPENERS and k + 1 < hi and (text[k + 1].isupper() or text[k + 1].isdigit()))
    if not starts:
        return "ask"  # "… in Hudson, NH… ouch. #nhpolitics", ". — The Associated Press"
    run = text[start:end].rstrip(_CLOSERS)
    if run == ".":
        w = start
        while w > 0 and (text[w - 1].isalpha() or text[w - 1] == "."):
            w -= 1
        word = text[w:start]
        if not word:
            return None
        low = word.lower()
        if w > 0 and (text[w - 1].isdigit() or text[w - 1] in "'’"):
            return "ask"  # "the 1990s. There", "McDonald’s. His successor"
        if low in TITLES:
            return "join"
        if "." in word or low in ABBREVIATIONS:
            if nxt in _OPENERS:
                # a quote opening after "R-S.C." or "N.Y.": the rules (a new sentence unless
                # "U.S.") are right more often than the model, trained on text with few quotes
                return None
            return "ask"  # "George H.W. Bush", "into the U.S. They", "Nov. 8"
        if len(word) == 1:
            return None if word.isupper() else "ask"  # an initial: "George W. Bush"
        return None
    # Ellipses ("good so far. ... I know him") and "?”"/"!”" before a capital ("“Small
    # hands?” Trump said.") stay as the rules have them: asking the model there changed no
    # attribution on PolNeAR train but one, for the worse.
    return None


class _Cuts:
    """The sentences of one region as cut points: ``cuts[end] = start`` where one sentence
    ends and the next begins. Joining and splitting move no offset of the text."""

    def __init__(self, sents: list[tuple[int, int]]):
        self.first, self.last = sents[0][0], sents[-1][1]
        self.cuts = {e: s2 for (_, e), (s2, _) in zip(sents, sents[1:])}

    def join(self, end: int) -> None:
        self.cuts.pop(end, None)

    def split(self, end: int, nxt: int) -> None:
        if self.first < end < self.last and end not in self.cuts:
            self.cuts[end] = nxt

    def sentences(self) -> list[tuple[int, int]]:
        out, s = [], self.first
        for e in sorted(self.cuts):
            if s < e:
                out.append((s, e))
            s = self.cuts[e]
        if s < self.last:
            out.append((s, self.last))
        return out


class StanzaSegmenter:
    """Sentence splitter backed by a stanza tokenizer model directory.

    ``scope="windows"`` (the default; ``QUOTES_STANZA_SCOPE`` overrides): the rules
    segmenter's sentences, with the model deciding each doubtful point (see :func:`_doubt`)
    from a small window of text around it. ``scope="paragraphs"``: the model segments the
    whole of every region (what the engine did before windows; for comparison).
    """

    name = "stanza"

    def __init__(self, model_dir: str | os.PathLike | None = None, scope: str | None = None):
        self.model_dir = Path(model_dir) if model_dir is not None else default_model_dir()
        self.scope = scope or os.environ.get("QUOTES_STANZA_SCOPE") or "windows"
        if self.scope not in SCOPES:
            raise ValueError(f"unknown stanza scope {self.scope!r}; choose one of {', '.join(SCOPES)}")
        self._nlp = None
        self._rules = RuleSegmenter()
        # for measuring: doubtful points decided by the model, characters it read, calls
        self.asked = 0
        self.model_chars = 0
        self.calls = 0

    def load(self):
        """Load (or fetch from the process cache) the pipeline; raises ModelError."""
        if self._nlp is None:
            self._nlp = load_pipeline(self.model_dir)
        return self._nlp

    def sentences(self, text: str, regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Sentence (start, end) offsets into `text` for each region (a paragraph's [start, end)), in order.

        The model is loaded on the first call even when no region needs it, so a missing or
        corrupt model directory is reported (ModelError) at once, not at the first doubtful point.
        """
        self.load()
        if self.scope == "paragraphs":
            return self.model_sentences(text, regions)
        return self.refined_sentences(text, regions)

    def refined_sentences(self, text: str, regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The rules' sentences of each region, each doubtful point decided by the model.

        Titles veto a boundary outright; the model sees the doubtful points' windows (the
        sentences around them, at most :data:`WINDOW` characters on each side), all in one
        call, and a point is a boundary when the model ends a sentence inside its end-mark
        run (a line break: at it). The boundary itself is placed where the rules place one,
        after the closing marks, so offsets stay exact and ``text[s:e]`` is always stripped.
        """
        for start, end in regions:
            if not (0 <= start <= end <= len(text)):
                raise ValueError(f"region ({start}, {end}) is outside the text (length {len(text)})")
        plans = []  # (cuts, [(kind, a, p, k)]) per region
        windows: list[tuple[int, int]] = []
        for lo, hi in regions:
            sents = self._rules.sentences(text, [(lo, hi)])
            if not sents:
                continue
            cuts = _Cuts(sents)
            asks = []
            for m in _END_RUN.finditer(text, lo, hi):
                a, p = m.start(), m.end()
                what = _doubt(text, a, p, hi)
                if what == "join":
                    cuts.join(p)
                elif what == "ask":
                    asks.append(("end", a, p, _skip_space(text, p, hi)))
            if "\n" in text[lo:hi]:
                ends = {m.end() for m in _END_RUN.finditer(text, lo, hi)}
                for m in _LINE_BREAK.finditer(text, lo, hi):
                    if m.end() < hi and m.start() > lo and m.start() not in ends:
                        asks.append(("line", m.start(), m.start(), m.end()))
            for _, a, p, k in asks:
                windows.append(_window(text, sents, a, k, lo, hi))
            plans.append((cuts, asks))
        if windows:
            ends, starts = self._ask(text, windows)
            for cuts, asks in plans:
                for kind, a, p, k in asks:
                    self.asked += 1
                    if kind == "end":
                        # the model ends a sentence inside the run (it may leave a closing
                        # mark to the next one: "Question.|’") or starts one before k
                        hit = _any_in(ends, a, p) or _any_in(starts, a, k)
                    else:  # a line break: the model ends a sentence at it or starts one after it
                        hit = _any_in(ends, p - 1, p) or _any_in(starts, k - 1, k)
                    if hit:
                        cuts.split(p, k)
                    else:
                        cuts.join(p)
        out: list[tuple[int, int]] = []
        for cuts, _ in plans:
            out.extend(cuts.sentences())
        return out

    def _ask(self, text: str, windows: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
        """Sentence ends and starts (sorted text offsets) the model finds in the windows."""
        windows.sort()
        merged: list[list[int]] = []
        for s, e in windows:
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        sents = self.model_sentences(text, [(s, e) for s, e in merged])
        # a window's own edges are not the model's findings
        edges = {s for s, _ in merged} | {e for _, e in merged}
        ends = sorted(e for _, e in sents if e not in edges)
        starts = sorted(s for s, _ in sents if s not in edges)
        return ends, starts

    def model_sentences(self, text: str, regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The model's own sentences for each region (offsets into `text`), in order.

        The regions are processed in ONE stanza call: their texts are joined
        with a blank line (a paragraph break for stanza) and every token's
        ``start_char``/``end_char`` is mapped back to `text` by its region's
        offset.  A sentence is [first token start, last token end); the text
        is never normalised, so ``text[s:e]`` is exactly the sentence.
        """
        parts: list[str] = []
        joined_starts: list[int] = []  # where each kept region starts in the joined string
        shifts: list[int] = []         # joined offset -> text offset
        pos = 0
        for start, end in regions:
            if not (0 <= start <= end <= len(text)):
                raise ValueError(f"region ({start}, {end}) is outside the text (length {len(text)})")
            seg = text[start:end]
            if not seg.strip():
                continue
            if parts:
                pos += len(_SEP)
            joined_starts.append(pos)
            shifts.append(start - pos)
            parts.append(seg)
            pos += len(seg)
        if not parts:
            return []
        self.model_chars += pos
        self.calls += 1
        doc = self.load()(_SEP.join(parts))

        out: list[tuple[int, int]] = []
        for sent in doc.sentences:
            cur = -1
            s = e = 0
            for tok in sent.tokens:
                ts, te = tok.start_char, tok.end_char
                if ts is None or te is None:
                    continue
                k = bisect.bisect_right(joined_starts, ts) - 1
                ts, te = ts + shifts[k], te + shifts[k]
                if k != cur:  # (never expected) a sentence crossing regions is cut at the boundary
                    if cur >= 0:
                        out.append((s, e))
                    cur, s = k, ts
                e = te
            if cur >= 0:
                out.append((s, e))
        return out


def _any_in(sorted_offsets: list[int], lo: int, hi: int) -> bool:
    """Is any offset in (lo, hi]?"""
    return bisect.bisect_right(sorted_offsets, hi) > bisect.bisect_right(sorted_offsets, lo)


def _skip_space(text: str, i: int, hi: int) -> int:
    while i < hi and text[i].isspace():
        i += 1
    return i


def _window(text: str, sents: list[tuple[int, int]], a: int, k: int, lo: int, hi: int) -> tuple[int, int]:
    """The text the model sees for a doubtful point between ``a`` and ``k``: from the start
    of the (rules) sentence holding ``a`` to the end of the one holding ``k``, cut to
    :data:`WINDOW` characters on either side at a space."""
    starts = [s for s, _ in sents]
    i = max(0, bisect.bisect_right(starts, max(a - 1, lo)) - 1)
    j = max(0, bisect.bisect_right(starts, k) - 1)
    ws, we = sents[i][0], sents[j][1]
    if ws < a - WINDOW:
        cut = text.find(" ", a - WINDOW, a)
        ws = _skip_space(text, cut, a) if cut >= 0 else ws
    if we > k + WINDOW:
        cut = text.rfind(" ", k, k + WINDOW)
        if cut > k:
            we = cut
            while we > k and text[we - 1].isspace():
                we -= 1
    return max(ws, lo), min(we, hi)


def download_models(dest: str | os.PathLike, resources_url: str | None = None, package: str = "default",
                    *, processors: str = "tokenize,mwt,ner", resources_version: str | None = None,
                    model_url: str | None = None) -> None:
    """Download official stanza English models (tokenize, mwt, ner) into `dest`.

    `resources_url` is the folder holding ``resources_<version>.json``
    (stanza's default: the stanza-resources repository); the models come from
    the ``url`` template in that file (``{resources_version}``, ``{lang}``,
    ``{filename}``) unless `model_url` overrides it.  Raises ModelError on failure.
    """
    import stanza

    kwargs: dict[str, Any] = {"lang": LANG, "model_dir": str(dest), "package": package,
                              "processors": processors, "logging_level": "WARN"}
    if resources_url is not None:
        kwargs["resources_url"] = resources_url
    if resources_version is not None:
        kwargs["resources_version"] = resources_version
    if model_url is not None:
        kwargs["model_url"] = model_url
    try:
        stanza.download(**kwargs)
    except Exception as exc:
        raise ModelError(f"could not download stanza models into {dest} ({one_line(exc)}); "
                         "check the network or use `--engine rules`") from None
    with _LOCK:
        _PIPELINES.pop(str(Path(dest).resolve()), None)
