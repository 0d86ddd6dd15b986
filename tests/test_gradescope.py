"""The Gradescope autograder zip runs our engine on a local /autograder layout."""

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder.export.gradescope import build_zip

REFERENCE = Path(__file__).parent.parent / "solutions" / "logistic_regression.py"


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory) -> Path:
    """The zip, unpacked as Gradescope unpacks it into /autograder/source."""
    root = tmp_path_factory.mktemp("autograder")
    archive = build_zip("logistic_regression", root)
    with zipfile.ZipFile(archive) as z:
        names = set(z.namelist())
        z.extractall(root / "source")
    assert {"setup.sh", "run_autograder", "requirements.txt"} <= names
    others = ("nnkit/tests/", "nnkit/assignments/neural_network/", "nnkit/.venv/")
    assert not any(n.startswith(others) for n in names)
    return root


def run(root: Path, files: dict[str, str]) -> dict:
    """Put `files` in the submission folder, run run_autograder, read results.json."""
    submission = root / "submission"
    if submission.exists():
        for f in submission.iterdir():
            f.unlink()
    submission.mkdir(exist_ok=True)
    for name, text in files.items():
        (submission / name).write_text(text)
    env = {"AUTOGRADER_ROOT": str(root), "NNKIT_PYTHON": sys.executable, "PATH": "/usr/bin:/bin"}
    subprocess.run(
        ["bash", str(root / "source" / "run_autograder")],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return json.loads((root / "results" / "results.json").read_text())


def test_reference_gets_full_marks(unpacked):
    results = run(unpacked, {"mine.py": REFERENCE.read_text()})
    assert results["score"] == sum(t["max_score"] for t in results["tests"]) > 0
    assert {t["visibility"] for t in results["tests"]} <= {"visible", "after_published"}


def test_stub_scores_zero(unpacked):
    results = run(unpacked, {"mine.py": "def sigmoid(z):\n    raise NotImplementedError\n"})
    assert results["score"] == 0 and results["tests"]


def test_empty_submission_gets_a_message(unpacked):
    results = run(unpacked, {"README.txt": "nothing here"})
    assert results["score"] == 0 and "no notebook" in results["output"]
