"""The package's architecture stays as docs/architecture.md draws it.

Three checks on the source itself (the import statements read with ``ast``, function-level
imports included) and one in a fresh interpreter:

* arrows run one way: each package imports only the packages below it (``ALLOWED``), and
  click, SQLAlchemy and Datasette only where they belong (``THIRD_PARTY``);
* no import cycle between any two modules of ``quotes``;
* no module over ``MAX_LINES`` lines (language data aside);
* ``import quotes.extract`` imports neither SQLAlchemy nor click.

Plus the public names the move had to keep: ``quotes.extract`` is both the package and the
library's shortcut function, ``quotes.Extractor`` and ``quotes.Store`` are still there.
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "quotes"
MAX_LINES = 600
DATA = ("quotes/lang/",)  # plain constants, exempt from the line limit

# Which parts of quotes each part may import (besides itself). The top-level package
# (quotes/__init__.py) is the facade and may load anything, lazily.
CORE = {"quotes.types", "quotes.errors", "quotes.lang"}
ALLOWED = {
    "quotes.types": set(),
    "quotes.errors": set(),
    "quotes.lang": set(),
    "quotes.sources": CORE,
    "quotes.extract": CORE,
    "quotes.store": CORE,
    "quotes.evaluation": CORE,
    "quotes.factcheck": CORE | {"quotes.store", "quotes.sources", "quotes.extract"},
    "quotes.scale": CORE | {"quotes.store", "quotes.sources", "quotes.extract"},
    "quotes.web": CORE | {"quotes.store", "quotes.factcheck"},
    "quotes.cli": CORE | {"quotes.sources", "quotes.extract", "quotes.store", "quotes.evaluation",
                          "quotes.factcheck", "quotes.scale", "quotes.web"},
}
# Third-party packages only some parts may import.
THIRD_PARTY = {
    "click": {"quotes.cli"},
    "sqlalchemy": {"quotes.store", "quotes.factcheck", "quotes.scale", "quotes.web"},
    "alembic": {"quotes.store"},
    "datasette": {"quotes.web"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str) -> set[str]:
    """Every module a module imports (anywhere in it), as full dotted names: a ``from x import
    y`` names the module ``x.y`` when there is one, else ``x``."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in MODULES else target)
    return found


GRAPH = {name: {m for m in imports(name) if m in MODULES and m != name} for name in MODULES}


def part(name: str) -> str:
    """The part of the package a module belongs to: quotes.store for quotes.store.writer."""
    for top in ALLOWED:
        if name == top or name.startswith(top + "."):
            return top
    return name


def test_every_module_belongs_to_a_part():
    assert [m for m in MODULES if m != "quotes" and part(m) not in ALLOWED] == []


def test_arrows_run_one_way():
    wrong = []
    for name in MODULES:
        if name == "quotes":
            continue
        mine = part(name)
        for target in GRAPH[name]:
            theirs = part(target)
            if theirs != mine and theirs not in ALLOWED[mine]:
                wrong.append(f"{name} imports {target}")
    assert wrong == []


def test_third_party_packages_stay_where_they_belong():
    wrong = []
    for name in MODULES:
        for target in imports(name):
            top = target.split(".")[0]
            if top in THIRD_PARTY and part(name) not in THIRD_PARTY[top]:
                wrong.append(f"{name} imports {target}")
    assert wrong == []


def test_no_import_cycles():
    # Tarjan's strongly connected components: a component of more than one module is a cycle
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(GRAPH[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    assert cycles == []


def test_no_module_is_too_big():
    big = {}
    for path in MODULES.values():
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(DATA):
            continue
        n = len(path.read_text(encoding="utf-8").splitlines())
        if n > MAX_LINES:
            big[rel] = n
    assert big == {}


def test_extraction_imports_neither_sqlalchemy_nor_click():
    code = ("import sys, quotes.extract\n"
            "quotes.extract('\u201cWe will win,\u201d Jane Smith said.')\n"
            "print(sorted(m for m in ('sqlalchemy', 'click', 'alembic', 'datasette') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_the_public_names_survived_the_move():
    import types

    import quotes
    import quotes.extract

    assert isinstance(quotes.extract, types.ModuleType) and quotes.extract.__name__ == "quotes.extract"
    found = quotes.extract("\u201cWe will win,\u201d Jane Smith said.")
    assert [(q.kind, q.speaker.name) for q in found] == [("direct", "Jane Smith")]
    assert quotes.Extractor is quotes.extract.Extractor
    from quotes import Store, check, extract, trace, verify

    assert extract is quotes.extract
    assert Store.__module__ == "quotes.store"
    assert [f.__module__ for f in (verify, trace, check)] == [
        "quotes.factcheck.verify", "quotes.factcheck.trace", "quotes.factcheck.check"]
    with pytest.raises(AttributeError):
        quotes.no_such_thing  # noqa: B018
