#!/usr/bin/env python
"""Train the project's own stanza English tokenizer (sentence segmenter) from UD English EWT.

The model shipped in ``quotes/stanza_models`` is produced by this script.  It:

1. sets up a scratch work directory (``--work``) holding
   ``ud/UD_English-EWT`` (a symlink to ``--ud``) and ``data/`` so that stanza's
   training tools find the treebank through the ``UDBASE`` / ``DATA_ROOT``
   environment variables (see ``stanza/utils/default_paths.py``);
2. runs ``python -m stanza.utils.datasets.prepare_tokenizer_treebank UD_English-EWT``;
3. runs ``python -m stanza.utils.training.run_tokenizer UD_English-EWT --no_charlm
   --steps N`` (no character LM: that would need a download from Stanford),
   which trains, keeps the best checkpoint on dev, and predicts EWT dev and test;
4. scores the test prediction against the gold test file with stanza's
   CoNLL 2018 evaluator (``stanza.models.common.utils.ud_scores``): token F1 and
   sentence F1;
5. writes the model to ``OUT/en/tokenize/ewt.pt``, a minimal offline-loadable
   ``OUT/resources.json`` (tokenize only, no mwt) and ``OUT/scores.json``.

Nothing is downloaded; only the tokenizer is trained (no mwt/pos/lemma/depparse).
Training 2500 steps takes about 10 minutes on 2 CPU cores.

Example::

    .venv/bin/python scripts/train_models.py --ud /work/shared/data/ud-english-ewt
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

log = logging.getLogger("train_models")

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "quotes" / "stanza_models"
TREEBANK = "UD_English-EWT"
SHORT_NAME = "en_ewt"
PACKAGE = "ewt"  # model name inside OUT: en/tokenize/ewt.pt
TRAINING_DATA = {
    "name": "Universal Dependencies English EWT 2.16",
    "treebank": TREEBANK,
    "url": "https://github.com/UniversalDependencies/UD_English-EWT",
    "licence": "CC BY-SA 4.0",
    "licence_url": "https://creativecommons.org/licenses/by-sa/4.0/",
}


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ud", required=True, type=Path,
                   help="folder with en_ewt-ud-{train,dev,test}.conllu (UD English EWT)")
    p.add_argument("--work", type=Path, default=None,
                   help="scratch folder for prepared data and checkpoints "
                        "(default: a new temporary folder outside the repository)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT,
                   help="model directory to write (default: quotes/stanza_models)")
    p.add_argument("--steps", type=int, default=2500, help="training steps (default 2500)")
    p.add_argument("--keep-work", action="store_true",
                   help="keep the default temporary work folder after success")
    return p.parse_args(argv)


def setup_work(ud: Path, work: Path) -> dict[str, str]:
    """Create the UDBASE/DATA_ROOT layout stanza expects; return the subprocess environment."""
    for name in ("train", "dev", "test"):
        f = ud / f"{SHORT_NAME}-ud-{name}.conllu"
        if not f.is_file():
            raise SystemExit(f"error: missing {f}")
    udbase = work / "ud"
    udbase.mkdir(parents=True, exist_ok=True)
    link = udbase / TREEBANK
    if not link.exists():
        link.symlink_to(ud.resolve(), target_is_directory=True)
    data_root = work / "data"
    data_root.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update({
        "UDBASE": str(udbase),
        "DATA_ROOT": str(data_root),
        "TOKENIZE_DATA_DIR": str(data_root / "tokenize"),
        # keep anything stanza might look up (resources, extern data) inside the work dir
        "STANZA_RESOURCES_DIR": str(work / "stanza_resources"),
        "STANZA_EXTERN_DIR": str(work / "extern_data"),
        "HANDPARSED_DIR": str(work / "extern_data" / "handparsed-treebank"),
        "PYTHONUNBUFFERED": "1",
    })
    return env


def run(cmd: list[str], env: dict[str, str], cwd: Path) -> None:
    log.info("running: %s", " ".join(cmd))
    subprocess.run(cmd, env=env, cwd=cwd, check=True)


def score(gold: Path, pred: Path) -> dict[str, float]:
    from stanza.models.common.utils import ud_scores
    ev = ud_scores(str(gold), str(pred))
    return {k.lower() + "_f1": round(100 * ev[k].f1, 2) for k in ("Tokens", "Sentences", "Words")}


def write_resources(out: Path, model: Path, stanza_version: str) -> None:
    """Minimal resources.json: English, package 'default' = tokenize 'ewt', no mwt."""
    md5 = hashlib.md5(model.read_bytes()).hexdigest()
    resources = {
        "en": {
            "lang_name": "English",
            "tokenize": {PACKAGE: {"md5": md5}},
            "default_processors": {"tokenize": PACKAGE},
            "packages": {"default": {"tokenize": PACKAGE}},
        },
        "stanza_version": stanza_version,
    }
    (out / "resources.json").write_text(json.dumps(resources, indent=2) + "\n", encoding="utf-8")


def check_offline_load(out: Path) -> None:
    import stanza
    nlp = stanza.Pipeline(lang="en", processors="tokenize", dir=str(out), download_method=None,
                          use_gpu=False, logging_level="WARN")
    if "mwt" in nlp.processors:
        raise SystemExit("error: pipeline unexpectedly loaded mwt")
    doc = nlp("Mr. Smith said it was fine. Then he left.")
    log.info("offline load check: %d sentences from a 2-sentence probe", len(doc.sentences))


def main(argv=None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    args = parse_args(argv)
    import stanza

    temp_work = args.work is None
    work = Path(tempfile.mkdtemp(prefix="quotes-stanza-train-")) if temp_work else args.work.resolve()
    out = args.out.resolve()
    if out == work or work.is_relative_to(out):
        raise SystemExit("error: --work must not be inside --out")
    log.info("work dir: %s", work)
    env = setup_work(args.ud, work)
    py = sys.executable

    t0 = time.time()
    log.info("preparing %s", TREEBANK)
    run([py, "-m", "stanza.utils.datasets.prepare_tokenizer_treebank", TREEBANK], env, work)
    t1 = time.time()
    save_dir = work / "saved_models" / "tokenize"
    save_name = f"{SHORT_NAME}_nocharlm_tokenizer.pt"
    log.info("training tokenizer for %d steps", args.steps)
    run([py, "-m", "stanza.utils.training.run_tokenizer", TREEBANK, "--no_charlm",
         "--save_output", "--save_dir", str(save_dir), "--save_name", save_name,
         "--steps", str(args.steps)], env, work)
    t2 = time.time()
    model = save_dir / save_name
    if not model.is_file():
        raise SystemExit(f"error: training did not produce {model}")

    tok_dir = Path(env["TOKENIZE_DATA_DIR"])
    test_scores = score(tok_dir / f"{SHORT_NAME}.test.gold.conllu",
                        tok_dir / f"{SHORT_NAME}.test.pred.conllu")
    dev_scores = score(tok_dir / f"{SHORT_NAME}.dev.gold.conllu",
                       tok_dir / f"{SHORT_NAME}.dev.pred.conllu")
    log.info("EWT test: token F1 %.2f, sentence F1 %.2f", test_scores["tokens_f1"], test_scores["sentences_f1"])
    log.info("EWT dev:  token F1 %.2f, sentence F1 %.2f", dev_scores["tokens_f1"], dev_scores["sentences_f1"])

    dest = out / "en" / "tokenize" / f"{PACKAGE}.pt"
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(model, dest)
    write_resources(out, dest, stanza.__version__)
    scores = {
        "model": f"en/tokenize/{PACKAGE}.pt",
        "model_bytes": dest.stat().st_size,
        "processor": "tokenize",
        "test": {"dataset": "en_ewt-ud-test.conllu", **test_scores},
        "dev": {"dataset": "en_ewt-ud-dev.conllu", **dev_scores},
        "evaluator": "CoNLL 2018 UD evaluator (stanza.models.common.utils.ud_scores)",
        "training_steps": args.steps,
        "charlm": False,
        "training_seconds": round(t2 - t1),
        "stanza_version": stanza.__version__,
        "date": _dt.date.today().isoformat(),
        "training_data": TRAINING_DATA,
        "trained_by": "scripts/train_models.py",
    }
    (out / "scores.json").write_text(json.dumps(scores, indent=2) + "\n", encoding="utf-8")
    log.info("wrote %s (%d bytes), resources.json, scores.json", dest, dest.stat().st_size)
    check_offline_load(out)
    log.info("done in %.0f s (prepare %.0f s, train+eval %.0f s)", time.time() - t0, t1 - t0, t2 - t1)
    if temp_work and not args.keep_work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
