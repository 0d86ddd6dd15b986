"""Write what grading found: Gradescope's results.json per student and the class gradebook.csv."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from pathlib import Path

from autograder.model import SubmissionResult
from autograder.text import safe_cell, write_atomic

GRADEBOOK_HEAD = ("student", "score", "max_score", "percent", "status")
HIDDEN_VISIBILITY = "after_published"  # Gradescope shows hidden tests once grades are published


def results_json(result: SubmissionResult) -> dict:
    """The submission in Gradescope's results format."""
    lines = [f"{result.assignment}: {result.score:g} / {result.max_score:g} points."]
    lines += result.notes
    return {
        "score": result.score,
        "execution_time": round(result.seconds, 3),
        "output": "\n".join(lines),
        "tests": [
            {
                "name": o.name,
                "score": round(o.score, 6),
                "max_score": round(o.max_score, 6),
                "status": "passed" if o.passed else "failed",
                "output": o.output,
                "visibility": "visible" if o.visible else HIDDEN_VISIBILITY,
            }
            for o in result.outcomes
        ],
    }


def write_results(result: SubmissionResult, out: Path) -> Path:
    """Write DIR/<student>/results.json."""
    path = out / result.student / "results.json"
    write_atomic(path, json.dumps(results_json(result), indent=2))
    return path


def gradebook_csv(
    results: list[SubmissionResult],
    functions: list[str],
    extra: tuple[list[str], Mapping[str, Mapping[str, str]]] = ([], {}),
) -> str:
    """One row per student: totals, status, the points for each graded function, then `extra`.

    `extra` is (column names, {student: {column: value}}); its names must not be functions'.
    """
    columns, values = extra
    clash = set(columns) & set(functions)
    if clash:
        raise ValueError(f"gradebook columns named like graded functions: {sorted(clash)}")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*GRADEBOOK_HEAD, *functions, *columns])
    for r in sorted(results, key=lambda r: r.student):
        percent = 100 * r.score / r.max_score if r.max_score else 0.0
        points = r.by_function()
        writer.writerow(
            [
                safe_cell(r.student),
                f"{r.score:g}",
                f"{r.max_score:g}",
                f"{percent:.1f}",
                safe_cell(r.status),
                *(f"{points.get(f, 0.0):g}" for f in functions),
                *(safe_cell(values.get(r.student, {}).get(c, "")) for c in columns),
            ]
        )
    return buffer.getvalue()
