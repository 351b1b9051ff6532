"""Article text as HTML with spans marked, offsets kept exact.

``mark_up(text, marks)`` escapes ``text`` and wraps each :class:`Mark` (``text[start:end]``)
in an element. Marks may nest (a quote inside a quote) or even cross (an outlet named inside
another quote); crossing marks are split into pieces, and only a mark's first piece carries
its ``id``. Nothing of the text is added, dropped or reordered: the page's text content is
exactly ``text``.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    classes: str
    id: str | None = None
    title: str | None = None
    rank: int = 0  # among marks with the same span: lower ranks are the outer element
    tag: str = "span"

    def open(self, first: bool) -> str:
        attrs = [f'class="{escape(self.classes)}{"" if first else " cont"}"']
        if first and self.id:
            attrs.append(f'id="{escape(self.id)}"')
        if self.title:
            attrs.append(f'title="{escape(self.title)}"')
        return f"<{self.tag} {' '.join(attrs)}>"

    def close(self) -> str:
        return f"</{self.tag}>"


def mark_up(text: str, marks: list[Mark]) -> Markup:
    """``text`` escaped, with every mark that fits inside it wrapped (see the module)."""
    marks = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    order = sorted(marks, key=lambda m: (m.start, -m.end, m.rank))
    cuts = sorted({0, len(text)} | {m.start for m in marks} | {m.end for m in marks})
    out: list[str] = []
    opened: list[Mark] = []
    for a, b in zip(cuts, cuts[1:]):
        active = [m for m in order if m.start <= a and b <= m.end]
        keep = 0
        while keep < min(len(opened), len(active)) and opened[keep] is active[keep]:
            keep += 1
        out.extend(m.close() for m in reversed(opened[keep:]))
        out.extend(m.open(first=m.start == a) for m in active[keep:])
        opened = active
        out.append(escape(text[a:b], quote=False))
    out.extend(m.close() for m in reversed(opened))
    return Markup("".join(out))
