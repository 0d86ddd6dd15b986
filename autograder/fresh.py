"""Run one of the kit's modules again in a fresh Python process (for work that owns pytest)."""

from __future__ import annotations

import os
import subprocess
import sys

from autograder.assignments import ROOT


class FreshRunError(RuntimeError):
    """The fresh process failed; the message is its last line of output."""


def run_fresh(module: str, *args: str, timeout: float) -> str:
    """`python -m module args...` with the kit importable; returns its standard output."""
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *sys.path[1:]])},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        raise FreshRunError(lines[-1] if lines else f"{module} exited with {done.returncode}")
    return done.stdout
