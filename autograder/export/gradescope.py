"""Build a Gradescope autograder zip that runs this engine, sandbox included."""

from __future__ import annotations

import re
import zipfile
from importlib import metadata
from pathlib import Path

from autograder.assignments import ROOT, get

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder image. Where bubblewrap cannot run
# (Docker's default seccomp profile), student code runs as an unprivileged uid of its own, to
# whom run_autograder makes the kit, the reference and the suites unreadable.
set -euo pipefail
chown -R root:root /autograder/source && chmod -R go-rwx /autograder/source  # root's alone
apt-get update -qq
apt-get install -y -qq python3 python3-pip python3-venv bubblewrap
python3 -m pip install --break-system-packages -q -r /autograder/source/requirements.txt \\
  || python3 -m pip install -q -r /autograder/source/requirements.txt
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this as root for every submission. The grader stays root; student code runs in
# bubblewrap, or without it as an unprivileged uid of its own, which cannot read the kit, the
# reference, the suites or the results (the grader checks that before grading, and refuses
# otherwise).
set -uo pipefail
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
PYTHON="${{NNKIT_PYTHON:-python3}}"
chmod -R go-rwx "$ROOT/source" "$ROOT/submission"
WORK="$(mktemp -d)"
cd "$ROOT/source/nnkit"
first() {{ find "$ROOT/submission" -maxdepth 1 -name "$1" | sort | head -n 1; }}
submission=$(first '*.ipynb')
[ -n "$submission" ] || submission=$(first '*.py')
if [ -n "$submission" ]; then
  "$PYTHON" -m autograder grade {assignment} "$submission" --out "$WORK" --jobs 1 --no-progress
fi
mkdir -p "$ROOT/results" && chmod 700 "$ROOT/results"
results=$(find "$WORK" -mindepth 2 -maxdepth 2 -name results.json | sort | head -n 1)
if [ -n "$results" ]; then
  cp "$results" "$ROOT/results/results.json"
else
  echo '{{"score": 0, "output": "The submission has no notebook or .py file."}}' \\
    > "$ROOT/results/results.json"
fi
"""


def _requirements() -> str:
    """The kit's runtime dependencies, pinned to the versions the instructor's kit runs with."""
    needed = [r for r in metadata.requires("nnkit") or [] if "extra ==" not in r]
    names = [re.split(r"[ <>=!~;\[]", r, maxsplit=1)[0] for r in needed]
    return "".join(f"{name}=={metadata.version(name)}\n" for name in names)


def _kit_files(assignment_id: str) -> list[Path]:
    """The kit's source files this assignment needs: engine, reference, its suite."""
    files = [ROOT / "pyproject.toml"]
    for folder in (ROOT / "autograder", ROOT / "solutions", ROOT / "assignments" / assignment_id):
        files += [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return files


def build_zip(assignment_id: str, out: Path) -> Path:
    """Write OUT/<assignment>_gradescope.zip; upload it as a Gradescope programming assignment."""
    get(assignment_id)
    path = out / f"{assignment_id}_gradescope.zip"
    out.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in (
            ("setup.sh", SETUP_SH),
            ("run_autograder", RUN_AUTOGRADER.format(assignment=assignment_id)),
            ("requirements.txt", _requirements()),
        ):
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o755 << 16
            z.writestr(info, text)
        for file in _kit_files(assignment_id):
            z.write(file, Path("nnkit") / file.relative_to(ROOT))
    return path
