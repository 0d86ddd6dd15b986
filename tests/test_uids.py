"""Without bubblewrap, each sandbox runs as a uid of its own, and nothing it starts outlives it."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from autograder.sandbox import uids

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="switching user needs root")


def _as(uid: int):
    def drop() -> None:
        os.setsid()
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)

    return drop


def test_two_sandboxes_never_share_a_uid_nor_read_each_others_scratch() -> None:
    first, second = uids.claim(), uids.claim()
    scratch = Path(tempfile.mkdtemp(prefix="nnkit-uid-test-"))
    try:
        assert first.uid != second.uid and min(first.uid, second.uid) >= uids.FIRST
        (scratch / "program.json").write_text("the other student's code")
        for path in (scratch, scratch / "program.json"):
            os.chown(path, first.uid, first.uid)
        scratch.chmod(0o755)  # even a careless mode leaves the file to its owner alone
        (scratch / "program.json").chmod(0o600)
        peek = ["cat", str(scratch / "program.json")]
        own = subprocess.run(peek, preexec_fn=_as(first.uid), capture_output=True, text=True)
        other = subprocess.run(peek, preexec_fn=_as(second.uid), capture_output=True, text=True)
        assert own.stdout == "the other student's code"
        assert other.returncode != 0 and "Permission denied" in other.stderr
    finally:
        first.release()
        second.release()
        shutil.rmtree(scratch)


def test_releasing_a_uid_kills_what_escaped_the_sandbox() -> None:
    held = uids.claim()
    escaped = subprocess.Popen(["sleep", "60"], preexec_fn=_as(held.uid))  # its own session
    try:
        held.release()
        assert escaped.wait(timeout=10) == -9
    finally:
        escaped.kill()
        escaped.wait()
