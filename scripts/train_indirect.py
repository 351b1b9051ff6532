#!/usr/bin/env python
"""Train the reported-speech tagger (kind ``indirect``, issue 17) from PolNeAR.

The model shipped in ``quotes/extract/reported/model/`` (``tagger.npz`` weights, ``tagger.json``
vocabularies) is produced by this script. It:

1. reads PolNeAR's train split (``--polnear``, brat standoff: ``train/text/NAME.txt`` and
   ``train/attributions/NAME_ANNOTATOR.ann``), the first annotator's file of each article, as
   the scorer does;
2. splits each article into sentences with the product's own rules segmenter
   (``quotes.extract.segment``: paragraphs, then ``RuleSegmenter``) and into words with the
   product's tokeniser (``quotes.extract.reported.tagger.words``), and gives every word three
   BIO labels: the *content* of reported speech (attributions whose content has no fragment
   wholly in quote marks: the scorer's definition of indirect, and only in the sentence that
   holds the attribution's cue or source), its *cue* and its *source* (these two from every
   attribution with content, direct quotes' too: they teach what a speaker looks like);
3. trains a BiLSTM tagger with PyTorch (word, three-letter suffix and shape embeddings from the
   product's ``norm`` and ``shape``; 96 units a direction; Adam; 9 epochs), on all of train with
   ``--final``, else on all but ``--holdout`` articles (a fixed shuffle), printing the loss of
   each epoch;
4. exports the weights and vocabularies in the format ``quotes.extract.reported.tagger.Tagger``
   reads, to ``--out`` (default: a new temporary folder) or, with ``--install``, over the
   shipped model;
5. with a holdout, runs the product's extractor (rules engine, reported speech on) with the new
   model over the held-out articles after each epoch and scores it with the project's metrics
   (``quotes.evaluation.metrics``: the scorer's ``indirect`` block) at the product's threshold;
   the best epoch is kept, and its figures at other thresholds are printed to choose one.

Training and inference cannot drift apart: the words, their features and the sentences are
the product's own functions, imported, not copies. Nothing is downloaded. The shipped model
was trained with ``--final`` (about 13 minutes on one core; rerun with torch 2.13 on one
thread it gives the shipped weights bit for bit)::

    OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python scripts/train_indirect.py --final
    .venv/bin/python scripts/train_indirect.py --holdout 84          # choose epochs and threshold
    .venv/bin/python scripts/train_indirect.py --final --install     # replace the shipped model

Then score it on dev through the product, e.g. ``quotes eval`` or ``../shared/eval/score.py
polnear`` on ``quotes extract ../shared/data/polnear/dev/text --engine rules --format jsonl``
(the shipped model is read from ``quotes/extract/reported/model``).
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from quotes.evaluation.metrics import _wholly_quoted, parse_brat
from quotes.extract.reported.tagger import MODEL, norm, shape, words
from quotes.extract.segment import RuleSegmenter, paragraphs

REPO = Path(__file__).resolve().parent.parent

DEFAULT_POLNEAR = REPO.parent / "shared" / "data" / "polnear"
LAYERS = ("content", "cue", "source")
O, B, I = 0, 1, 2
SPLIT_SEED = 7  # the shuffle that picks the held-out articles (fixed: the same ones for any --seed)
_SEGMENTER = RuleSegmenter()


# ---------------------------------------------------------------- data

def read_attributions(text: str, ann: Path) -> list[dict]:
    """The attributions of one brat file that have content: their content, cue and source
    fragments (sorted ``(start, end)`` pairs) and whether they are ``indirect`` (no content
    fragment wholly in quote marks, as ``score.py`` and ``quotes.evaluation.metrics`` say)."""
    spans, events = parse_brat(ann)
    out = []
    for roles in events:
        def frags(role: str) -> list[tuple[int, int]]:
            return sorted(f for t in roles.get(role, []) if t in spans for f in spans[t][1])
        content = frags("Content")
        if not content:
            continue
        out.append({"content": content, "cue": frags("Cue"), "source": frags("Source"),
                    "indirect": not any(_wholly_quoted(text[s:e]) for s, e in content)})
    return out


def sentences(text: str) -> list[tuple[int, int]]:
    """The sentences the product reads (the rules engine's: paragraphs, then the rules)."""
    return _SEGMENTER.sentences(text, [(p.start, p.end) for p in paragraphs(text)])


def label_sentence(text: str, start: int, end: int, toks: list[tuple[int, int]],
                   attrs: list[dict]) -> dict[str, list[int]]:
    """The three BIO layers of the words ``toks`` of the sentence ``text[start:end]``. A word is
    in a fragment when it overlaps it; each fragment opens with B. Content is labelled only for
    indirect attributions, and only where the sentence holds the attribution's cue (or its
    source, when it has no cue): content far from its cue cannot be read from one sentence."""
    labs = {layer: [O] * len(toks) for layer in LAYERS}
    for a in attrs:
        anchor = a["cue"] or a["source"]
        holds = any(start <= s < end for s, _ in anchor)
        for layer in LAYERS:
            if layer == "content" and (not a["indirect"] or (anchor and not holds)):
                continue
            tags = labs[layer]
            for fs, fe in a[layer]:
                if fe <= start or fs >= end:
                    continue
                prev = False
                for k, (ts, te) in enumerate(toks):
                    inside = ts < fe and te > fs and bool(text[ts:te].strip())
                    if inside and tags[k] == O:
                        tags[k] = I if prev else B
                    prev = inside
    return labs


def load_split(root: Path, split: str) -> list[dict]:
    """Articles of ``root/split``: name, text, and per sentence its words and labels."""
    folder = root / split
    anns: dict[str, list[Path]] = {}
    for ann in sorted((folder / "attributions").glob("*.ann")):
        anns.setdefault(ann.stem.rsplit("_", 1)[0], []).append(ann)
    if not anns:
        raise SystemExit(f"error: no brat files in {folder / 'attributions'}")
    docs = []
    for name, files in sorted(anns.items()):
        text = (folder / "text" / f"{name}.txt").open(encoding="utf-8", newline="").read()
        attrs = read_attributions(text, sorted(files)[0])
        sents = []
        for s, e in sentences(text):
            toks = words(text, s, e)
            if toks:
                sents.append((toks, label_sentence(text, s, e, toks, attrs)))
        docs.append({"name": name, "text": text, "sentences": sents, "ann": sorted(files)[0]})
    return docs


def split_articles(docs: list[dict], holdout: int, final: bool) -> tuple[list[dict], list[dict]]:
    names = sorted(d["name"] for d in docs)
    random.Random(SPLIT_SEED).shuffle(names)
    held = set() if final else set(names[:holdout])
    return [d for d in docs if d["name"] not in held], [d for d in docs if d["name"] in held]


def vocabularies(docs: list[dict]) -> dict:
    """Words and suffixes seen twice or more, every shape, and the characters seen five times
    (kept in the export for its format; the tagger does not read them); ids 0 pad, 1 unknown."""
    wc: Counter = Counter()
    sc: Counter = Counter()
    hc: Counter = Counter()
    cc: Counter = Counter()
    for d in docs:
        cc.update(d["text"])
        for toks, _ in d["sentences"]:
            for a, b in toks:
                w = d["text"][a:b]
                n = norm(w)
                wc[n] += 1
                sc[n[-3:]] += 1
                hc[shape(w)] += 1

    def itos(counts: Counter, least: int) -> list[str]:
        return ["<pad>", "<unk>"] + [w for w, c in counts.most_common() if c >= least]
    return {"word": itos(wc, 2), "suf": itos(sc, 2), "shape": itos(hc, 1),
            "char": {ch: i + 2 for i, ch in enumerate(sorted(c for c, n in cc.items() if n >= 5))}}


def examples(docs: list[dict], vocab: dict) -> list[tuple[list[int], list[int], list[int], list[list[int]]]]:
    ids = {k: {w: i for i, w in enumerate(vocab[k])} for k in ("word", "suf", "shape")}
    out = []
    for d in docs:
        for toks, labs in d["sentences"]:
            ws = [d["text"][a:b] for a, b in toks]
            ns = [norm(w) for w in ws]
            out.append(([ids["word"].get(n, 1) for n in ns], [ids["suf"].get(n[-3:], 1) for n in ns],
                        [ids["shape"].get(shape(w), 1) for w in ws],
                        [[labs[layer][k] for layer in LAYERS] for k in range(len(ws))]))
    return out


# ---------------------------------------------------------------- the network

def build_model(vocab: dict, args: argparse.Namespace):
    import torch.nn as nn

    class Tagger(nn.Module):
        """The parameter names are those the numpy Tagger reads (w, s, h, lstm, out)."""

        def __init__(self):
            super().__init__()
            self.w = nn.Embedding(len(vocab["word"]), args.wdim, padding_idx=0)
            self.s = nn.Embedding(len(vocab["suf"]), 16, padding_idx=0)
            self.h = nn.Embedding(len(vocab["shape"]), 8, padding_idx=0)
            self.drop = nn.Dropout(args.dropout)
            self.lstm = nn.LSTM(args.wdim + 16 + 8, args.hidden, num_layers=args.layers, bidirectional=True,
                                batch_first=True, dropout=args.dropout if args.layers > 1 else 0)
            self.out = nn.Linear(2 * args.hidden, 9)  # 3 layers x {O, B, I}

        def forward(self, W, S, H, lengths, word_dropout=0.0):
            import torch
            if self.training and word_dropout:
                W = W.masked_fill((torch.rand(W.shape) < word_dropout) & (W > 0), 1)
            e = self.drop(torch.cat([self.w(W), self.s(S), self.h(H)], -1))
            packed = nn.utils.rnn.pack_padded_sequence(e, lengths, batch_first=True, enforce_sorted=False)
            o, _ = self.lstm(packed)
            o, _ = nn.utils.rnn.pad_packed_sequence(o, batch_first=True, total_length=W.shape[1])
            return self.out(self.drop(o)).view(W.shape[0], W.shape[1], 3, 3)

    return Tagger()


def batch_tensors(batch):
    import torch
    n, size = max(len(b[0]) for b in batch), len(batch)
    W, S, H = (torch.zeros(size, n, dtype=torch.long) for _ in range(3))
    Y = torch.full((size, n, 3), -100, dtype=torch.long)
    for i, (w, s, h, y) in enumerate(batch):
        k = len(w)
        W[i, :k], S[i, :k], H[i, :k], Y[i, :k] = torch.tensor(w), torch.tensor(s), torch.tensor(h), torch.tensor(y)
    return W, S, H, torch.tensor([len(b[0]) for b in batch]), Y


def train_epoch(model, opt, loss_fn, data, batch_size) -> float:
    """One pass: sentences of similar length batched together (in chunks of 50 batches), the
    batches in random order; word dropout 0.1; the loss of the three layers summed."""
    import torch
    model.train()
    random.shuffle(data)
    total = 0.0
    for c in range(0, len(data), batch_size * 50):
        chunk = sorted(data[c:c + batch_size * 50], key=lambda b: len(b[0]))
        batches = [chunk[i:i + batch_size] for i in range(0, len(chunk), batch_size)]
        random.shuffle(batches)
        for batch in batches:
            W, S, H, L, Y = batch_tensors(batch)
            out = model(W, S, H, L, word_dropout=0.1)
            loss = sum(loss_fn(out[:, :, k, :].reshape(-1, 3), Y[:, :, k].reshape(-1)) for k in range(3))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            total += loss.item()
    return total


def export(model, vocab: dict, args: argparse.Namespace, out: Path) -> None:
    """``out/tagger.npz`` (float32 weights, the state dict's names) and ``out/tagger.json``
    (``args``, ``word``, ``suf``, ``shape``, ``char``), as ``Tagger`` reads them."""
    import numpy as np
    out.mkdir(parents=True, exist_ok=True)
    weights = {k: v.detach().cpu().numpy().astype(np.float32) for k, v in model.state_dict().items()}
    np.savez_compressed(out / "tagger.npz", **weights)
    meta = {"args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}
            | {"encoder": "lstm", "char": False},
            "word": vocab["word"], "suf": vocab["suf"], "shape": vocab["shape"], "char": vocab["char"]}
    (out / "tagger.json").write_text(json.dumps(meta), encoding="utf-8")


# ---------------------------------------------------------------- measuring

def score_holdout(model_dir: Path, docs: list[dict], thresholds: list[float]) -> dict[float, dict]:
    """The ``indirect`` figures of the product's extractor (rules engine) with the model in
    ``model_dir`` on ``docs``, at each threshold: one run at threshold 0, whose predictions are
    then kept by their confidence (an indirect quote's confidence is its content score)."""
    from quotes.evaluation import metrics
    from quotes.extract.pipeline import Extractor
    from quotes.extract.reported import ReportedSpeech
    from quotes.types import Document

    ex = Extractor(engine="rules", indirect=True)
    ex.reported = ReportedSpeech(model=model_dir / "tagger", threshold=0.0)
    records = []
    for d in docs:
        doc = Document.from_text(d["text"], path=d["name"] + ".txt")
        records += [(q.confidence, q.to_dict(doc)) for q in ex.extract(doc) if q.kind == "indirect"]
    with tempfile.TemporaryDirectory(prefix="holdout_") as tmp:
        root = Path(tmp)  # the held-out articles as a brat folder of their own (links, no copies)
        (root / "text").mkdir()
        (root / "attributions").mkdir()
        for d in docs:
            (root / "text" / f"{d['name']}.txt").symlink_to(d["path"])
            (root / "attributions" / d["ann"].name).symlink_to(d["ann"])
        out = {}
        for t in thresholds:
            kept = [r for c, r in records if c >= t]
            out[t] = metrics.score_brat(root, "holdout", metrics.predictions_by_document(kept))["indirect"]
    return out


def brief(r: dict) -> str:
    return (f"R {r['recall@0.5']:.3f} P {r['precision@0.5']:.3f} F {r['f1@0.5']:.3f} "
            f"spk {r['speaker_acc'] or 0:.3f} (gold {r['gold']}, pred {r['pred']})")


# ---------------------------------------------------------------- main

def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--polnear", type=Path, default=DEFAULT_POLNEAR,
                   help="PolNeAR's data folder, holding train/text and train/attributions "
                        "(default: ../shared/data/polnear beside the repository)")
    p.add_argument("--out", type=Path, default=None,
                   help="folder to write tagger.npz and tagger.json to (default: a new temporary folder)")
    p.add_argument("--install", action="store_true",
                   help="write over the shipped model in quotes/extract/reported/model instead")
    p.add_argument("--final", action="store_true", help="train on all of train: no holdout, the last epoch kept")
    p.add_argument("--holdout", type=int, default=84,
                   help="train articles held out to choose the epoch and the threshold (default 84)")
    p.add_argument("--epochs", type=int, default=9)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--hidden", type=int, default=96, help="LSTM units a direction")
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--wdim", type=int, default=64, help="word embedding size")
    p.add_argument("--dropout", type=float, default=0.3)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--bs", type=int, default=32, help="sentences a batch")
    p.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    args = p.parse_args(argv)
    if args.install and args.out is not None:
        p.error("--install writes the shipped model; give --out or --install, not both")
    if args.final:
        args.holdout = 0
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    import numpy as np
    import torch

    from quotes.extract.reported import THRESHOLD

    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    out = MODEL.parent if args.install else (args.out or Path(tempfile.mkdtemp(prefix="train_indirect_")))
    t0 = time.time()
    docs = load_split(args.polnear, "train")
    for d in docs:
        d["path"] = args.polnear / "train" / "text" / f"{d['name']}.txt"
    train, held = split_articles(docs, args.holdout, args.final)
    vocab = vocabularies(train)
    data = examples(train, vocab)
    print(f"train: {len(train)} articles, {len(data)} sentences; held out: {len(held)} articles; "
          f"vocabulary {len(vocab['word'])} words ({time.time() - t0:.0f}s)", flush=True)
    model = build_model(vocab, args)
    print(f"parameters {sum(p.numel() for p in model.parameters())}", flush=True)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    loss_fn = torch.nn.CrossEntropyLoss(weight=torch.tensor([1.0, 2.0, 2.0]), ignore_index=-100)
    best, best_epoch, work = -1.0, 0, Path(tempfile.mkdtemp(prefix="train_indirect_epoch_"))
    try:
        for epoch in range(1, args.epochs + 1):
            t = time.time()
            loss = train_epoch(model, opt, loss_fn, data, args.bs)
            msg = f"epoch {epoch} loss {loss:.1f} time {time.time() - t:.0f}s"
            if held:
                export(model, vocab, args, work)
                r = score_holdout(work, held, [THRESHOLD])[THRESHOLD]
                msg += f" | holdout at {THRESHOLD}: {brief(r)}"
                if r["f1@0.5"] > best:
                    best, best_epoch = r["f1@0.5"], epoch
                    export(model, vocab, args, out)
            print(msg, flush=True)
        if not held:
            export(model, vocab, args, out)
            best_epoch = args.epochs
        else:
            print(f"best epoch on the holdout: {best_epoch}; its figures by threshold:", flush=True)
            steps = sorted({0.0, 0.5, 0.6, 0.7, 0.8, 0.9, THRESHOLD})
            for th, r in score_holdout(out, held, steps).items():
                print(f"  threshold {th:.2f}{' (product)' if th == THRESHOLD else ''}: {brief(r)}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"model (epoch {best_epoch}) written to {out}/tagger.npz and tagger.json "
          f"in {(time.time() - t0) / 60:.1f} minutes", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
