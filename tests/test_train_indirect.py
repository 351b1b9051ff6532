"""scripts/train_indirect.py (issue 17): the labels it trains the reported-speech tagger on, read
from brat standoff, and its words and sentences being the product's (no training here)."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from quotes.extract.reported import tagger
from quotes.extract.segment import RuleSegmenter, paragraphs

ROOT = Path(__file__).resolve().parent.parent
POLNEAR = ROOT.parent / "shared" / "data" / "polnear"


def _script():
    spec = importlib.util.spec_from_file_location("train_indirect", ROOT / "scripts" / "train_indirect.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ti = _script()

TEXT = ('Maduro said that the coup attempt had failed. "We will win," Guaidó said.\n\n'
        "Prices will rise. So the bank warned on Monday.\n")


def _brat(tmp_path: Path) -> Path:
    """Three attributions: reported speech with its cue and source in its sentence; a direct
    quote; reported speech whose cue and source are in the next sentence."""
    def at(s: str, nth: int = 0) -> tuple[int, int]:
        i = -1
        for _ in range(nth + 1):
            i = TEXT.index(s, i + 1)
        return i, i + len(s)
    lines, n = [], 0
    for e, roles in enumerate([
            [("Source", at("Maduro")), ("Cue", at("said")), ("Content", at("that the coup attempt had failed"))],
            [("Content", at('"We will win,"')), ("Cue", at("said", 1)), ("Source", at("Guaidó"))],
            [("Content", at("Prices will rise")), ("Cue", at("warned")), ("Source", at("the bank"))]], 1):
        parts = []
        for role, (s, t) in roles:
            n += 1
            lines.append(f"T{n}\t{role} {s} {t}\t{TEXT[s:t]}")
            parts.append(f"{role}:T{n}")
        n += 1
        cue = dict(roles)["Cue"]
        lines.append(f"T{n}\tAttribution {cue[0]} {cue[1]}\t{TEXT[cue[0]:cue[1]]}")
        lines.append(f"E{e}\tAttribution:T{n} " + " ".join(parts))
    ann = tmp_path / "article_x.ann"
    ann.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ann


def _layers(ann: Path) -> list[list[tuple[str, str, str, str]]]:
    """Per sentence: (word, content, cue, source) with the BIO labels as letters."""
    attrs = ti.read_attributions(TEXT, ann)
    out = []
    for s, e in ti.sentences(TEXT):
        toks = ti.words(TEXT, s, e)
        labs = ti.label_sentence(TEXT, s, e, toks, attrs)
        out.append([(TEXT[a:b],) + tuple("OBI"[labs[layer][k]] for layer in ti.LAYERS)
                    for k, (a, b) in enumerate(toks)])
    return out


def test_brat_annotation_becomes_three_bio_layers(tmp_path):
    attrs = ti.read_attributions(TEXT, _brat(tmp_path))
    assert [a["indirect"] for a in attrs] == [True, False, True]  # the quotation in marks is direct
    first, second, third, fourth = _layers(_brat(tmp_path))
    assert first == [("Maduro", "O", "O", "B"), ("said", "O", "B", "O"), ("that", "B", "O", "O"),
                     ("the", "I", "O", "O"), ("coup", "I", "O", "O"), ("attempt", "I", "O", "O"),
                     ("had", "I", "O", "O"), ("failed", "I", "O", "O"), (".", "O", "O", "O")]
    # a direct quote teaches its cue and source, never content
    assert [w for w in second if w[1:] != ("O", "O", "O")] == [("Guaidó", "O", "O", "B"), ("said", "O", "B", "O")]
    assert all(w[1] == "O" for w in second)
    # content whose cue and source are in another sentence is not content there
    assert all(w[1:] == ("O", "O", "O") for w in third)
    assert [w for w in fourth if w[1:] != ("O", "O", "O")] == [("the", "O", "O", "B"), ("bank", "O", "O", "I"),
                                                                ("warned", "O", "B", "O")]


def test_words_features_and_sentences_are_the_products():
    assert ti.words is tagger.words and ti.norm is tagger.norm and ti.shape is tagger.shape
    assert ti.MODEL == tagger.MODEL
    assert ti.sentences(TEXT) == RuleSegmenter().sentences(TEXT, [(p.start, p.end) for p in paragraphs(TEXT)])


def test_install_and_out_exclusive_and_final_has_no_holdout(capsys):
    assert ti.parse_args(["--final"]).holdout == 0
    assert ti.parse_args([]).out is None  # a temporary folder, never the shipped model by default
    with pytest.raises(SystemExit):
        ti.parse_args(["--install", "--out", "/tmp/x"])


@pytest.mark.skipif(not (POLNEAR / "train" / "attributions").is_dir(), reason="PolNeAR (../shared) is absent")
def test_shipped_vocabulary_is_what_the_script_builds_from_polnear_train():
    """The shipped model's vocabularies are those of the script's data (all of train, --final):
    the words it was trained on are the words the product reads."""
    docs = ti.load_split(POLNEAR, "train")
    train, held = ti.split_articles(docs, 0, final=True)
    assert not held and len(train) == 840
    vocab = ti.vocabularies(train)
    shipped = json.loads(tagger.MODEL.with_suffix(".json").read_text(encoding="utf-8"))
    assert set(shipped) == {"args", "word", "suf", "shape", "char"}
    for key in ("word", "suf", "shape", "char"):
        assert vocab[key] == shipped[key], key


def test_export_is_what_the_products_tagger_reads(tmp_path):
    """An untrained small network, exported, gives in numpy the probabilities torch gives."""
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    docs = [{"text": TEXT, "sentences": [(ti.words(TEXT, s, e), None) for s, e in ti.sentences(TEXT)]}] * 2
    vocab = ti.vocabularies(docs)
    args = ti.parse_args(["--hidden", "5", "--wdim", "6", "--out", str(tmp_path)])
    model = ti.build_model(vocab, args).eval()
    ti.export(model, vocab, args, tmp_path)
    meta = json.loads((tmp_path / "tagger.json").read_text(encoding="utf-8"))
    assert set(meta) == {"args", "word", "suf", "shape", "char"} and meta["args"]["layers"] == 1
    sentence = [TEXT[a:b] for a, b in ti.words(TEXT, 0, TEXT.index("."))] + ["unseen"]
    got = tagger.Tagger(tmp_path / "tagger").probabilities([sentence])[0]
    feats = ti.examples([{"text": " ".join(sentence),
                          "sentences": [(ti.words(" ".join(sentence), 0, len(" ".join(sentence))),
                                         {layer: [0] * len(sentence) for layer in ti.LAYERS})]}], vocab)
    W, S, H, L, _ = ti.batch_tensors(feats)
    with torch.no_grad():
        want = torch.softmax(model(W, S, H, L), -1)[0].numpy()
    assert got.shape == (len(sentence), 3, 3)
    assert abs(got - want).max() < 1e-5
