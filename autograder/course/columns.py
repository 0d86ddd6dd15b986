"""The gradebook's columns after the graded functions: where each row came from, and more."""

from __future__ import annotations

import json
from pathlib import Path

from autograder.engine import SubmissionResult

SOURCE = "source_file"


def submission_info(out: Path, student: str) -> dict:
    """What intake recorded about a student's submission (DIR/<student>/submission.json)."""
    try:
        data = json.loads((Path(out) / student / "submission.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def extra_columns(
    results: list[SubmissionResult], out: Path
) -> tuple[list[str], dict[str, dict[str, str]]]:
    """The further columns' names and each student's values in them."""
    values = {r.student: {SOURCE: str(submission_info(out, r.student).get("source", ""))}
              for r in results}  # fmt: skip
    return [SOURCE], values
