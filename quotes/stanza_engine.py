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
"""
from __future__ import annotations

import bisect
import copy
import json
import os
import threading
from pathlib import Path
from typing import Any

from quotes.errors import ModelError

SHIPPED_MODELS = Path(__file__).resolve().parent / "stanza_models"
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


def _one_line(exc: BaseException) -> str:
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
        raise ModelError(f"stanza model file {res_path} is unreadable or corrupt ({_one_line(exc)}); {FIX}") from None
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
                         f"({_one_line(exc)}); {FIX}") from None
    names = [name for name, _ in load_list]
    if "tokenize" not in names or "tokenize_model_path" not in config:
        raise ModelError(f"stanza model file {res_path} names no English tokenizer; {FIX}")
    files = _model_files(config)
    for f in files:
        if not f.is_file():
            raise ModelError(f"stanza model file {f} is missing; {FIX}")
        try:
            with open(f, "rb") as fh:
                fh.read(1)
        except OSError as exc:
            raise ModelError(f"stanza model file {f} is unreadable ({_one_line(exc)}); {FIX}") from None
    kwargs = {"tokenize_model_path": config["tokenize_model_path"]}
    if "mwt_model_path" in config:
        kwargs["mwt_model_path"] = config["mwt_model_path"]
    return [n for n in names if n in ("tokenize", "mwt")], kwargs, files


def _find_corrupt(files: list[Path]) -> Path | None:
    import torch
    for f in files:
        try:
            torch.load(str(f), map_location="cpu", weights_only=True)
        except Exception:
            return f
    return None


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
            nlp = stanza.Pipeline(lang=LANG, processors=",".join(processors), dir=key,
                                  download_method=None, use_gpu=False,
                                  logging_level="ERROR", **kwargs)
        except Exception as exc:
            bad = _find_corrupt(files)
            if bad is not None:
                raise ModelError(f"stanza model file {bad} is corrupt or not a stanza model; {FIX}") from None
            raise ModelError(f"cannot load stanza models from {key} ({_one_line(exc)}); {FIX}") from None
        _PIPELINES[key] = nlp
        return nlp


class StanzaSegmenter:
    """Sentence splitter backed by a stanza tokenizer model directory."""

    name = "stanza"

    def __init__(self, model_dir: str | os.PathLike | None = None):
        self.model_dir = Path(model_dir) if model_dir is not None else default_model_dir()
        self._nlp = None

    def load(self):
        """Load (or fetch from the process cache) the pipeline; raises ModelError."""
        if self._nlp is None:
            self._nlp = load_pipeline(self.model_dir)
        return self._nlp

    def sentences(self, text: str, regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Sentence (start, end) offsets into `text` for each region (a paragraph's [start, end)), in order.

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
        raise ModelError(f"could not download stanza models into {dest} ({_one_line(exc)}); "
                         "check the network or use `--engine rules`") from None
    with _LOCK:
        _PIPELINES.pop(str(Path(dest).resolve()), None)
