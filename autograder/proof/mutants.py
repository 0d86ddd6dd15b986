"""Mutant submissions: the model answer with one graded function replaced by a catalogued mistake.

They prove the grader: every mutant must lose points in its own function's column, and the
mistake's message should reach the student. The mistakes are written once, in
`assignments/<id>/mistakes.py`; mutants are generated from them, never committed.

A mutant is a standalone file, because `solutions` is not importable in the sandbox:
- the reference module's own `from solutions.X import ...` lines are replaced by module X's code;
- the mistake is renamed to the graded function's name and its decorator is dropped; a patched
  mistake (`diagnose.patched`) is the reference function with its edit, as the grader runs it;
- what the mistake uses from `mistakes.py` comes along: names it imports from `solutions.*`
  (by alias, or the reference's own version of the function it replaces), other imports, and
  module-level helpers and constants (whose names must not clash with the reference's names).
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import sys
from pathlib import Path

from autograder.assignments import Assignment, get
from autograder.config import Limits
from autograder.grade.engine import grade_files
from autograder.model import SubmissionResult
from autograder.sandbox.launcher import Isolation
from autograder.source import free_names, segment
from autograder.suite.diagnose import Catalogue, Mistake

__all__ = [
    "catalogue",
    "grade_mutants",
    "mutant_name",
    "mutant_source",
    "standalone_source",
    "write_mutants",
    "write_reference",
]


# ------------------------------------------------------------------ the standalone reference


def standalone_source(assignment_id: str) -> str:
    """The reference module's source with every `from solutions.X import ...` inlined."""
    return _inline(get(assignment_id).reference, set())


def _inline(module, seen: set[str]) -> str:
    source = inspect.getsource(module)
    tree = ast.parse(source)
    lines = source.splitlines()
    out: list[str] = []
    cursor = 0
    for stmt in tree.body:
        if isinstance(stmt, ast.ImportFrom) and (stmt.module or "").startswith("solutions"):
            out += lines[cursor : stmt.lineno - 1]
            cursor = stmt.end_lineno
            if stmt.module in seen:
                continue
            seen.add(stmt.module)
            inner = _inline(importlib.import_module(stmt.module), seen)
            out += [
                f"# ---- inlined from {stmt.module}",
                *_body(inner),
                f"# ---- end of {stmt.module}",
            ]
            out += _aliases(stmt)
    out += lines[cursor:]
    return "\n".join(out) + "\n"


def _body(source: str) -> list[str]:
    """A module's lines without its docstring and `from __future__` imports."""
    tree = ast.parse(source)
    lines = source.splitlines()
    drop: set[int] = set()
    for i, stmt in enumerate(tree.body):
        docstring = i == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
        future = isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__"
        if docstring or future:
            drop.update(range(stmt.lineno - 1, stmt.end_lineno))
    return [line for i, line in enumerate(lines) if i not in drop]


def _aliases(stmt: ast.ImportFrom) -> list[str]:
    return [f"{a.asname} = {a.name}" for a in stmt.names if a.asname and a.asname != a.name]


# ------------------------------------------------------------------ one mutant


