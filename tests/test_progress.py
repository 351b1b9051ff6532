"""The progress line of `quotes extract`: drawn on a terminal, silent otherwise."""
from __future__ import annotations

import io

from click.testing import CliRunner

from quotes.cli import cli
from quotes.cli.progress import Progress, render


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_render_names_documents_quotes_and_rate():
    line = render(120, 987, 10.0, total=480)
    assert "120 documents of 480 (25%)" in line
    assert "987 quotes" in line
    assert "12.0 docs/s" in line
    assert "0:10 elapsed" in line
    assert render(1, 1, 0.0).startswith("1 document · 1 quote")


def test_drawn_on_a_terminal_and_cleared_at_the_end():
    stream = _Tty()
    counts = iter([(0, 0), (1, 4), (2, 9), (3, 9)])
    progress = Progress(lambda: next(counts), stream=stream, interval=0)
    assert list(progress.track(["a", "b", "c"])) == ["a", "b", "c"]
    drawn = stream.getvalue()
    assert "\r" in drawn and "3 documents · 9 quotes" in drawn
    progress.close()
    assert stream.getvalue().endswith("\r")
    assert stream.getvalue()[len(drawn):].strip() == ""


def test_silent_when_not_a_terminal_or_disabled():
    piped = io.StringIO()
    Progress(lambda: (1, 1), stream=piped, interval=0).update(force=True)
    assert piped.getvalue() == ""
    tty = _Tty()
    Progress(lambda: (1, 1), stream=tty, enabled=False, interval=0).update(force=True)
    assert tty.getvalue() == ""


def test_extract_writes_no_progress_to_a_pipe(tmp_path):
    (tmp_path / "a.txt").write_text("\u201cWe are ready,\u201d Jane Smith said.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(tmp_path / "a.txt"), "--db", str(tmp_path / "q.db"),
                                      "--engine", "rules"])
    assert result.exit_code == 0
    assert "\r" not in result.output
    assert result.output.strip() == "1 document, 1 quote stored; 0 skipped (unchanged); 0 errors"
