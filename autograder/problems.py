"""What can go wrong with a submission, each with a message a beginner understands."""

from __future__ import annotations


class Problem(AssertionError):
    """A failed check; `kind` names the category for the gradebook and the class report."""

    kind = "wrong"

    def __init__(
        self, message: str, *, hint: str = "", diagnosis: str = "", brief: str = ""
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.diagnosis = diagnosis  # the catalogued mistake this result reproduces, if any
        # what a hidden test may say: the kind of failure, no input or expected value
        self.brief = brief or message

    def __str__(self) -> str:
        hint = self.diagnosis or self.hint
        return self.message + (f"\nHint: {hint}" if hint else "")


class Mismatch(Problem):
    """The function ran but its result is wrong."""


class Missing(Problem):
    kind = "missing"


class Raised(Problem):
    kind = "error"


class TimedOut(Problem):
    kind = "timeout"


class Crashed(Problem):
    kind = "crashed"


class NotGradable(Problem):
    """The submission file itself could not be read."""

    kind = "unreadable"


def raised(fn: str, error: object) -> Raised | Missing:
    """The problem a call that raised in the sandbox reports, from its error frame."""
    error = error if isinstance(error, dict) else {}
    kind = str(error.get("type", "an error"))[:80]
    if kind == "Missing":
        return Missing(f"`{fn}` exists in your submission but is not a function.")
    if kind == "NotImplementedError":
        return Raised(f"`{fn}` is not implemented yet: it still raises NotImplementedError.")
    where = str(error.get("where", ""))[:200]
    message = str(error.get("message", ""))[:300]
    text = f"Calling `{fn}` raised {kind}" + (f" ({where})" if where else "")
    return Raised(
        text + (f": {message}" if message else "."), brief=f"Calling `{fn}` raised {kind}."
    )
