"""Speaker types from stanza's named-entity recogniser, where the model directory has one.

The project ships no NER model (``quotes/stanza_models`` holds a tokenizer
only), so speakers are typed from word lists (:func:`quotes.extract.mentions.entity_type`).
A user who ran ``quotes models download`` (or points ``--models`` /
``$QUOTES_MODELS`` at any stanza model directory) may have Stanford's English
NER model: ``en/ner/<package>.pt``, listed in ``resources.json``, with the
pretrain (and character language models) it depends on.  Then
:class:`NerTagger` types speakers with it:

    tagger = NerTagger(model_dir)             # cheap: reads resources.json only
    if tagger.available:
        quotes = tagger.type_speakers(document, quotes)

* The directory is read the way ``stanza.Pipeline`` reads it (packages ->
  processors -> dependencies -> paths), so the files checked are the files
  stanza opens.
* The pipeline (``tokenize,ner`` over pre-tokenised text: the tokenizer model
  is not even loaded) is built once per process and directory, on first use.
* Only the sentences around speaker mentions are tagged, all of a document's
  in one stanza call.  The text is tokenised here, so every token, and every
  entity, has exact ``str`` offsets into the document:
  ``document.text[e.start:e.end] == e.text``.
* NER labels map to speaker types (PERSON/PER -> person, ORG -> organization,
  GPE -> country); any other label, or no entity, is no opinion and the
  word-list type stays.

Nothing is downloaded.  A missing, unreadable or corrupt NER file raises
:class:`quotes.errors.ModelError` with one line naming the file and the fix.
"""
from __future__ import annotations

import copy
import json
import logging
import os
import threading
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable

import regex

from ..errors import ModelError
from .stanza_engine import check_readable, first_corrupt, one_line
from ..lang import en
from ..types import Document, Quote, Span

log = logging.getLogger(__name__)

LANG = "en"
FIX = ("run `quotes models download` again, point --models/QUOTES_MODELS at a directory "
       "without an NER model, or use `--engine rules`")

# stanza NER labels (OntoNotes: PERSON ORG GPE ...; CoNLL-03: PER ORG LOC MISC) -> Speaker.type.
# Labels not listed (LOC, NORP, MISC, DATE, ...) say nothing about a speaker.
LABEL_TYPES: dict[str, str] = {
    "PERSON": "person", "PER": "person",
    "ORG": "organization",
    "GPE": "country",
}

# Penn-Treebank-like tokens (what stanza's English NER models were trained on),
# each with its offsets: "Korea’s" -> "Korea" "’s"; "U.S." and "Mr." keep their dot.
_ABBREV = ("Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Cmdr|Adm|Rev|Prof|St|Jr|Sr|"
           "Inc|Corp|Co|Ltd|No|Mt|Ft|Jan|Feb|Aug|Sept|Oct|Nov|Dec")
_TOKEN = regex.compile(
    r"(?:\p{Lu}\.){2,}"                                            # U.S. U.N.
    rf"|(?<![\p{{L}}\p{{N}}])(?:{_ABBREV})\.(?=\s)"                # Mr. Sen. Inc.
    r"|(?<![\p{L}\p{N}])\p{Lu}\.(?=\s+\p{Lu})"                     # the initial in "John F. Kennedy"
    r"|[\p{L}\p{M}\p{N}]+(?:(?:[-.&/]|['’](?![sS](?![\p{L}\p{N}])))[\p{L}\p{M}\p{N}]+)*"  # words
    r"|['’][sS](?![\p{L}\p{N}])"                                   # possessive 's
    r"|[^\s\x1c-\x1f]",                                             # one other mark (not str.isspace)
    regex.V1,
)
# Where a sentence ends: a full stop (not after a title or an initial), ! or ?,
# closing marks, then space and a capital or an opening mark; or a line break.
_SENTENCE_END = regex.compile(
    rf"(?<!(?<![\p{{L}}])(?:{_ABBREV}|\p{{Lu}}))[.!?]+[\"”’')\]]*\s+(?=[\"“‘'(\[]?\p{{Lu}})|\n\s*",
    regex.V1,
)
_WINDOW = 300  # at most this many characters of context on each side of a span


@dataclass(frozen=True)
class Entity:
    """A named entity: ``text == document.text[start:end]``; ``label`` is stanza's (PERSON, ORG, ...)."""

    start: int
    end: int
    text: str
    label: str

    @property
    def type(self) -> str | None:
        """The speaker type this label gives, or None (no opinion)."""
        return LABEL_TYPES.get(self.label)


