"""Cut source text out of a suite: the public tests and what they need, a test's own source.

This is the part of reading a suite that needs its text; which tests exist, what they grade and
who may see them comes from pytest's collection (`autograder.suite.collect`). Nothing here runs it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from autograder.source import bound_names, is_docstring, segment
from autograder.suite.collect import SuiteError

__all__ = ["PublicPart", "SuiteError", "SuiteSource", "public_part", "read_suite"]


@dataclass
class SuiteSource:
    """A suite's text and syntax tree."""

    path: Path
    source: str
    tree: ast.Module

    def test_source(self, name: str) -> str:
        """The source of test function `name`, decorators included."""
        lines = self.source.splitlines()
        for node in self.tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == name:
                return segment(lines, node)
        raise SuiteError(f"{self.path.name} has no test function {name}.")


def read_suite(path: Path) -> SuiteSource:
    """Parse a suite; raises SuiteError for a layout the notebooks cannot cut."""
    path = Path(path)
    source = path.read_text()
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            raise SuiteError(f"{path.name}: test classes are not supported ({node.name}).")
    return SuiteSource(path, source, tree)


# ---------------------------------------------------------------- the public part


def _used(node: ast.stmt) -> set[str]:
    """Names a statement reads, plus the parameter names of functions (fixtures they request)."""
    names = {
        n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
    }
    for sub in ast.walk(node):
        if isinstance(sub, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            args = sub.args
            names |= {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
    return names


@dataclass
class PublicPart:
    """The public tests and what they need, as source text ready for nnkit_check.py."""

    source: str
    imports_from_kit: dict[str, set[str]]  # kit module -> names the public part imports from it
    statements: list[ast.stmt]


def public_part(
    info: SuiteSource, public: set[str], hidden: set[str], kit_prefixes: tuple[str, ...]
) -> PublicPart:
    """Cut the `public` tests, and only what they use, out of the suite; no `hidden` test.

    Imports from modules starting with one of `kit_prefixes` are left out of the source and
    reported in `imports_from_kit`: the caller provides those names (or rewrites the import).
    """
    lines = info.source.splitlines()
    body = [n for n in info.tree.body if not is_docstring(n)]
    binders: dict[str, list[int]] = {}
    for i, node in enumerate(body):
        for name in bound_names(node):
            binders.setdefault(name, []).append(i)

    keep = {i for i, n in enumerate(body) if getattr(n, "name", None) in public}
    todo = list(keep)
    while todo:
        i = todo.pop()
        for name in _used(body[i]):
            for j in binders.get(name, []):
                if j not in keep:
                    keep.add(j)
                    todo.append(j)
    leaked = sorted(
        getattr(body[i], "name", "") for i in keep if getattr(body[i], "name", "") in hidden
    )
    if leaked:
        raise SuiteError(f"public tests would need hidden tests: {', '.join(leaked)}")

    kit: dict[str, set[str]] = {}
    chunks = []
    kept = []
    for i in sorted(keep):
        node = body[i]
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(kit_prefixes):
            kit.setdefault(node.module or "", set()).update(a.asname or a.name for a in node.names)
            continue
        if isinstance(node, ast.Import) and any(
            a.name.startswith(kit_prefixes) for a in node.names
        ):
            raise SuiteError(
                f"{info.path.name}, line {node.lineno}: write `from module import name` for kit "
                "modules, so the public tests can be shipped without the kit."
            )
        chunks.append(segment(lines, node))
        kept.append(node)
    return PublicPart("\n\n\n".join(chunks) + "\n", kit, kept)
