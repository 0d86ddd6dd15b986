"""What intake recorded about each submission, as the gradebook's further columns read it."""

from __future__ import annotations

import json
from pathlib import Path

SOURCE = "source_file"


def submission_info(out: Path, student: str) -> dict:
    """What intake recorded about a student's submission (DIR/<student>/submission.json)."""
    try:
        data = json.loads((Path(out) / student / "submission.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