@dataclass(frozen=True)
class NerModel:
    """The NER model files a stanza model directory holds, resolved as stanza resolves them."""

    model_dir: Path
    models: tuple[Path, ...]                   # en/ner/<package>.pt, one per package
    dependencies: tuple[dict[str, Path], ...]  # per model: {"pretrain_path": ..., "forward_charlm_path": ...}

    @property
    def files(self) -> list[Path]:
        out = list(self.models)
        for deps in self.dependencies:
            out.extend(deps.values())
        return out


# --------------------------------------------------------------------------- the model directory

def find_ner(model_dir: str | os.PathLike) -> NerModel | None:
    """The English NER model in `model_dir`, or None when it has none.

    None when there is no readable ``resources.json``, when it lists no English
    NER package, or when the listed ``en/ner/*.pt`` is absent (Stanford's
    ``resources.json`` lists every model whether downloaded or not).  The
    dependencies (pretrain, charlm) are resolved but not checked: loading
    checks them and names the missing one.
    """
    root = Path(model_dir)
    try:
        resources = json.loads((root / "resources.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeError, ValueError):
        return None
    if not isinstance(resources, dict):
        return None
    lang = LANG
    lang_res = resources.get(lang)
    while isinstance(lang_res, dict) and "alias" in lang_res:
        lang = lang_res["alias"]
        lang_res = resources.get(lang)
    if not isinstance(lang_res, dict) or not isinstance(lang_res.get("ner"), dict):
        return None
    default = (lang_res.get("packages") or {}).get("default")
    if not (isinstance(default, dict) and "ner" in default):
        return None

    from stanza.pipeline.core import build_default_config
    from stanza.resources.common import add_dependencies, maintain_processor_list

    try:
        load_list = maintain_processor_list(copy.deepcopy(resources), lang, None, {"ner": "default"},
                                            maybe_add_mwt=False)
        load_list = add_dependencies(resources, lang, load_list)
        config = build_default_config(resources, lang, str(root), load_list)
    except Exception as exc:  # a malformed resources file: the segmenter reports it
        log.warning("ignoring the NER entry of %s (%s)", root / "resources.json", one_line(exc))
        return None
    models = tuple(Path(p) for p in config.get("ner_model_path") or ())
    if not models or not any(p.is_file() for p in models):
        return None
    deps = tuple({k: Path(v) for k, v in d.items() if isinstance(v, str)}
                 for d in config.get("ner_dependencies") or [{} for _ in models])
    return NerModel(root.resolve(), models, deps)


def ner_available(model_dir: str | os.PathLike) -> bool:
    """Does `model_dir` hold an English NER model (its ``.pt`` present and listed)?"""
    return find_ner(model_dir) is not None


_PIPELINES: dict[str, Any] = {}
_LOCK = threading.Lock()


def load_pipeline(model: NerModel):
    """The (cached, once per process and directory) stanza ``tokenize,ner`` pipeline over
    pre-tokenised text.  Raises ModelError naming a missing, unreadable or corrupt file."""
    key = str(model.model_dir)
    with _LOCK:
        nlp = _PIPELINES.get(key)
        if nlp is not None:
            return nlp
        check_readable(model.files, "stanza NER model file", FIX)
        import stanza
        import torch

        # as the segmenter: one intra-op thread unless QUOTES_TORCH_THREADS says otherwise
        torch.set_num_threads(int(os.environ.get("QUOTES_TORCH_THREADS", "1")))
        kwargs: dict[str, Any] = {"ner_model_path": ";".join(str(p) for p in model.models)}
        for name in ("pretrain_path", "forward_charlm_path", "backward_charlm_path"):
            kwargs[f"ner_{name}"] = ";".join(str(d.get(name, "")) for d in model.dependencies)
        try:
            nlp = stanza.Pipeline(lang=LANG, processors="tokenize,ner", dir=key, tokenize_pretokenized=True,
                                  download_method=None, use_gpu=False, logging_level="ERROR", **kwargs)
        except Exception as exc:
            bad = first_corrupt(model.files)
            if bad is not None:
                raise ModelError(f"stanza NER model file {bad} is corrupt or not a stanza model; {FIX}") from None
            raise ModelError(f"cannot load the stanza NER model from {key} ({one_line(exc)}); {FIX}") from None
        _PIPELINES[key] = nlp
        return nlp


# --------------------------------------------------------------------------- text -> tokens -> entities

def tokenize(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Token (start, end) offsets of ``text[start:end]``, Penn-Treebank-like."""
    end = len(text) if end is None else end
    return [(m.start(), m.end()) for m in _TOKEN.finditer(text, start, end)]


def sentence_window(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or the line) around ``text[start:end]``, at most ``_WINDOW`` characters
    of context each side, cut at whitespace."""
    lo, hi = max(0, start - _WINDOW), min(len(text), end + _WINDOW)
    left = lo
    for m in _SENTENCE_END.finditer(text, lo, start):
        left = m.end()
    if left == lo and lo > 0:  # no sentence start within reach: start after a space
        sp = text.find(" ", lo, start)
        left = sp + 1 if sp >= 0 else start
    m = _SENTENCE_END.search(text, end, hi)
    right = m.start() + len(m.group().rstrip()) if m else hi
    if right == hi and hi < len(text):
        sp = text.rfind(" ", end, hi)
        right = sp if sp >= 0 else end
    return left, max(right, end)


def _merge(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(windows):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _entities(tokens: list[tuple[int, int]], tags: list[str], text: str) -> list[Entity]:
    """BIOES (or BIO) tags of one window's tokens -> entities with document offsets."""
    out: list[Entity] = []
    cur: tuple[int, int, str] | None = None  # (start, end, label) of an open entity
    for (s, e), tag in zip(tokens, tags):
        prefix, _, label = tag.partition("-")
        if tag == "O" or not label:
            if cur:
                out.append(Entity(cur[0], cur[1], text[cur[0]:cur[1]], cur[2]))
            cur = None
            continue
        if prefix in ("B", "S") or cur is None or cur[2] != label:
            if cur:
                out.append(Entity(cur[0], cur[1], text[cur[0]:cur[1]], cur[2]))
            cur = (s, e, label)
        else:  # I or E continuing the open entity
            cur = (cur[0], e, label)
        if prefix in ("E", "S"):
            out.append(Entity(cur[0], cur[1], text[cur[0]:cur[1]], cur[2]))
            cur = None
    if cur:
        out.append(Entity(cur[0], cur[1], text[cur[0]:cur[1]], cur[2]))
    return out


def _best_entity(entities: list[Entity], start: int, end: int) -> Entity | None:
    """The entity covering most of ``[start, end)`` (at least half of it), else None."""
    best, best_overlap = None, 0
    for ent in entities:
        overlap = min(end, ent.end) - max(start, ent.start)
        if overlap > best_overlap:
            best, best_overlap = ent, overlap
    if best is None or best_overlap * 2 < max(1, end - start):
        return None
    return best


# --------------------------------------------------------------------------- the tagger

class NerTagger:
    """Types speakers with the stanza NER model of a model directory, if it has one.

    ``available`` is known at construction (it reads ``resources.json`` only);
    the pipeline loads on first use, or with :meth:`load` (to fail early).
    Without a model every method returns its input's types unchanged.
    """

    def __init__(self, model_dir: str | os.PathLike | None = None):
        if model_dir is None:
            from .stanza_engine import default_model_dir  # no torch import
            model_dir = default_model_dir()
        self.model_dir = Path(model_dir)
        self.model = find_ner(self.model_dir)

    @property
    def available(self) -> bool:
        return self.model is not None

    def load(self):
        """Load (or fetch from the process cache) the pipeline; raises ModelError. None without NER."""
        return load_pipeline(self.model) if self.model is not None else None

    def entities(self, text: str, windows: list[tuple[int, int]]) -> list[Entity]:
        """Named entities of ``text`` inside the given windows (merged where they overlap),
        tagged in one stanza call; offsets are into ``text``."""
        if self.model is None:
            return []
        merged = [w for w in _merge(windows) if w[1] > w[0]]
        token_lists = [tokenize(text, s, e) for s, e in merged]
        token_lists = [t for t in token_lists if t]
        if not token_lists:
            return []
        doc = self.load()([[text[s:e] for s, e in toks] for toks in token_lists])
        out: list[Entity] = []
        for toks, sent in zip(token_lists, doc.sentences):
            if len(sent.tokens) != len(toks):  # never expected: stanza keeps pre-tokenised tokens
                raise RuntimeError(f"stanza returned {len(sent.tokens)} tokens for {len(toks)}")
            out.extend(_entities(toks, [t.ner or "O" for t in sent.tokens], text))
        return out

    def entity_types(self, document: Document | str, spans: Iterable[tuple[int, int] | Span]
                     ) -> dict[tuple[int, int], str]:
        """``{(start, end): type}`` for the spans NER has an opinion on ('person',
        'organization', 'country'); spans it says nothing about are left out."""
        return {k: ent.type for k, ent in self.span_entities(document, spans).items() if ent.type}

    def span_entities(self, document: Document | str, spans: Iterable[tuple[int, int] | Span]
                      ) -> dict[tuple[int, int], Entity]:
        """``{(start, end): entity}``: the entity covering most (at least half) of each span."""
        text = document.text if isinstance(document, Document) else document
        keys = [(s.start, s.end) if isinstance(s, Span) else (int(s[0]), int(s[1])) for s in spans]
        for s, e in keys:
            if not (0 <= s <= e <= len(text)):
                raise ValueError(f"span ({s}, {e}) is outside the text (length {len(text)})")
        keys = [k for k in keys if k[1] > k[0]]
        if self.model is None or not keys:
            return {}
        ents = self.entities(text, [sentence_window(text, s, e) for s, e in keys])
        out = {}
        for s, e in keys:
            ent = _best_entity(ents, s, e)
            if ent is not None:
                out[(s, e)] = ent
        return out

    def type_speakers(self, document: Document | str, quotes: list[Quote]) -> list[Quote]:
        """The quotes of `document` with their speakers' ``type`` replaced where NER has an
        opinion, and an explanation line saying so; the rest unchanged (the word-list type).

        A speaker is looked up where its name is written: inside its mention
        ("Foreign Ministry spokesman Seyyed Abbas Mousavi" -> "Seyyed Abbas Mousavi"),
        else (a pronoun, a name resolved from elsewhere) at the nearest earlier
        occurrence of the name in the text.  Every quote of one speaker name gets
        one type: the one NER gives most often over that name's occurrences.
        """
        if self.model is None or not quotes:
            return quotes
        text = document.text if isinstance(document, Document) else document
        where: dict[int, tuple[int, int]] = {}
        for i, q in enumerate(quotes):
            sp = q.speaker
            if sp is None or not sp.name.strip() or sp.name.lower() in en.PRONOUNS:
                continue
            found = _name_span(text, sp.name, sp.mention, q.span.start)
            if found is not None:
                where[i] = found
        if not where:
            return quotes
        ents = self.span_entities(text, set(where.values()))
        votes: dict[str, Counter] = {}
        first: dict[tuple[str, str], Entity] = {}
        for i, key in where.items():
            ent = ents.get(key)
            if ent is not None and ent.type:
                name = quotes[i].speaker.name
                votes.setdefault(name, Counter())[ent.type] += 1
                first.setdefault((name, ent.type), ent)
        if not votes:
            return quotes
        out = []
        for q in quotes:
            sp = q.speaker
            if sp is not None and sp.name in votes:
                typ = votes[sp.name].most_common(1)[0][0]
                ent = first[(sp.name, typ)]
                note = f"speaker type {typ} from stanza NER ({ent.label} '{ent.text}' at {ent.start})"
                if typ != sp.type:
                    note += f"; word lists said {sp.type}"
                q = replace(q, speaker=replace(sp, type=typ), explanation=q.explanation + (note,))
            out.append(q)
        return out


def _name_span(text: str, name: str, mention: Span | None, before: int) -> tuple[int, int] | None:
    """Where `name` is written: inside `mention` if there, else its nearest occurrence ending
    before `before` (else after); as a last resort the mention itself (if not a pronoun)."""
    words = name.split()
    if not words:
        return None
    pat = regex.compile(r"(?<![\p{L}\p{N}])" + r"\s+".join(regex.escape(w) for w in words)
                        + r"(?![\p{L}\p{N}])", regex.V1)
    if mention is not None and text[mention.start:mention.end] == mention.text:
        m = pat.search(text, mention.start, mention.end)
        if m:
            return m.start(), m.end()
    anchor = mention.start if mention is not None else before
    earlier = [m for m in pat.finditer(text, 0, anchor)]
    if earlier:
        return earlier[-1].start(), earlier[-1].end()
    m = pat.search(text, anchor)
    if m:
        return m.start(), m.end()
    if mention is not None and mention.text.lower() not in en.PRONOUNS and mention.end > mention.start:
        return mention.start, mention.end
    return None


_TAGGERS: dict[str, NerTagger] = {}


def tagger_for(model_dir: str | os.PathLike | None = None) -> NerTagger:
    """The process's tagger for `model_dir` (``$QUOTES_MODELS`` or the shipped models when None)."""
    if model_dir is None:
        from .stanza_engine import default_model_dir
        model_dir = default_model_dir()
    key = str(Path(model_dir).resolve())
    with _LOCK:
        tagger = _TAGGERS.get(key)
        if tagger is None:
            tagger = _TAGGERS[key] = NerTagger(key)
    return tagger


def entity_types(document: Document | str, spans: Iterable[tuple[int, int] | Span],
                 model_dir: str | os.PathLike | None = None) -> dict[tuple[int, int], str]:
    """:meth:`NerTagger.entity_types` with the process's tagger for `model_dir`."""
    return tagger_for(model_dir).entity_types(document, spans)


def type_speakers(document: Document | str, quotes: list[Quote],
                  model_dir: str | os.PathLike | None = None) -> list[Quote]:
    """:meth:`NerTagger.type_speakers` with the process's tagger for `model_dir`."""
    return tagger_for(model_dir).type_speakers(document, quotes)
