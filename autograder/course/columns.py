"""What intake recorded about each submission, as the gradebook's further columns read it."""

from __future__ import annotations

import json
from pathlib import Path

from autograder.text import safe_cell

SOURCE = "source_file"
__all__ = ["SOURCE", "safe_cell", "submission_info"]


def submission_info(out: Path, student: str) -> dict:
    """What intake recorded about a student's submission (DIR/<student>/submission.json)."""
    try:
        data = json.loads((Path(out) / student / "submission.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
