"""The reported-speech tagger: a small BiLSTM over the words of a sentence with three BIO
layers (the content of reported speech, its cue, its source), run with numpy alone.

The model was trained with PyTorch on PolNeAR's train split by ``scripts/train_indirect.py``,
which exports its weights to ``model/tagger.npz`` and its vocabularies to ``model/tagger.json``;
this module only reads them (no torch: the rules engine stays light). The words and their
features here must be exactly those the training script computes: it imports them from here.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Sequence

MODEL = Path(__file__).with_name("model") / "tagger"

# ---------------------------------------------------------------- words and their features
# A word: letters and digits with inner hyphens, dots and apostrophes ("U.S.", "don't"), a clitic
# ("'s", "'re"), or one punctuation mark. A final dot is its own token unless the word is a
# known abbreviation or an initialism.
TOKEN = re.compile(r"\w+(?:[-.]\w+)*(?:['’](?![sS]\b|[dD]\b|[mM]\b|ll\b|re\b|ve\b)\w+)*\.?"
                   r"|['’](?:[sSdDmM]|ll|re|ve)\b|''|``|[^\w\s]", re.U)
_ABBR_DOT = re.compile(r"^(?:[A-Z]\.|Mr\.|Mrs\.|Ms\.|Dr\.|Sen\.|Rep\.|Gov\.|Gen\.|St\.|Jr\.|Sr\.|Inc\.|Corp\.|Co\.|"
                       r"Lt\.|U\.S\.|U\.K\.|U\.N\.)$")
_INITIALISM = re.compile(r"^(?:[A-Za-z]\.)+$")
_QUOTES = frozenset("\"“”‘’'«»`") | {"''", "``"}
_PUNCT = re.compile(r"[^\w\s]+")
_DIGIT = re.compile(r"\d")


def words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The (start, end) offsets of the words of ``text[start:end]``."""
    out = []
    for m in TOKEN.finditer(text, start, end):
        s, e = m.span()
        w = m.group()
        if w.endswith(".") and len(w) > 1 and not _ABBR_DOT.match(w) and not _INITIALISM.match(w):
            out.append((s, e - 1))
            out.append((e - 1, e))
        else:
            out.append((s, e))
    return out


def shape(w: str) -> str:
    """The word's shape: quote mark, punctuation, digit, all capitals, capitalised, lower."""
    if w in _QUOTES:
        return "Q" + w if w in ("“", "”", "\"", "''", "``") else "q"
    if _PUNCT.fullmatch(w):
        return "P" + w if w in ",.;:!?—–-()" else "P"
    if w[0].isdigit():
        return "D"
    if w.isupper() and len(w) > 1:
        return "XX"
    if w[0].isupper():
        return "Xx"
    return "x"


def norm(w: str) -> str:
    """The word as the vocabulary holds it: lower case, straight apostrophes, digits as 0."""
    return _DIGIT.sub("0", w.replace("’", "'").replace("‘", "'")).lower()


