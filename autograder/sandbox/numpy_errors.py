"""numpy's floating-point errors during a graded call, which the call cannot silence.

Copied into the sandbox beside worker.py. While a call runs, a division by zero, an overflow or an
invalid value reaches the grader's callback instead of a warning the submission could filter; the
submission's np.errstate, np.seterr and np.seterrcall keep their effect on its own code, except
that they no longer hide these errors from the grader. numpy's own calls are left as they are.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

import numpy as np

HEARD = ("divide", "over", "invalid")  # underflow is harmless, and 'raise' stays the student's
_errstate, _seterr, _seterrcall = np.errstate, np.seterr, np.seterrcall
_heard: list[str] = []


@contextlib.contextmanager
def heard() -> Iterator[list[str]]:
    """Hear the errors of the code run inside; yields their descriptions."""
    _heard.clear()
    with _errstate(call=_hear, **dict.fromkeys(HEARD, "call")):
        yield _heard


def install() -> None:
    """Give the submission numpy functions that cannot silence the errors heard."""
    np.errstate, np.seterr, np.seterrcall = _Errstate, _submission_seterr, _submission_seterrcall


def _hear(kind: str, flag: int) -> None:
    _heard.append(f"RuntimeWarning: {kind} encountered")


def _heard_modes(settings: dict) -> dict:
    """numpy error modes as asked, except that ignoring (or printing, logging, warning about) a
    division by zero, overflow or invalid value still tells the grader: a call cannot hide its
    overflow. Underflow, and 'raise', stay as asked."""
    every = settings.pop("all", None)
    modes = {key: settings.get(key) or every for key in (*HEARD, "under")}
    heard = {k: "call" if k in HEARD and m not in (None, "raise") else m for k, m in modes.items()}
    return {key: mode for key, mode in heard.items() if mode is not None}


def _by_submission() -> bool:
    """Whether the caller's caller is the submission's code (numpy's own calls stay as asked)."""
    return sys._getframe(2).f_code.co_filename.startswith("cell ")


class _Errstate(np.errstate):
    """np.errstate for the submission: the grader hears what it would silence."""

    def __init__(self, **settings: object) -> None:
        if _by_submission():
            call = {"call": _heard_callback(settings["call"])} if "call" in settings else {}
            settings = {**_heard_modes({k: v for k, v in settings.items() if k != "call"}), **call}
        super().__init__(**settings)


def _submission_seterr(all: str | None = None, **settings: str | None) -> dict:
    """np.seterr for the submission, as _Errstate."""
    settings = {"all": all, **settings}
    return _seterr(**(_heard_modes(settings) if _by_submission() else settings))


def _submission_seterrcall(func: object) -> object:
    """np.seterrcall for the submission: its callback runs, and the grader still hears."""
    return _seterrcall(_heard_callback(func) if _by_submission() else func)


def _heard_callback(func: object):
    def both(kind: str, flag: int) -> None:
        _hear(kind, flag)
        if callable(func):
            func(kind, flag)

    return both
