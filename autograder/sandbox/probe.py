"""Without bubblewrap: check, as the user student code will run as, that no secret is readable."""

from __future__ import annotations

import json
import os
import pwd
from pathlib import Path

from autograder.sandbox import uids
from autograder.sandbox.launcher import Isolation

PER_SECRET = 2000  # paths tried within each secret folder


def _readable(paths: list[str]) -> list[str]:
    """The paths this process can list (a folder) or open (a file)."""
    found = []
    for path in paths:
        try:
            if os.path.isdir(path):
                os.listdir(path)
            else:
                os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK))
            found.append(path)
        except OSError:
            pass
    return found


def user_name(isolation: Isolation) -> str:
    """Who student code runs as without bubblewrap."""
    if isolation.drop_uid is not None:
        return f"a uid of its own (from {uids.FIRST}, one per sandbox)"
    uid = os.geteuid()
    try:
        name = pwd.getpwuid(uid).pw_name
    except KeyError:
        name = f"uid {uid}"
    why = " (its Python runtime is not usable by an unprivileged user)" if uid == 0 else ""
    return name + why


def _within(path: Path) -> list[str]:
    """`path` and what lies under it: a folder that cannot be listed may still open by name."""
    found = [str(path)]
    if path.is_dir() and not path.is_symlink():
        for folder, dirs, files in os.walk(path):
            found += [os.path.join(folder, name) for name in dirs + files]
            if len(found) > PER_SECRET:
                break
    return found[: PER_SECRET + 1]


def readable_secrets(isolation: Isolation, secrets: list[Path]) -> list[Path]:
    """The secrets that student code could read on this machine; none inside bubblewrap."""
    if isolation.bwrap:
        return []
    paths = [inside for p in secrets if p.exists() for inside in _within(p)]
    held = uids.claim() if isolation.drop_uid is not None else None  # a sandbox's own uid
    try:
        return _probe(paths, held.uid if held else None)
    finally:
        if held:
            held.release()


def _probe(paths: list[str], uid: int | None) -> list[Path]:
    """Which of `paths` a real child process running as `uid` (else as us) can read."""
    read_fd, write_fd = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - a real process as the sandbox's user; reports by pipe
        code = 1
        try:
            os.close(read_fd)
            if uid is not None:
                os.setgroups([])
                os.setgid(uid)
                os.setuid(uid)
            with os.fdopen(write_fd, "w", encoding="utf-8", errors="surrogateescape") as pipe:
                json.dump(_readable(paths), pipe)
            code = 0
        finally:
            os._exit(code)
    os.close(write_fd)
    with os.fdopen(read_fd, encoding="utf-8", errors="surrogateescape") as pipe:
        said = pipe.read()
    if os.waitstatus_to_exitcode(os.waitpid(child, 0)[1]) != 0:
        raise RuntimeError("could not check what student code can read (the probe failed).")
    return [Path(p) for p in json.loads(said)]
