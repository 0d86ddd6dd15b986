"""Read a submission (.ipynb or .py) and keep only what grading needs: imports and definitions.

Top-level experiments, prints, plots and training runs are not run by the grader, so a cell that
loops forever or eats memory cannot cost the points of functions that are defined correctly.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat

from autograder.problems import NotGradable
from autograder.sandbox.session import Program

MAX_BYTES = 20 * 2**20
KEPT_CELL_MAGICS = ("%%time", "%%timeit", "%%capture")
SAFE_CALL_ROOTS = {"np", "numpy", "math"}
NOTEBOOK_HELPERS = {"nnkit_check", "playground_data"}  # shipped beside the notebook, not graded


def load_submission(path: Path) -> Program:
    """Turn a submission file into the chunks the sandbox loads; raises NotGradable."""
    try:
        size = path.stat().st_size
    except OSError as e:
        raise NotGradable(f"The file {path.name} could not be read ({e.strerror}).") from None
    if size == 0:
        raise NotGradable(f"The file {path.name} is empty.")
    if size > MAX_BYTES:
        raise NotGradable(
            f"The file {path.name} is {size / 2**20:.0f} MiB; the limit is "
            f"{MAX_BYTES // 2**20} MiB. Clear the outputs and submit again."
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise NotGradable(f"{path.name} is not a text file.") from None
    cells = _notebook_cells(text, path.name) if path.suffix == ".ipynb" else [text]
    return _program(cells)


def _notebook_cells(text: str, name: str) -> list[str]:
    try:  # parse and upgrade without schema validation, which costs ~0.1 s per notebook
        nb = nbformat.convert(nbformat.reader.reads(text), 4)
    except Exception:  # nbformat raises many kinds for broken JSON
        raise NotGradable(
            f"{name} is not a valid Jupyter notebook (its JSON is broken). "
            "Open it in Jupyter, save it, and submit again."
        ) from None
    return [c.source for c in nb.cells if c.get("cell_type") == "code"]


def _strip_magics(source: str) -> str | None:
    """IPython syntax to plain Python: line magics and shell lines become `pass`."""
    lines = source.splitlines()
    if lines and lines[0].lstrip().startswith("%%"):
        if not lines[0].lstrip().startswith(KEPT_CELL_MAGICS):
            return None
        lines = ["", *lines[1:]]
    out = []
    for line in lines:
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")) or stripped.endswith("?"):
            line = line[: len(line) - len(stripped)] + "pass"
        out.append(line)
    return "\n".join(out)


def _is_safe_value(node: ast.AST) -> bool:
    """A constant-like value: no calls except numpy's or math's, so it cannot start a workload."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            root = sub.func
            while isinstance(root, ast.Attribute):
                root = root.value
            if not (isinstance(root, ast.Name) and root.id in SAFE_CALL_ROOTS):
                return False
        if isinstance(sub, ast.comprehension | ast.Await | ast.Yield):
            return False
    return True


def _keep(stmt: ast.stmt) -> bool:
    if isinstance(stmt, ast.ImportFrom) and stmt.module in NOTEBOOK_HELPERS:
        return False
    if isinstance(stmt, ast.Import | ast.ImportFrom | ast.FunctionDef | ast.AsyncFunctionDef):
        return True
    if isinstance(stmt, ast.ClassDef):
        return True
    if isinstance(stmt, ast.Assign | ast.AnnAssign) and stmt.value is not None:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        names = all(isinstance(t, ast.Name | ast.Tuple) for t in targets)
        return names and _is_safe_value(stmt.value)
    if isinstance(stmt, ast.Try):
        return all(_keep(s) or isinstance(s, ast.Pass) for s in stmt.body)
    return False


def _program(cells: list[str]) -> Program:
    chunks, notes, dropped = [], [], 0
    for number, cell in enumerate(cells, start=1):
        source = _strip_magics(cell)
        if source is None:
            continue
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as e:
            line = getattr(e, "lineno", None)
            where = f" at line {line}" if line else ""
            notes.append(
                f"Code cell {number} has a syntax error{where}, so nothing in it was "
                f"graded: {getattr(e, 'msg', type(e).__name__)}."
            )
            continue
        lines = source.splitlines()
        for stmt in tree.body:
            if not _keep(stmt):
                dropped += 1
                continue
            first = min([stmt.lineno] + [d.lineno for d in getattr(stmt, "decorator_list", [])])
            text = "\n".join(lines[first - 1 : stmt.end_lineno])
            chunks.append({"cell": f"cell {number}", "line": first, "source": text})
    if dropped:
        notes.append(
            f"The grader loads imports, functions and simple constants only; "
            f"{dropped} other top-level statements (experiments, prints, plots) "
            "were not run."
        )
    if not chunks:
        raise NotGradable("No function definitions were found in the submission.")
    return Program(chunks, notes)
