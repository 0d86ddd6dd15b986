"""Your functions from an earlier assignment, loaded from your own earlier notebook.

Shipped beside the notebook as `nnkit_earlier.py` (standard library only). In the notebook:

    from nnkit_earlier import load_earlier
    load_earlier("building_blocks", path="building_blocks.ipynb")

It reads the earlier notebook and runs only its imports, function and class definitions and simple
constants (as the grader does), so its experiments and plots are not run again. When your
instructor provides the model answers (a file `building_blocks_model.py` in this folder), those
are used instead.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import sys
from pathlib import Path

SAFE_CALL_ROOTS = {"np", "numpy", "math"}
SAFE_BUILTINS = {"float", "int", "abs", "min", "max", "round", "bool", "str", "tuple", "pow",
                 "len", "range", "list", "dict", "set", "frozenset", "sum", "complex"}  # fmt: skip
HELPERS = {"nnkit_check", "nnkit_earlier", "playground_data"}  # shipped files: as the grader
MODEL = "{assignment}_model.py"  # the model answers, when the instructor provides them
MISSING = (
    "{path} was not found. This notebook uses your functions from the {assignment} assignment: "
    "put your {assignment} notebook in this folder as {name}, or give its path, as in "
    "load_earlier({assignment!r}, path='path/to/{name}')."
)
STUB = (
    "{names} in {path} {verb} not written yet (it raises NotImplementedError). Finish {them} in "
    "{path}, save it, and run this cell again; until then this notebook cannot use {them}."
)


def _evaluated(node: ast.AST):
    """The nodes Python evaluates at definition time: a lambda's body waits for a call."""
    stack = [node]
    while stack:
        sub = stack.pop()
        yield sub
        if not isinstance(sub, ast.Lambda):
            stack.extend(ast.iter_child_nodes(sub))
        else:
            stack.extend(sub.args.defaults + [d for d in sub.args.kw_defaults if d])


def _is_safe_value(node: ast.AST) -> bool:
    """A constant-like value: calls only to numpy, math and simple builtins, no loops."""
    for sub in _evaluated(node):
        if isinstance(sub, ast.Call):
            root = sub.func
            while isinstance(root, ast.Attribute):
                root = root.value
            name = root.id if isinstance(root, ast.Name) else ""
            if name not in SAFE_CALL_ROOTS and not (sub.func is root and name in SAFE_BUILTINS):
                return False
        if isinstance(sub, ast.comprehension | ast.Await | ast.Yield):
            return False
    return True


def keeps(stmt: ast.stmt) -> bool:
    """What runs of a notebook, here and in the grader (load.py): imports, defs, constants."""
    if isinstance(stmt, ast.ImportFrom) and stmt.module in HELPERS:
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
        return all(keeps(s) or isinstance(s, ast.Pass) for s in stmt.body)
    return False


def _is_stub(stmt: ast.stmt) -> bool:
    """A function whose body (after its docstring) begins by raising NotImplementedError."""
    if not isinstance(stmt, ast.FunctionDef):
        return False
    body = stmt.body[1:] if ast.get_docstring(stmt) is not None else stmt.body
    first = body[0] if body else None
    if not isinstance(first, ast.Raise) or first.exc is None:
        return False
    exc = first.exc.func if isinstance(first.exc, ast.Call) else first.exc
    return isinstance(exc, ast.Name) and exc.id == "NotImplementedError"


def _cells(path: Path) -> list[str]:
    """The code cells' sources; IPython lines (`%time`, `!pip`) are left out."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    sources = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        if source.lstrip().startswith("%%"):
            continue
        lines = source.splitlines()
        sources.append("\n".join("pass" if ln.lstrip()[:1] in ("%", "!") else ln for ln in lines))
    return sources


def _stub(name: str, message: str):
    def stub(*args: object, **kwargs: object) -> object:
        raise NotImplementedError(message)

    stub.__name__ = name
    return stub


def _from_model(path: Path, namespace: dict) -> list[str]:
    """Copy the provided model module's public names; returns them."""
    folder = str((path.parent.parent if path.name == "__init__.py" else path.parent).resolve())
    sys.path.insert(0, folder)  # a model module may import an earlier one beside it
    try:
        name = path.parent.name if path.name == "__init__.py" else path.stem
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(folder)
    names = [n for n in vars(module) if not n.startswith("_")]
    namespace.update({n: getattr(module, n) for n in names})
    return names


def _from_notebook(path: Path, namespace: dict) -> tuple[list[str], list[str]]:
    """Run the notebook's definitions in `namespace`; returns (names defined, stubs)."""
    defined, stubs = [], []
    for number, source in enumerate(_cells(path), start=1):
        try:
            tree = ast.parse(source)
        except SyntaxError as e:
            print(f"{path}: code cell {number} has a syntax error (line {e.lineno}); skipped.")
            continue
        kept = [s for s in tree.body if keeps(s)]
        exec(compile(ast.Module(kept, []), f"{path.name}, cell {number}", "exec"), namespace)
        for stmt in kept:
            if isinstance(stmt, ast.FunctionDef | ast.ClassDef):
                defined.append(stmt.name)
                if _is_stub(stmt):
                    stubs.append(stmt.name)
    return defined, stubs


def load_earlier(
    assignment: str, path: str | Path | None = None, namespace: dict | None = None
) -> list[str]:
    """Define the earlier assignment's functions in the calling notebook; returns their names.

    The model answers (`<assignment>_model.py` in this folder) when the instructor provides them,
    otherwise your own notebook at `path` (default `<assignment>.ipynb`). Raises
    FileNotFoundError, with what to do, when neither is there.
    """
    if namespace is None:
        namespace = sys._getframe(1).f_globals  # the notebook's own variables
    model = Path(MODEL.format(assignment=assignment))
    if not model.exists():  # as otter ships support files: a package of that name
        model = model.with_suffix("") / "__init__.py"
    if model.exists():
        names = _from_model(model, namespace)
        print(f"Loaded the model answers of {assignment} ({model}).")
        return names
    notebook = Path(path or f"{assignment}.ipynb")
    if not notebook.exists():
        raise FileNotFoundError(
            MISSING.format(path=notebook, assignment=assignment, name=f"{assignment}.ipynb")
        )
    defined, stubs = _from_notebook(notebook, namespace)
    print(f"Loaded {len(defined)} functions of yours from {notebook}.")
    if stubs:
        message = STUB.format(
            names=", ".join(stubs),
            path=notebook,
            verb="is" if len(stubs) == 1 else "are",
            them="it" if len(stubs) == 1 else "them",
        )
        namespace.update({name: _stub(name, message) for name in stubs})
        print("Warning: " + message)
    return defined
