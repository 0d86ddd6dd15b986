"""Write the solution cells of the master notebooks from the reference: `python -m autograder sync`.

The solution code lives once, in `solutions/<id>.py`. Each graded question's code cell in
`assignments/<id>/master.ipynb` is generated from it: the function's signature and docstring as
they are in the reference, then its body between `# BEGIN SOLUTION` and `# END SOLUTION`. Private
helpers the function uses (`_name`) come first, in a `# BEGIN SOLUTION NO PROMPT` block, so that
students never see them. Any other name the function needs (a constant such as `EPS`, another
graded function, an import) must be defined by the master itself, outside the solution cells;
sync says which are missing.

A code cell may also hold a `# SYNC: solutions.module, ...` line (or `# SYNC SOLUTION: ...`):
everything below it is a copy of those modules (see `directive_cells`).

`--check` changes nothing and fails when a master differs from what sync would write.
"""

from __future__ import annotations

import ast
import builtins
import symtable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import nbformat

from autograder.assignments import IDS, ROOT, Assignment, get
from autograder.author.master import SYNC_RE, Master, load_master
from autograder.source import bound_names, first_line, has_docstring, segment

MASTER_NAME = "master.ipynb"
BEGIN_HIDDEN = "# BEGIN SOLUTION NO PROMPT"
RUN_SYNC = "run python -m autograder sync"


class SyncError(ValueError):
    """The master and the reference do not fit together; the message says how to fix it."""


def master_path(assignment: Assignment) -> Path:
    return assignment.folder / MASTER_NAME


def _shown(path: Path) -> str:
    """The path as the instructor typed it: relative to the repository when inside it."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def existing_masters(ids: list[str] | tuple[str, ...] = IDS) -> list[Assignment]:
    """The assignments, among `ids`, that have a master notebook."""
    return [get(i) for i in ids if master_path(get(i)).exists()]


# ---------------------------------------------------------------- reading the reference


def _function_nodes(tree: ast.Module) -> dict[str, ast.FunctionDef]:
    return {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}


def _globals_used(source: str) -> set[str]:
    """Names a piece of module-level code reads from the module's globals."""
    table = symtable.symtable(source, "<solution>", "exec")
    names = {
        s.get_name()
        for s in table.get_symbols()
        if s.is_referenced() and not s.is_assigned() and not s.is_imported()
    }
    todo = list(table.get_children())
    while todo:
        child = todo.pop()
        todo += child.get_children()
        names |= {s.get_name() for s in child.get_symbols() if s.is_global() and s.is_referenced()}
    return names - set(dir(builtins))


def _split_function(lines: list[str], node: ast.FunctionDef) -> tuple[list[str], list[str], str]:
    """(header lines with the docstring, body lines, the body's indentation)."""
    first = first_line(node)
    if has_docstring(node):
        header_end = node.body[0].end_lineno
        start = node.body[1].lineno if len(node.body) > 1 else None
    else:
        header_end = node.body[0].lineno - 1
        start = node.body[0].lineno
        while header_end >= first and lines[header_end - 1].strip().startswith("#"):
            header_end -= 1  # a comment above the first statement belongs to the body
    header = lines[first - 1 : header_end]
    body = lines[header_end : node.end_lineno]
    while body and not body[-1].strip():
        body.pop()
    while body and not body[0].strip():
        body.pop(0)
    if start is None:
        indent = " " * (node.col_offset + 4)
    else:
        line = lines[start - 1]
        indent = line[: len(line) - len(line.lstrip())]
    return header, body, indent


@dataclass
class Reference:
    """The reference module's source, read once."""

    module: ModuleType
    path: Path
    lines: list[str]
    functions: dict[str, ast.FunctionDef]

    @classmethod
    def of(cls, module: ModuleType) -> Reference:
        path = Path(module.__file__ or "")
        source = path.read_text()
        return cls(module, path, source.splitlines(), _function_nodes(ast.parse(source)))

    def text(self, node: ast.FunctionDef) -> str:
        return segment(self.lines, node)

    def helpers(self, name: str) -> list[str]:
        """The private functions `name` uses, directly or through each other, in file order."""
        found: set[str] = set()
        todo = [name]
        while todo:
            used = _globals_used(self.text(self.functions[todo.pop()]))
            for helper in sorted(used):
                if helper.startswith("_") and helper in self.functions and helper not in found:
                    found.add(helper)
                    todo.append(helper)
        return [n for n in self.functions if n in found]

    def solution_cell(self, name: str) -> tuple[str, set[str]]:
        """The master's code cell for graded function `name`, and the globals it needs."""
        if name not in self.functions:
            raise SyncError(
                f"{_shown(self.path)} has no function {name!r} to write into the master "
                f"(the reference module is {self.module.__name__}: see autograder/assignments.py)."
            )
        parts, needs = [], set()
        helpers = self.helpers(name)
        if helpers:
            texts = "\n\n\n".join(self.text(self.functions[h]) for h in helpers)
            parts.append(f"# BEGIN SOLUTION NO PROMPT\n{texts}\n# END SOLUTION\n\n")
        for helper in helpers:
            needs |= _globals_used(self.text(self.functions[helper]))
        node = self.functions[name]
        header, body, indent = _split_function(self.lines, node)
        needs |= _globals_used(self.text(node))
        parts.append(
            "\n".join([*header, f"{indent}# BEGIN SOLUTION", *body, f"{indent}# END SOLUTION"])
        )
        return "".join(parts), needs - set(helpers)


