"""The Gradescope autograder zip runs our engine on a local /autograder layout."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
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


HOSTILE = """import glob


def _loot():
    text = ""
    for pattern in ("/autograder/source/nnkit/solutions/*.py",
                    "/var/tmp/*/source/nnkit/solutions/*.py",
                    "/var/tmp/*/source/nnkit/assignments/*/suite.py"):
        for path in glob.glob(pattern):
            try:
                text += open(path).read()
            except OSError as e:
                text += f"[{path}: {e.strerror}]"
    wanted = [line for line in text.splitlines() if "exp(" in line]  # the model line first
    return chr(10).join(wanted) + text or "[nothing found]"


def sigmoid(z):
    loot = _loot()
    print(loot)
    raise ValueError(loot[:3000])
"""


def _lock_down(source: Path) -> None:
    for path in [source, *source.rglob("*")]:
        path.chmod(path.stat().st_mode & 0o700)


@pytest.fixture(scope="module")
def docker_like(tmp_path_factory) -> dict[str, str]:
    """A Gradescope-like root without bubblewrap: world-usable Python with the pinned
    requirements (as setup.sh installs them), a PATH without bwrap; the environment to run with."""
    system = Path("/usr/bin/python3")
    if not system.exists():
        pytest.skip("no system Python to build a runtime an unprivileged user can use")
    root = Path(tempfile.mkdtemp(prefix="nnkit-gs-", dir="/var/tmp"))
    try:
        root.chmod(0o755)  # like /autograder: the runtime below it is for everyone
        archive = build_zip("logistic_regression", tmp_path_factory.mktemp("zip"))
        with zipfile.ZipFile(archive) as z:
            z.extractall(root / "source")
        _lock_down(root / "source")  # as setup.sh does, before anything else runs
        subprocess.run([str(system), "-m", "venv", str(root / "venv")], check=True, timeout=120)
        python = root / "venv" / "bin" / "python"
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "-r",
             str(root / "source" / "requirements.txt")],
            check=True, capture_output=True, timeout=600,
        )  # fmt: skip
        tools = root / "bin"  # every command of /usr/bin and /bin but bwrap: as in a container
        tools.mkdir()
        for folder in (Path("/usr/bin"), Path("/bin")):
            for tool in folder.iterdir():
                if tool.name != "bwrap" and not os.path.lexists(tools / tool.name):
                    (tools / tool.name).symlink_to(tool)
    except BaseException:
        shutil.rmtree(root)  # nothing world-readable is left behind
        raise
    yield {"AUTOGRADER_ROOT": str(root), "NNKIT_PYTHON": str(python), "PATH": str(tools)}
    shutil.rmtree(root)


def _run_without_bwrap(env: dict[str, str], files: dict[str, str]) -> dict:
    root = Path(env["AUTOGRADER_ROOT"])
    shutil.rmtree(root / "submission", ignore_errors=True)
    (root / "submission").mkdir()
    for name, text in files.items():
        (root / "submission" / name).write_text(text)
    ran = subprocess.run(
        ["bash", str(root / "source" / "run_autograder")],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert "SANDBOX IS WEAKER" in ran.stderr, ran.stderr  # it ran without bubblewrap
    return json.loads((root / "results" / "results.json").read_text())


@pytest.mark.slow
def test_without_bubblewrap_the_zip_grades_as_an_unprivileged_user(docker_like):
    results = _run_without_bwrap(docker_like, {"mine.py": REFERENCE.read_text()})
    assert results["score"] == sum(t["max_score"] for t in results["tests"]) > 0


@pytest.mark.slow
def test_without_bubblewrap_a_submission_cannot_read_the_model_answers(docker_like):
    root = Path(docker_like["AUTOGRADER_ROOT"])
    assert (root / "source" / "nnkit" / "solutions" / "logistic_regression.py").exists()
    results = _run_without_bwrap(docker_like, {"mine.py": HOSTILE})
    text = json.dumps(results)
    model = [line for line in REFERENCE.read_text().splitlines() if "np.exp(-" in line]
    assert model and not any(line.strip() in text for line in model)
    assert "Permission denied" in text or "nothing found" in text, text  # it tried
    sigmoid = [t for t in results["tests"] if t["name"].startswith("sigmoid")]
    assert sigmoid and all(t["score"] == 0 for t in sigmoid)


@pytest.mark.slow
def test_without_bubblewrap_grading_refuses_where_a_secret_is_readable(docker_like, tmp_path):
    root = Path(docker_like["AUTOGRADER_ROOT"])
    open_out = root / "open-results"  # readable by everyone, as a careless --out would be
    open_out.mkdir(mode=0o755, exist_ok=True)
    ran = subprocess.run(
        [docker_like["NNKIT_PYTHON"], "-m", "autograder", "grade", "logistic_regression",
         str(REFERENCE), "--out", str(open_out), "--no-progress"],
        cwd=root / "source" / "nnkit", env=docker_like, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert ran.returncode == 2 and str(open_out) in ran.stderr, ran.stderr
    assert "--allow-weaker-sandbox" in ran.stderr and not (open_out / "gradebook.csv").exists()
