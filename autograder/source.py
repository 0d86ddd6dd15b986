"""Reading Python source with ast: what a statement binds, its text, its docstring.

One toolkit for every stage that cuts source: the loader, the check file, the suite's public
part, sync, the leak check, the mutants and the otter export.
"""

from __future__ import annotations

import ast
import builtins


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


def free_names(node: ast.AST) -> set[str]:
    """Names a function (or statement) reads that it does not bind itself (an approximation).

    A function's decorators are not counted (a mutant drops them).
    """
    loaded, bound = set(), set()
    parts = (
        [node.args, *node.body, *([node.returns] if node.returns else [])]
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        else [node]
    )
    for sub in (s for part in parts for s in ast.walk(part)):
        if isinstance(sub, ast.Name):
            (loaded if isinstance(sub.ctx, ast.Load) else bound).add(sub.id)
        elif isinstance(sub, ast.arg):
            bound.add(sub.arg)
        elif (
            isinstance(sub, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and sub is not node
        ):
            bound.add(sub.name)
        elif isinstance(sub, ast.alias):
            bound.add((sub.asname or sub.name).split(".")[0])
    return loaded - bound - set(dir(builtins))