def _top_level_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(stmt.name)
        elif isinstance(stmt, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in stmt.names)
        elif isinstance(stmt, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for t in targets:
                names.update(n.id for n in ast.walk(t) if isinstance(n, ast.Name))
    return names


def _renamed_function(lines: list[str], node: ast.FunctionDef, name: str) -> list[str]:
    """The function's lines without decorators, with `def old(` turned into `def name(`."""
    text = lines[node.lineno - 1 : node.end_lineno]
    indent = len(text[0]) - len(text[0].lstrip())
    text = [line[indent:] for line in text]
    prefix = "async def " if isinstance(node, ast.AsyncFunctionDef) else "def "
    head = f"{prefix}{node.name}"
    assert text[0].startswith(head), text[0]
    text[0] = f"{prefix}{name}" + text[0][len(head) :]
    return text


class _MistakesFile:
    """The parsed mistakes.py of one assignment: where each top-level name comes from."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.source = path.read_text()
        self.tree = ast.parse(self.source)
        self.lines = self.source.splitlines()
        self.defs: dict[str, ast.stmt] = {}
        self.imports: dict[str, tuple[ast.stmt, ast.alias]] = {}
        for stmt in self.tree.body:
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                self.defs[stmt.name] = stmt
            elif isinstance(stmt, ast.Import | ast.ImportFrom):
                for a in stmt.names:
                    self.imports[(a.asname or a.name).split(".")[0]] = (stmt, a)
            elif isinstance(stmt, ast.Assign | ast.AnnAssign):
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                for t in targets:
                    for n in ast.walk(t):
                        if isinstance(n, ast.Name):
                            self.defs[n.id] = stmt

    def text(self, stmt: ast.stmt) -> list[str]:
        return segment(self.lines, stmt).split("\n")


@functools.lru_cache(maxsize=8)
def _parsed(source: str) -> tuple[ast.Module, list[str], set[str]]:
    tree = ast.parse(source)
    return tree, source.splitlines(), _top_level_names(tree)


@functools.lru_cache(maxsize=8)
def _mistakes_file(path: Path, module: str) -> _MistakesFile:
    """Parsed once per file and module (a module loaded again may come from an edited file)."""
    return _MistakesFile(path)


def mutant_source(assignment_id: str, m: Mistake, reference: str | None = None) -> str:
    """The standalone reference with `m.function` replaced by the mistake `m`."""
    ref_tree, ref_lines, defined = _parsed(reference or standalone_source(assignment_id))
    target = next(
        (
            s
            for s in ref_tree.body
            if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef) and s.name == m.function
        ),
        None,
    )
    if target is None:
        raise ValueError(f"The {assignment_id} reference has no function {m.function!r}.")

    impl = m.implementation
    mf = _mistakes_file(Path(impl.__globals__["__file__"]), impl.__module__)
    if m.source:  # a patched mistake: its text is the patched reference function
        node, lines = ast.parse(m.source).body[0], m.source.splitlines()
    else:
        node, lines = mf.defs.get(impl.__name__), list(mf.lines)
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        raise ValueError(f"{impl.__name__} is not a top-level function of {mf.path}.")
    where = f"{impl.__name__} in {mf.path.name}"
    # `from solutions.X import name` inside the mistake: the name is the mutant's own. The import
    # becomes `pass`, and the name is resolved below like a module-level import.
    local: dict[str, tuple[str, str]] = {}
    for sub in ast.walk(node):
        if isinstance(sub, ast.Import) and any(a.name.startswith("solutions") for a in sub.names):
            raise ValueError(f"{where}: use `from solutions.<id> import name`, not `import`.")
        if isinstance(sub, ast.ImportFrom) and (sub.module or "").startswith("solutions"):
            local.update({a.asname or a.name: (sub.module, a.name) for a in sub.names})
            first = lines[sub.lineno - 1]
            lines[sub.lineno - 1] = first[: len(first) - len(first.lstrip())] + "pass"
            for i in range(sub.lineno, sub.end_lineno):
                lines[i] = ""
    new = _renamed_function(lines, node, m.function)

    def from_solutions(name: str) -> tuple[str, str] | None:
        if name in local:
            return local[name]
        stmt, alias = mf.imports.get(name, (None, None))
        if isinstance(stmt, ast.ImportFrom) and (stmt.module or "").startswith("solutions"):
            return stmt.module, alias.name
        return None

    extra: list[str] = []  # what the mistake needs from mistakes.py
    done: set[str] = {m.implementation.__name__}
    todo = sorted(free_names(node) | set(local))
    while todo:
        name = todo.pop()
        if name in done:
            continue
        done.add(name)
        source = from_solutions(name)
        if source:
            module, original = source
            if original == m.function:
                if name == m.function:
                    raise ValueError(
                        f"{where} calls the reference {original} under its own name; "
                        f"import it under another name (from {module} import "
                        f"{original} as reference_{original})."
                    )
                src = next(
                    s
                    for s in ref_tree.body
                    if isinstance(s, ast.FunctionDef) and s.name == original
                )
                extra += ["", "", *_renamed_function(ref_lines, src, name)]
            elif original not in defined:
                raise ValueError(f"{where} uses {module}.{original}, which the mutant lacks.")
            elif name != original:
                extra += [f"{name} = {original}"]
        elif name in mf.imports:
            stmt, alias = mf.imports[name]
            if name not in defined:
                as_ = f" as {alias.asname}" if alias.asname else ""
                line = (
                    f"from {'.' * stmt.level}{stmt.module or ''} import {alias.name}{as_}"
                    if isinstance(stmt, ast.ImportFrom)
                    else f"import {alias.name}{as_}"
                )
                extra = [line, *extra]
        elif name in mf.defs:
            if name in defined:
                raise ValueError(
                    f"{where} uses {name}, defined in {mf.path.name}, which clashes with the "
                    "reference's own name; rename the helper (e.g. with a leading _)."
                )
            stmt = mf.defs[name]
            extra += ["", "", *mf.text(stmt)]
            todo += sorted(free_names(stmt) - done)
        elif name not in defined:
            raise ValueError(f"{where} uses {name!r}, which is defined nowhere.")

    first = min([target.lineno] + [d.lineno for d in target.decorator_list])
    out = ref_lines[: first - 1] + new + ref_lines[target.end_lineno :]
    if extra:  # at the end, where every name of the reference is already defined
        out += ["", "", f"# ---- what {m.implementation.__name__} uses from {mf.path.name}", *extra]
    header = (
        f"# Mutant of the {assignment_id} model answer: {m.function} replaced by the mistake "
        f"{m.implementation.__name__}.\n# {m.message}\n"
    )
    return header + "\n".join(out) + "\n"


# ------------------------------------------------------------------ all of them


def catalogue(assignment_id: str) -> list[Mistake]:
    """The catalogued mistakes of an assignment, in the order mistakes.py defines them."""
    return Catalogue.from_module(Assignment(assignment_id).mistakes).mistakes


def mutant_name(m: Mistake) -> str:
    """A file stem (and student id) that names the mutant: function__mistake."""
    return f"{m.function}__{m.implementation.__name__}"


def write_reference(assignment_id: str, out_dir: Path) -> Path:
    """The standalone model answer, as a submission file `reference.py`."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "reference.py"
    path.write_text(standalone_source(assignment_id))
    return path


def grade_mutants(
    assignment_id: str, out_dir: Path, *, limits: Limits, isolation: Isolation
) -> tuple[SubmissionResult, dict[str, SubmissionResult]]:
    """Write and grade the model answer and every mutant of an assignment, in one batch.

    Returns the model answer's result and each mutant's, by file stem (see `mutant_name`).
    """
    out_dir = Path(out_dir)
    written = write_mutants(assignment_id, out_dir / "mutants")
    reference = write_reference(assignment_id, out_dir)
    sys.modules.pop("suite", None)  # every suite is a module named `suite`
    results: dict[str, SubmissionResult] = {}
    grade_files(
        [(reference, "__reference__")] + [(path, path.stem) for path, _ in written],
        assignment=get(assignment_id),
        limits=limits,
        isolation=isolation,
        on_result=lambda r: results.__setitem__(r.student, r),
    )
    return results.pop("__reference__"), results


def write_mutants(assignment_id: str, out_dir: Path) -> list[tuple[Path, Mistake]]:
    """One mutant submission per catalogued mistake, written into out_dir as `<stem>.py`."""
    get(assignment_id)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    reference = standalone_source(assignment_id)
    written: list[tuple[Path, Mistake]] = []
    for m in catalogue(assignment_id):
        path = out_dir / f"{mutant_name(m)}.py"
        if any(p == path for p, _ in written):
            raise ValueError(f"Two mistakes for {m.function} share the name {path.stem}.")
        path.write_text(mutant_source(assignment_id, m, reference))
        written.append((path, m))
    return written
