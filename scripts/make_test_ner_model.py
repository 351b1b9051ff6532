#!/usr/bin/env python
"""Train a tiny stanza NER model on synthetic sentences and write a stanza model directory.

Stanford's model hub cannot be reached offline and no NER data ships with the
project, so the tests of :mod:`quotes.extract.ner` run stanza's real NER code on a
model made here, in seconds, with stanza's own trainer
(``stanza.models.ner_tagger``):

1. generates a small BIOES dataset (stanza's NER JSON format: a list of
   sentences, each a list of ``{"text", "ner"}`` tokens) of news-like
   sentences with PERSON and ORG names ("Maria Okafor said ...", "The Energy
   Agency said ...").  ORG names always end in an organisation head word
   (Ministry, Agency, Bureau, Directorate, Secretariat), so the tiny model
   learns a clear distinction;
2. writes a small word-vector text file (random vectors, one per lower-cased
   training word) and turns it into a stanza pretrain file
   (``stanza.models.common.pretrain.Pretrain``);
3. trains the NER tagger (no charlm: that would need Stanford's downloads)
   for a few dozen steps;
4. lays out a stanza model directory: ``en/ner/synthetic.pt``,
   ``en/pretrain/synthetic.pt``, the project's shipped tokenizer copied from
   ``quotes/stanza_models`` (``en/tokenize/ewt.pt``) and a ``resources.json``
   listing all three, NER depending on the pretrain exactly as in Stanford's
   own resources file.

Nothing is downloaded.  Example::

    .venv/bin/python scripts/make_test_ner_model.py /tmp/ner-models

The names it draws from are module constants (``FIRST``, ``LAST``,
``ORG_WORDS``, ``ORG_HEADS``) so tests can build documents the model knows how
to read; ``HELD_OUT_*`` never appear in training.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import logging
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

log = logging.getLogger("make_test_ner_model")

REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "quotes" / "stanza_models"
PACKAGE = "synthetic"

FIRST = ["Maria", "John", "Aisha", "Pedro", "Mei", "Oluwaseun", "Ingrid", "Rahul", "Fatima", "Tomas",
         "Elena", "Kwame", "Sofia", "Dmitri", "Grace", "Hiroshi", "Amara", "Lucas", "Zoë", "Yusuf"]
LAST = ["Okafor", "Smith", "Lindqvist", "Haddad", "Tanaka", "Moreno", "Brandt", "Novak", "Mensah",
        "Chen", "Kowalski", "Dubois", "Petrov", "Achebe", "Silva", "Nakamura", "Obi", "Larsen",
        "Court", "House"]  # surnames the project's word lists read as organisations
ORG_WORDS = ["Energy", "Health", "Finance", "Transport", "Space", "Water", "Trade", "Defence",
             "Education", "Labour", "Housing", "Fisheries", "Aviation", "Customs", "Forestry"]
# Ministry and Agency are organisation heads in quotes/lang/en.py; the others are not, so a
# test can tell a type NER gave from one the word lists gave.
ORG_HEADS = ["Ministry", "Agency", "Bureau", "Directorate", "Secretariat"]
HELD_OUT_FIRST = ["Nadia", "Victor"]
HELD_OUT_LAST = ["Quispe", "Ferreira"]
HELD_OUT_ORG_WORDS = ["Tourism", "Mining"]

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
CITIES = ["Lagos", "Oslo", "Lima", "Seoul", "Nairobi", "Quito"]
VERBS = ["said", "told reporters", "warned", "added", "insisted", "wrote"]
CLAUSES = [
    "the plan would cut costs", "prices will rise next year", "the talks had failed",
    "the new rules are fair", "the report was wrong", "nobody had been hurt",
    "the budget is balanced", "the bridge will open in May", "the deal was signed",
]
PLAIN_SPEAKERS = ["he", "she", "it", "they", "officials", "residents", "the minister", "a spokesman"]
QUOTES = ["We will not back down", "This is a good day", "The numbers speak for themselves",
          "Nobody expected this", "It is too early to say", "We are ready"]


def _tok(words: str, tag: str = "O") -> list[tuple[str, str]]:
    return [(w, tag) for w in words.split()]


def _entity(words: str, label: str) -> list[tuple[str, str]]:
    ws = words.split()
    if len(ws) == 1:
        return [(ws[0], f"S-{label}")]
    return [(ws[0], f"B-{label}")] + [(w, f"I-{label}") for w in ws[1:-1]] + [(ws[-1], f"E-{label}")]


def person(rng: random.Random, first: list[str], last: list[str]) -> str:
    return f"{rng.choice(first)} {rng.choice(last)}" if rng.random() < 0.8 else rng.choice(last)


def org(rng: random.Random, words: list[str]) -> str:
    return f"{rng.choice(words)} {rng.choice(ORG_HEADS)}"


def sentence(rng: random.Random, first=FIRST, last=LAST, org_words=ORG_WORDS) -> list[tuple[str, str]]:
    """One tagged sentence from a random template."""
    p = _entity(person(rng, first, last), "PERSON")
    o = _entity(org(rng, org_words), "ORG")
    day, city = _tok(rng.choice(DAYS)), _tok(rng.choice(CITIES))
    clause, verb, quote = _tok(rng.choice(CLAUSES)), _tok(rng.choice(VERBS)), _tok(rng.choice(QUOTES))
    open_q, close_q = rng.choice([("\u201c", "\u201d"), ('"', '"')])
    templates = [
        lambda: p + verb + _tok("on") + day + _tok("that") + clause + _tok("."),
        lambda: _tok("The") + o + verb + _tok("in a statement that") + clause + _tok("."),
        lambda: o + _tok("spokesman") + p + verb + _tok("that") + clause + _tok("."),
        lambda: _tok(open_q) + quote + _tok(",") + _tok(close_q) + verb[:1] + p + _tok("."),
        lambda: _tok(open_q) + quote + _tok(",") + _tok(close_q) + _tok("the") + o + _tok("said .") ,
        lambda: _tok("According to the") + o + _tok(",") + clause + _tok("."),
        lambda: p + _tok(", a spokesman for the") + o + _tok(", said") + clause + _tok("."),
        lambda: _tok("In") + city + _tok("on") + day + _tok(",") + p + verb + _tok("that") + clause + _tok("."),
        lambda: _tok("The") + o + _tok("and") + p + _tok("met in") + city + _tok("on") + day + _tok("."),
        # no entity: pronouns, common nouns, a possessive
        lambda: _tok(open_q) + quote + _tok(",") + _tok(close_q) + _tok(rng.choice(PLAIN_SPEAKERS)) + verb
        + _tok("on") + day + _tok("."),
        lambda: _tok(rng.choice(PLAIN_SPEAKERS).capitalize()) + verb + _tok("that") + clause + _tok("."),
        lambda: p + _tok(rng.choice(["'s", "\u2019s"]) + " office declined to comment ."),
    ]
    return rng.choice(templates)()


def dataset(n: int, seed: int, **names) -> list[list[dict[str, str]]]:
    rng = random.Random(seed)
    return [[{"text": w, "ner": t} for w, t in sentence(rng, **names)] for _ in range(n)]


def write_vectors(path: Path, sentences: list[list[dict[str, str]]], dim: int, seed: int) -> int:
    """A word2vec text file: one random vector per lower-cased word (stanza lower-cases lookups)."""
    rng = random.Random(seed)
    words = sorted({tok["text"].lower() for sent in sentences for tok in sent})
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(f"{len(words)} {dim}\n")
        for w in words:
            fh.write(w + " " + " ".join(f"{rng.uniform(-0.5, 0.5):.4f}" for _ in range(dim)) + "\n")
    return len(words)


def _md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def build(out: Path, *, steps: int = 60, seed: int = 7, dim: int = 16, tokenizer: Path | None = SHIPPED) -> dict:
    """Train the tiny model and write the model directory `out`. Returns a summary."""
    from stanza.models import ner_tagger
    from stanza.models.common.pretrain import Pretrain

    import torch

    # One thread: these batches are tiny, and with one thread per core a busy
    # machine makes every step seconds slower (measured: 60 steps 70 s vs 6 s).
    torch.set_num_threads(1)
    out = Path(out)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ner-train-") as tmp:
        work = Path(tmp)
        train = dataset(400, seed)
        dev = dataset(60, seed + 1, first=HELD_OUT_FIRST + FIRST[:3], last=HELD_OUT_LAST + LAST[:3],
                      org_words=HELD_OUT_ORG_WORDS + ORG_WORDS[:3])
        (work / "train.json").write_text(json.dumps(train), encoding="utf-8")
        (work / "dev.json").write_text(json.dumps(dev), encoding="utf-8")
        n_words = write_vectors(work / "vectors.txt", train, dim, seed)

        pretrain_pt = out / "en" / "pretrain" / f"{PACKAGE}.pt"
        pretrain_pt.parent.mkdir(parents=True, exist_ok=True)
        Pretrain(str(pretrain_pt), str(work / "vectors.txt"), max_vocab=-1).load()  # builds and saves the .pt

        ner_dir = out / "en" / "ner"
        ner_dir.mkdir(parents=True, exist_ok=True)
        ner_tagger.main([
            "--train_file", str(work / "train.json"), "--eval_file", str(work / "dev.json"),
            "--wordvec_pretrain_file", str(pretrain_pt), "--shorthand", "en_synthetic",
            "--save_dir", str(ner_dir), "--save_name", f"{PACKAGE}.pt",
            "--hidden_dim", "32", "--char_hidden_dim", "32", "--char_emb_dim", "16",
            "--batch_size", "32", "--optim", "adam", "--lr", "0.01", "--dropout", "0.1", "--word_dropout", "0.2",
            "--max_steps", str(steps), "--eval_interval", str(max(1, steps // 3)),
            "--log_step", str(steps + 1), "--seed", str(seed), "--cpu",
        ])
    ner_pt = out / "en" / "ner" / f"{PACKAGE}.pt"
    if not ner_pt.is_file():
        raise RuntimeError(f"stanza's NER trainer wrote no model at {ner_pt}")

    lang: dict = {"lang_name": "English",
                  "pretrain": {PACKAGE: {"md5": _md5(pretrain_pt)}},
                  "ner": {PACKAGE: {"md5": _md5(ner_pt),
                                    "dependencies": [{"model": "pretrain", "package": PACKAGE}]}},
                  "default_processors": {"ner": PACKAGE},
                  "packages": {"default": {"ner": PACKAGE}}}
    if tokenizer is not None:
        shipped = json.loads((Path(tokenizer) / "resources.json").read_text(encoding="utf-8"))["en"]
        name = shipped["packages"]["default"]["tokenize"]
        src = Path(tokenizer) / "en" / "tokenize" / f"{name}.pt"
        dst = out / "en" / "tokenize" / f"{name}.pt"
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
        lang["tokenize"] = {name: {"md5": _md5(dst)}}
        lang["default_processors"]["tokenize"] = name
        lang["packages"]["default"]["tokenize"] = name
    import stanza
    (out / "resources.json").write_text(json.dumps({"en": lang, "stanza_version": stanza.__version__},
                                                   indent=2), encoding="utf-8")
    seconds = time.perf_counter() - t0
    summary = {"model_dir": str(out), "ner": str(ner_pt), "ner_bytes": ner_pt.stat().st_size,
               "pretrain_bytes": pretrain_pt.stat().st_size, "vocabulary": n_words,
               "steps": steps, "seconds": round(seconds, 1)}
    log.info("tiny NER model: %s", summary)
    return summary


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out", type=Path, help="model directory to write")
    p.add_argument("--steps", type=int, default=60, help="training steps (default 60)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--no-tokenizer", action="store_true",
                   help="do not copy the shipped tokenizer into the directory")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("stanza").setLevel(logging.WARNING)
    summary = build(args.out, steps=args.steps, seed=args.seed,
                    tokenizer=None if args.no_tokenizer else SHIPPED)
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
