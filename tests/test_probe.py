"""The start-up probe reads as the sandbox's user, inside secret folders too."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from autograder.sandbox.launcher import (
    NO_BWRAP_ENV,
    NOBODY,
    Isolation,
    IsolationWarning,
    detect_isolation,
)
from autograder.sandbox.probe import readable_secrets

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="switching user needs root")
WEAKER = Isolation(bwrap=None, cgroups=False, gaps=("no bubblewrap",), drop_uid=NOBODY)


@pytest.fixture
def solutions() -> Iterator[Path]:
    """A reference folder that other users can reach, as a careless checkout leaves it."""
    top = Path(tempfile.mkdtemp(prefix="nnkit-probe-"))
    top.chmod(0o755)
    (top / "solutions").mkdir(mode=0o755)
    (top / "solutions" / "model.py").write_text("ANSWER = 42\n")
    (top / "solutions" / "model.py").chmod(0o644)
    yield top / "solutions"
    shutil.rmtree(top)


def test_a_folder_that_cannot_be_listed_still_gives_away_a_guessed_name(solutions: Path) -> None:
    model = solutions / "model.py"
    assert readable_secrets(WEAKER, [solutions]) == [solutions, model]
    solutions.chmod(0o711)  # no listing, but the student knows the file's name
    assert readable_secrets(WEAKER, [solutions]) == [model]
    model.chmod(0o600)
    assert readable_secrets(WEAKER, [solutions]) == []


def test_the_switch_makes_bubblewrap_unavailable(monkeypatch) -> None:
    monkeypatch.setenv(NO_BWRAP_ENV, "1")
    with pytest.warns(IsolationWarning, match="no bubblewrap"):
        assert detect_isolation(warm=False).bwrap is None