# ---------------------------------------------------------------- the network
class Tagger:
    """The trained network, read from ``path`` (.npz weights, .json vocabularies)."""

    def __init__(self, path: str | Path = MODEL):
        import numpy as np

        self.np = np
        path = Path(path)
        with np.load(path.with_suffix(".npz")) as z:
            self.p = {k: z[k] for k in z.files}
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        self.args = meta["args"]
        self.word_ids = {w: i for i, w in enumerate(meta["word"])}
        self.suffix_ids = {w: i for i, w in enumerate(meta["suf"])}
        self.shape_ids = {w: i for i, w in enumerate(meta["shape"])}
        self._features: dict[str, tuple[int, int, int]] = {}
        self._layers = self._prepare()

    def _feature(self, w: str) -> tuple[int, int, int]:
        f = self._features.get(w)
        if f is None:
            n = norm(w)
            f = self._features[w] = (self.word_ids.get(n, 1), self.suffix_ids.get(n[-3:], 1),
                                     self.shape_ids.get(shape(w), 1))
            if len(self._features) > 200_000:  # (a long run meets many rare words)
                self._features.clear()
        return f

    def _embed(self, ws: list[str]):
        np, p = self.np, self.p
        feats = [self._feature(w) for w in ws]
        ids = np.array(feats, dtype=np.int64).reshape(-1, 3)
        return np.concatenate([p["w.weight"][ids[:, 0]], p["s.weight"][ids[:, 1]], p["h.weight"][ids[:, 2]]], 1)

    def _prepare(self):
        """Per layer and direction: input and recurrent weights and bias, with the cell gate
        scaled by 2 so that one sigmoid serves all four gates (tanh(x) = 2 sigmoid(2x) - 1)."""
        p, out = self.p, []
        for layer in range(self.args["layers"]):
            dirs = []
            for suffix in ("", "_reverse"):
                wi = p[f"lstm.weight_ih_l{layer}{suffix}"].copy()
                wh = p[f"lstm.weight_hh_l{layer}{suffix}"].copy()
                b = p[f"lstm.bias_ih_l{layer}{suffix}"] + p[f"lstm.bias_hh_l{layer}{suffix}"]
                h = wh.shape[1]
                wi[2 * h:3 * h] *= 2
                wh[2 * h:3 * h] *= 2
                b[2 * h:3 * h] *= 2
                dirs.append((self.np.ascontiguousarray(wi.T), self.np.ascontiguousarray(wh.T), b, h))
            out.append(dirs)
        return out

    def probabilities(self, sentences: Sequence[list[str]]) -> list:
        """For each sentence (a list of words), a (words x 3 layers x {O, B, I}) array."""
        np = self.np
        lens = np.array([len(s) for s in sentences])
        x = self._embed([w for s in sentences for w in s])
        # sentences longest first, so that at step t the live rows are the first n_t (slices, no masks)
        order = np.argsort(-lens, kind="stable")
        slens = lens[order]
        rows, steps = len(sentences), int(slens[0])
        offsets = np.concatenate([[0], np.cumsum(lens)[:-1]])
        live = [int((slens > t).sum()) for t in range(steps)]
        forward = np.full((rows, steps), -1)
        backward = np.full((rows, steps), -1)
        for r, i in enumerate(order):
            forward[r, :lens[i]] = np.arange(offsets[i], offsets[i] + lens[i])
            backward[r, :lens[i]] = np.arange(offsets[i] + lens[i] - 1, offsets[i] - 1, -1)
        for dirs in self._layers:
            outs = []
            for (wi_t, wh_t, b, hidden), index in zip(dirs, (forward, backward)):
                g = x @ wi_t + b
                out = np.empty((len(x), hidden), g.dtype)
                h = np.zeros((rows, hidden), g.dtype)
                c = np.zeros((rows, hidden), g.dtype)
                for t in range(steps):
                    n = live[t]
                    at = index[:n, t]
                    z = g[at] + h[:n] @ wh_t
                    np.negative(z, out=z)
                    np.exp(z, out=z)
                    z += 1
                    np.reciprocal(z, out=z)  # the sigmoid of every gate
                    cell = z[:, hidden:2 * hidden] * c[:n] + z[:, :hidden] * (2 * z[:, 2 * hidden:3 * hidden] - 1)
                    c[:n] = cell
                    h[:n] = z[:, 3 * hidden:] * np.tanh(cell)
                    out[at] = h[:n]
                outs.append(out)
            x = np.concatenate(outs, 1)
        logits = (x @ self.p["out.weight"].T + self.p["out.bias"]).reshape(-1, 3, 3)
        logits -= logits.max(-1, keepdims=True)
        e = np.exp(logits)
        probs = e / e.sum(-1, keepdims=True)
        return np.split(probs, np.cumsum(lens)[:-1])


def viterbi(tagger: Tagger, probs: Sequence) -> list[list[int]]:
    """The best BIO tag sequence (0 O, 1 B, 2 I; never O then I) of each (words x 3) array."""
    np = tagger.np
    allowed = np.where(np.array([[1, 1, 0], [1, 1, 1], [1, 1, 1]], dtype=bool), 0.0, -1e9)
    n, steps = len(probs), max(len(p) for p in probs)
    lp = np.zeros((n, steps, 3))
    for i, p in enumerate(probs):
        lp[i, :len(p)] = np.log(p + 1e-9)
    lens = np.array([len(p) for p in probs])
    score = lp[:, 0] + np.array([0, 0, -1e9])
    back = np.zeros((n, steps, 3), np.int8)
    for t in range(1, steps):
        cand = score[:, :, None] + allowed[None]
        back[:, t] = cand.argmax(1)
        score = np.where((t < lens)[:, None], cand.max(1) + lp[:, t], score)
    out = []
    for i in range(n):
        tag = int(score[i].argmax())
        tags = [tag]
        for t in range(lens[i] - 1, 0, -1):
            tag = int(back[i, t, tag])
            tags.append(tag)
        out.append(tags[::-1])
    return out
