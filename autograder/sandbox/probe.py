"""Without bubblewrap: check, as the user student code will run as, that no secret is readable."""

from __future__ import annotations

import json
import os
import pwd
import subprocess
import sys
from pathlib import Path

from autograder.sandbox.launcher import Isolation

# Runs as the sandbox's user: prints the paths it can list or read.
PROBE = """
import json, os, sys
found = []
for path in sys.argv[1:]:
    try:
        os.listdir(path) if os.path.isdir(path) else open(path, "rb").close()
        found.append(path)
    except OSError:
        pass
print(json.dumps(found))
"""


def _as_user(uid: int | None):
    def drop() -> None:
        if uid is not None:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)

    return drop


def user_name(isolation: Isolation) -> str:
    """Who student code runs as without bubblewrap."""
    uid = isolation.drop_uid if isolation.drop_uid is not None else os.geteuid()
    try:
        name = pwd.getpwuid(uid).pw_name
    except KeyError:
        name = f"uid {uid}"
    why = " (its Python runtime is not usable by an unprivileged user)" if uid == 0 else ""
    return name + why


def readable_secrets(isolation: Isolation, secrets: list[Path]) -> list[Path]:
    """The secrets that student code could read on this machine; none inside bubblewrap."""
    if isolation.bwrap:
        return []
    paths = [str(p) for p in secrets if p.exists()]
    ran = subprocess.run(
        [sys.executable, "-I", "-c", PROBE, *paths],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        preexec_fn=_as_user(isolation.drop_uid),
        cwd="/",
        env={"PATH": "/usr/bin:/bin"},
    )
    if ran.returncode != 0:
        raise RuntimeError(f"could not check what student code can read: {ran.stderr[-300:]}")
    return [Path(p) for p in json.loads(ran.stdout)]
