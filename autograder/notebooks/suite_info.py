"""Read a suite statically: graded functions, points, and the public tests with what they need.

Nothing here imports or runs the suite. The public part is cut out of the suite's source with ast:
the public test functions, plus only the module-level fixtures, constants, helpers and imports
they use, directly or through each other. Hidden tests are never part of it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path


class SuiteError(ValueError):
    """The suite cannot be read statically as the notebooks need."""


@dataclass
class TestInfo:
    """One test function of a suite."""

    name: str
    function: str  # the graded function, from @pytest.mark.grades
    points: float
    public: bool
    node: ast.FunctionDef
    source: str  # decorators included


@dataclass
class SuiteInfo:
    path: Path
    source: str
    tree: ast.Module
    tests: list[TestInfo]

    def points(self) -> dict[str, float]:
        """Points per graded function, in suite order (a parametrized test shares its points)."""
        result: dict[str, float] = {}
        for t in self.tests:
            result[t.function] = result.get(t.function, 0.0) + t.points
        return result

    def public(self, function: str | None = None) -> list[TestInfo]:
        return [t for t in self.tests if t.public and function in (None, t.function)]

    def hidden(self, function: str | None = None) -> list[TestInfo]:
        return [t for t in self.tests if not t.public and function in (None, t.function)]


def _dotted(node: ast.AST) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def _marker(decorator: ast.expr) -> tuple[str, ast.expr]:
    """('pytest.mark.grades', node) for a decorator, called or not."""
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return _dotted(target), decorator


def _segment(lines: list[str], node: ast.stmt) -> str:
    first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    return "\n".join(lines[first - 1 : node.end_lineno])


def read_suite(path: Path) -> SuiteInfo:
    """Parse a suite; raises SuiteError when a test's marker cannot be read statically."""
    path = Path(path)
    source = path.read_text()
    tree = ast.parse(source)
    lines = source.splitlines()
    tests = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            raise SuiteError(f"{path.name}: test classes are not supported ({node.name}).")
        if not isinstance(node, ast.FunctionDef) or not node.name.startswith("test"):
            continue
        grades = [d for d in node.decorator_list if _marker(d)[0] == "pytest.mark.grades"]
        public = any(_marker(d)[0] == "pytest.mark.public" for d in node.decorator_list)
        if len(grades) != 1 or not isinstance(grades[0], ast.Call):
            raise SuiteError(f"{path.name}: {node.name} needs one @pytest.mark.grades(...).")
        call = grades[0]
        try:
            function = ast.literal_eval(call.args[0])
            points = float(
                ast.literal_eval(next(k.value for k in call.keywords if k.arg == "points"))
            )
        except (IndexError, StopIteration, ValueError) as e:
            raise SuiteError(
                f"{path.name}: {node.name}: write grades('function', points=N) with literal "
                "values, so the notebooks can read them without running the suite."
            ) from e
        tests.append(TestInfo(node.name, function, points, public, node, _segment(lines, node)))
    return SuiteInfo(path, source, tree, tests)


# ---------------------------------------------------------------- the public part


def _bound(node: ast.stmt) -> set[str]:
    """Names a module-level statement binds."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {node.name}
    if isinstance(node, ast.Import | ast.ImportFrom):
        return {(a.asname or a.name).split(".")[0] for a in node.names}
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
            names.add(sub.id)
    return names


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


def public_part(info: SuiteInfo, kit_prefixes: tuple[str, ...]) -> PublicPart:
    """Cut the public tests, and only what they use, out of the suite.

    Imports from modules starting with one of `kit_prefixes` are left out of the source and
    reported in `imports_from_kit`: the caller provides those names (or rewrites the import).
    """
    lines = info.source.splitlines()
    body = [n for n in info.tree.body if not _is_docstring(n)]
    hidden = {t.name for t in info.tests if not t.public}
    binders: dict[str, list[int]] = {}
    for i, node in enumerate(body):
        for name in _bound(node):
            binders.setdefault(name, []).append(i)

    public_names = {t.name for t in info.tests if t.public}
    keep = {i for i, n in enumerate(body) if getattr(n, "name", None) in public_names}
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
        chunks.append(_segment(lines, node))
        kept.append(node)
    return PublicPart("\n\n\n".join(chunks) + "\n", kit, kept)


def _is_docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )
