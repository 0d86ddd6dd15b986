"""The earlier assignments' model answers, as the base a submission is loaded on.

A notebook that builds on an earlier assignment (neural_network on building_blocks) gets the
earlier functions from the student's own earlier notebook, which the grader does not have. So the
sandbox first loads the earlier assignments' model answers, then the submission: what the student
defines wins, and only what they use without defining comes from the model. A graded function of
the assignment being graded is never supplied.
"""

from __future__ import annotations

import ast

from autograder.assignments import ROOT, get
from autograder.model import Program
from autograder.sandbox.load import keeps
from autograder.source import bound_names, first_line, segment

CELL = "model answer of {id}"  # never "cell ...": a load error there is not the student's


def earlier_chunks(assignment_id: str, graded: set[str]) -> list[dict]:
    """The chunks of the earlier assignments' model answers, minus `graded` names and their
    imports of each other (`from solutions.building_blocks import ...`)."""
    chunks = []
    for earlier in get(assignment_id).builds_on:
        source = (ROOT / "solutions" / f"{earlier}.py").read_text()
        lines = source.splitlines()
        for stmt in ast.parse(source).body:
            if not keeps(stmt) or bound_names(stmt) & graded:
                continue
            if isinstance(stmt, ast.ImportFrom) and (stmt.module or "").startswith("solutions"):
                continue
            cell = CELL.format(id=earlier)
            chunks.append({"cell": cell, "line": first_line(stmt), "source": segment(lines, stmt)})
    return chunks


def on_earlier(program: Program, base: list[dict]) -> Program:
    """The submission's program, loaded after the earlier model answers `base`."""
    return Program([*base, *program.chunks], program.notes) if base else program
