"""Reading Python source with ast: what a statement binds, its text, its docstring.

One toolkit for every stage that cuts source: the loader, the check file, the suite's public
part, sync, the leak check, the mutants and the otter export.
"""

from __future__ import annotations

import ast


def first_line(node: ast.stmt) -> int:
    """The statement's first line, its decorators included."""
    return min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])


def segment(lines: list[str], node: ast.stmt) -> str:
    """The statement's text, decorators included."""
    return "\n".join(lines[first_line(node) - 1 : node.end_lineno])


def bound_names(node: ast.stmt) -> set[str]:
    """The names a module-level statement binds (`from x import *` binds '*')."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {node.name}
    if isinstance(node, ast.Import | ast.ImportFrom):
        return {(a.asname or a.name).split(".")[0] for a in node.names}
    return {
        n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    }


def is_docstring(node: ast.stmt) -> bool:
    """A bare string statement."""
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def has_docstring(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> bool:
    return bool(node.body) and is_docstring(node.body[0])
