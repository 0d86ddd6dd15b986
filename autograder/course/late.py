"""Deadline and late policy: how late a submission is, and what that costs.

As Canvas's late policy does: a percentage of the points possible per day late (a started day
counts), up to a cap; a grace period after the deadline costs nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

DAY = timedelta(days=1)


@dataclass(frozen=True)
class LatePolicy:
    """The deadline and what each day late costs."""

    deadline: datetime  # timezone-aware
    grace: timedelta = timedelta(0)
    percent_per_day: float = 10.0  # of the points possible
    cap_percent: float = 100.0  # the most a late submission loses

    def __post_init__(self) -> None:
        if self.deadline.tzinfo is None:
            raise ValueError("The deadline needs a time zone, e.g. 2026-03-15T23:59+01:00.")
        if self.percent_per_day < 0 or not 0 <= self.cap_percent <= 100:
            raise ValueError("The late penalty per day must be >= 0 and its cap 0 to 100 (%).")

    def to_json(self) -> dict:
        """The policy as plain data (saved with the results, reused by later runs)."""
        return {
            "deadline": self.deadline.isoformat(),
            "grace_hours": self.grace.total_seconds() / 3600,
            "percent_per_day": self.percent_per_day,
            "cap_percent": self.cap_percent,
        }

    @classmethod
    def from_json(cls, data: dict) -> LatePolicy:
        return cls(
            deadline=parse_time(data["deadline"]),
            grace=timedelta(hours=float(data.get("grace_hours", 0))),
            percent_per_day=float(data.get("percent_per_day", 10)),
            cap_percent=float(data.get("cap_percent", 100)),
        )


@dataclass(frozen=True)
class Lateness:
    """How late one submission is and its penalty in points."""

    late_by: timedelta  # after the deadline (zero when on time); grace not subtracted
    days_charged: int
    penalty: float  # points


def parse_time(text: str) -> datetime:
    """An ISO 8601 time; one without an offset is read as UTC."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


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
