"""Deadline and late policy: how late a submission is, and what that costs.

As Canvas's late policy does: a percentage of the points possible per day late (a started day
counts), up to a cap; a grace period after the deadline costs nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from autograder.config import LatePolicy

DAY = timedelta(days=1)


@dataclass(frozen=True)
class Lateness:
    """How late one submission is and its penalty in points."""

    late_by: timedelta  # after the deadline (zero when on time); grace not subtracted
    days_charged: int
    penalty: float  # points


def lateness(policy: LatePolicy, submitted_at: datetime, max_score: float) -> Lateness:
    """What `policy` charges a submission made at `submitted_at` worth `max_score` points."""
    late_by = max(submitted_at - policy.deadline, timedelta(0))
    charged = late_by - policy.grace
    days = math.ceil(charged / DAY) if charged > timedelta(0) else 0
    percent = min(policy.cap_percent, days * policy.percent_per_day)
    return Lateness(late_by, days, round(max_score * percent / 100, 6))


def describe(late_by: timedelta) -> str:
    """A lateness as people write it: 0, 45m, 5h 10m, 2d 3h."""
    minutes = int(late_by.total_seconds() // 60)
    if minutes <= 0:
        return "0"
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = (
        [f"{days}d"] * bool(days)
        + [f"{hours}h"] * bool(hours)
        + [f"{minutes}m"] * bool(minutes and not days)
    )
    return " ".join(parts) or "0"
