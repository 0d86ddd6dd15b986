"""Which graded functions stand in for the model answer when a test calls a graded function.

One mistake costs once (shared/CONTRACT.md section 4): when a test calls the student's `forward`,
the graded functions that the model `forward` itself calls (`sigmoid`) resolve to the model
answer for that call. The list is read from the reference's source, once per assignment.
"""

from __future__ import annotations

import ast
import inspect
from types import ModuleType

from autograder.model import Outcome
from autograder.source import bound_names


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def model_calls(reference: ModuleType, graded: list[str]) -> dict[str, list[str]]:
    """For each graded function, the graded functions its model answer calls.

    What it uses through the reference's private helpers (`_step`) and module-level tables
    (`ACTIVATIONS = {"relu": relu, ...}`) counts as its own; a function never stands in for
    itself.
    """
    tree = ast.parse(inspect.getsource(reference))
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    tables = {  # module-level names bound to values that name functions: {"relu": relu, ...}
        name: stmt.value
        for stmt in tree.body
        if isinstance(stmt, ast.Assign | ast.AnnAssign) and stmt.value is not None
        for name in bound_names(stmt)
    }
    found = {}
    for fn in graded:
        if fn not in functions:
            continue
        calls, todo, seen = set(), [functions[fn]], set()
        while todo:
            for name in _names(todo.pop()) - seen:
                seen.add(name)
                if name in graded and name != fn:
                    calls.add(name)
                elif name.startswith("_") and name in functions:
                    todo.append(functions[name])
                elif name in tables:
                    todo.append(tables[name])
        found[fn] = sorted(calls)
    return found


def attribution(outcomes: list[Outcome], used: dict[str, set[str]]) -> list[str]:
    """Notes for functions that are right but call a graded function of the student's that is
    wrong: it stood in while they were graded, and it will not in the student's own program."""
    lost = {o.function for o in outcomes if not o.passed}
    graded = {o.function for o in outcomes}
    notes = []
    for fn in sorted(used.keys() & graded - lost):
        wrong = sorted(used[fn] & lost)
        if wrong:
            which = " and ".join(wrong)
            notes.append(
                f"{fn} is right; it calls your {which}, which {'is' if len(wrong) == 1 else 'are'}"
                f" wrong: fix {which} first."
            )
    return notes