# ---------------------------------------------------------------- the master's own names


def _bound_names(source: str) -> tuple[set[str], bool]:
    """Names a cell binds at top level, and whether it does `from x import *`."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set(), False
    names = set().union(*(bound_names(node) for node in tree.body))
    return names - {"*"}, "*" in names


def _master_names(master: Master, sources: dict[int, str]) -> tuple[set[str], bool]:
    synced = {q.code_cell for q in master.graded}
    names, star = {q.name for q in master.graded}, False
    for i, cell in enumerate(master.nb.cells):
        if cell.cell_type == "code" and i not in synced:
            bound, any_star = _bound_names(sources.get(i, cell.source))
            names |= bound | _loaded_earlier(sources.get(i, cell.source))
            star = star or any_star
    return names, star


def _loaded_earlier(source: str) -> set[str]:
    """The names a `load_earlier("building_blocks", ...)` call in the cell defines: the earlier
    assignment's (nnkit_earlier.py, shipped beside the notebook)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "load_earlier"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and str(node.args[0].value) in IDS
        ):
            module = ast.parse((ROOT / "solutions" / f"{node.args[0].value}.py").read_text())
            names |= {n for stmt in module.body for n in bound_names(stmt)}
    return names


# ---------------------------------------------------------------- copies of whole modules


def module_code(module: str) -> str:
    """A solutions module's code for a notebook: no docstring, no `from solutions` imports."""
    path = ROOT / (module.replace(".", "/") + ".py")
    if not module.startswith("solutions.") or not path.exists():
        raise SyncError(f"SYNC names {module!r}, which is not a module of solutions/.")
    source = path.read_text()
    lines = source.splitlines()
    drop: set[int] = set()
    for node in ast.parse(source).body:
        docstring = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        kit = isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            ("solutions", "__future__")
        )
        if docstring or kit:
            drop |= set(range(node.lineno - 1, node.end_lineno or node.lineno))
    kept = [line for i, line in enumerate(lines) if i not in drop]
    return "\n".join(kept).strip("\n")


def directive_cells(master: Master) -> dict[int, str]:
    """Cells with a `# SYNC:` line, as sync writes them: everything below that line is a copy.

    `# SYNC: solutions.a, solutions.b` copies the modules' code for all to see;
    `# SYNC SOLUTION: ...` copies it inside a `# BEGIN SOLUTION NO PROMPT` block, so that only the
    master and the solution notebook hold it (the student keeps the lines above the directive).
    """
    cells = {}
    for i, cell in enumerate(master.nb.cells):
        if cell.cell_type != "code":
            continue
        lines = cell.source.split("\n")
        found = [j for j, line in enumerate(lines) if SYNC_RE.match(line)]
        if not found:
            continue
        head = lines[: found[0] + 1]
        m = SYNC_RE.match(lines[found[0]])
        assert m is not None
        modules = [name.strip() for name in m.group(2).split(",") if name.strip()]
        code = "\n\n\n".join(module_code(name) for name in modules)
        if m.group(1):
            code = f"{BEGIN_HIDDEN}\n{code}\n# END SOLUTION"
        cells[i] = "\n".join(head) + "\n" + code
    return cells


# ---------------------------------------------------------------- sync


def expected_cells(assignment: Assignment, master: Master) -> dict[int, str]:
    """Cell index -> the source sync writes there; raises SyncError for missing names."""
    reference = Reference.of(assignment.reference)
    cells = directive_cells(master)
    defined, star = _master_names(master, cells)
    for q in master.graded:
        source, needs = reference.solution_cell(q.name)
        missing = sorted(needs - defined)
        if missing and not star:
            raise SyncError(
                f"{_shown(master.path)}: {q.name} (from "
                f"{reference.path.name}) uses {', '.join(missing)}, which the master does not "
                "define: add a cell outside the solutions that defines or imports "
                f"{'it' if len(missing) == 1 else 'them'}."
            )
        assert q.code_cell is not None
        cells[q.code_cell] = source
    return cells


def sync_assignment(assignment: Assignment, *, check: bool = False) -> list[str]:
    """Bring one master in line with the reference; returns what differed."""
    master = load_master(master_path(assignment))
    changed = []
    for index, source in expected_cells(assignment, master).items():
        cell = master.nb.cells[index]
        if cell.source != source:
            names = [q.name for q in master.graded if q.code_cell == index]
            changed.append(names[0] if names else f"the SYNC cell {index + 1}")
            cell.source = source
            cell.outputs, cell.execution_count = [], None
    if changed and not check:
        nbformat.write(master.nb, master.path)
    return changed


def sync_masters(ids: tuple[str, ...] = (), *, check: bool = False) -> dict[str, list[str]]:
    """Sync (or with `check`, only compare) masters: {master as shown: the cells that differ}."""
    assignments = existing_masters(ids or IDS)
    missing = sorted(set(ids) - {a.id for a in assignments})
    if missing:
        raise FileNotFoundError(f"no master notebook for {', '.join(missing)}")
    return {_shown(master_path(a)): sync_assignment(a, check=check) for a in assignments}
