"""Build `nnkit_check.py`: the grader's checking code and an assignment's public tests, in one file.

The file holds, in order: the kit's problems, wire format and comparisons (copied from the
grader, so the notebook words every message as the grader does), the notebook runtime
(`autograder/author/runtime.py`), the expected values of the public tests, and the public tests
cut out of the suite. It needs numpy and pytest, nothing else; it holds no reference code and no
hidden test.

The expected values are recorded by running the public tests once, with the reference standing in
for the student, through the very file that ships; a second run on the final file must pass
again with only the stored values.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import shutil
import sys
import tempfile
import textwrap
import uuid
from pathlib import Path
from types import ModuleType

from autograder.assignments import ROOT, Assignment, get
from autograder.author.suite_info import SuiteError, public_part, read_suite
from autograder.fresh import FreshRunError, run_fresh
from autograder.source import bound_names, is_docstring, segment
from autograder.suite.collect import SuiteItems, collect
from autograder.suite.diagnose import Catalogue
from autograder.suite.standins import model_calls

KIT = ROOT / "autograder"
# (file, the names to copy from it, or None for the whole module)
INLINED: tuple[tuple[Path, tuple[str, ...] | None], ...] = (
    (KIT / "problems.py", None),
    (KIT / "wire.py", None),
    (KIT / "model.py", ("Outcome", "Reply")),
    (KIT / "suite" / "compare.py", None),
    (KIT / "suite" / "diagnose.py", ("ALL_PARTS", "first_match")),
    (KIT / "suite" / "plugin.py", None),
    (KIT / "author" / "runtime.py", None),
)
KIT_MODULES = ("autograder",)
# Kit modules that ship next to a student notebook under another name.
SHIPPED_MODULES = {"solutions.playground": "playground_data"}
GENERATED = ("ASSIGNMENT", "FUNCTIONS", "RECORDED")


class CheckFileError(RuntimeError):
    """nnkit_check.py cannot be built for this assignment; the message says why."""


class _Assembler:
    """Collects imports and definitions, refusing a name defined twice."""

    def __init__(self) -> None:
        self.imports: list[str] = []
        self.sections: list[str] = []
        self.defined: dict[str, str] = {}

    def add_import(self, node: ast.stmt) -> None:
        text = ast.unparse(node)
        if text not in self.imports:
            self.imports.append(text)

    def add_section(self, title: str, where: str, chunks: list[tuple[ast.stmt, str]]) -> None:
        for node, _ in chunks:
            for name in bound_names(node):
                if name in self.defined:
                    raise CheckFileError(
                        f"{name!r} is defined both in {self.defined[name]} and in {where}: "
                        "rename one of them, so nnkit_check.py can hold both."
                    )
                self.defined[name] = where
        body = "\n\n\n".join(text for _, text in chunks)
        rule = f"# {'-' * 64} {title}"
        self.sections.append(f"{rule}\n\n{body}\n")

    def add_module(
        self, path: Path, names: tuple[str, ...] | None, replace: dict[str, str] | None = None
    ) -> None:
        source = path.read_text()
        lines = source.splitlines()
        tree = ast.parse(source)
        chunks = []
        for node in tree.body:
            if is_docstring(node):
                continue
            if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                continue
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(KIT_MODULES):
                continue  # those names are inlined too
            if isinstance(node, ast.Import | ast.ImportFrom):
                if names is None:
                    self.add_import(node)
                continue
            if names is not None and not (bound_names(node) & set(names)):
                continue
            text = segment(lines, node)
            for name in bound_names(node) & set(replace or {}):
                text = replace[name]
            chunks.append((node, text))
        if names is not None:
            missing = set(names) - set().union(*(bound_names(n) for n, _ in chunks))
            if missing:
                raise CheckFileError(f"{path.name} no longer defines {', '.join(sorted(missing))}.")
        where = str(path.relative_to(ROOT))
        self.add_section(f"from {where}", where, chunks)

    def text(self, header: str) -> str:
        imports = "\n".join(sorted(self.imports, key=lambda s: (s.startswith("from"), s)))
        return f"{header}\nfrom __future__ import annotations\n\n{imports}\n\n\n" + "\n\n".join(
            self.sections
        )


def _recorded_literal(blob: str) -> str:
    if not blob:
        return 'RECORDED = ""'
    parts = textwrap.wrap(blob, 88)
    body = "\n".join(f'    "{p}"' for p in parts)
    return f"RECORDED = (\n{body}\n)"


def functions_table(assignment: Assignment, items: SuiteItems) -> dict[str, dict]:
    """Per graded function: its public and hidden checks, and the graded functions it uses."""
    calls = model_calls(assignment.reference, list(items.points()))
    return {fn: {**n, "calls": calls.get(fn, [])} for fn, n in items.counts().items()}


def assemble(
    assignment: Assignment, items: SuiteItems, recorded: str, *, include_hidden: bool = False
) -> str:
    """The text of nnkit_check.py for this assignment.

    With `include_hidden` (instructor side only: the otter autograder of
    autograder/export/otter.py), the file holds the hidden tests too and runs them, seeded as the
    grader seeds them. Never hand that file to students.
    """
    public, hidden = items.tests(public=True), items.tests(public=False)
    if include_hidden:
        public, hidden = public | hidden, set()
    part = public_part(read_suite(items.path), public, hidden, ("autograder", "solutions"))
    out = _Assembler()
    replace = {
        "ASSIGNMENT": f"ASSIGNMENT = {assignment.id!r}",
        "FUNCTIONS": f"FUNCTIONS: dict[str, dict] = {functions_table(assignment, items)!r}",
        "RECORDED": _recorded_literal(recorded),
    }
    if include_hidden:
        replace["INCLUDE_HIDDEN"] = "INCLUDE_HIDDEN = True"
    for path, names in INLINED:
        out.add_module(path, names, replace if path.name == "runtime.py" else None)

    lines = []
    for module, names in sorted(part.imports_from_kit.items()):
        if module in SHIPPED_MODULES:
            lines.append(f"from {SHIPPED_MODULES[module]} import {', '.join(sorted(names))}")
            continue
        if not module.startswith(KIT_MODULES):
            raise CheckFileError(
                f"the public tests import {', '.join(sorted(names))} from {module}, which does "
                "not ship with the notebook: build those inputs in the suite instead."
            )
        missing = sorted(n for n in names if n not in out.defined)
        if missing:
            raise CheckFileError(
                f"the public tests import {', '.join(missing)} from {module}, which "
                "nnkit_check.py does not hold (it inlines problems, wire, compare)."
            )
    public_source = "\n".join(lines) + ("\n\n\n" if lines else "") + part.source
    tree = ast.parse(public_source)
    chunks = [(n, segment(public_source.splitlines(), n)) for n in tree.body]
    title = f"the {'hidden and ' if include_hidden else ''}public tests of {items.path.name}"
    out.add_section(title, title, chunks)
    header = (
        f'"""Public checks for the `{assignment.id}` notebook: run check("function") there.\n\n'
        "Generated by nnkit from the course's grader: do not edit. It holds the grader's own\n"
        "messages and the public tests only; the hidden tests run when your notebook is graded.\n"
        '"""\n'
    )
    if include_hidden:
        header = (
            f'"""Every test of the `{assignment.id}` suite, hidden ones included, with the\n'
            "expected values recorded from the reference. Generated by nnkit for instructors (the\n"
            'otter autograder): never give this file to students. Do not edit.\n"""\n'
        )
    return out.text(header)


# ---------------------------------------------------------------- recording the expected values


def _import_fresh(text: str, folder: Path) -> ModuleType:
    """Import `text` as a module of its own, under a name nothing else uses."""
    name = f"_nnkit_check_{uuid.uuid4().hex}"
    path = folder / f"{name}.py"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _run(module: ModuleType, namespace: dict, **kwargs: object) -> list:
    try:
        return module.run_checks(None, namespace=namespace, **kwargs)
    finally:
        sys.modules.pop(module.__name__, None)


def build(assignment: Assignment, *, include_hidden: bool = False) -> str:
    """Record the public tests' expected values with the reference; return the file's text.

    The recording runs in a fresh Python process: the file's pytest markers must not meet the
    pytest session, if any, that the caller runs in. Raises CheckFileError when a public test
    fails with the reference as the student, or when the stored values do not reproduce it.
    `include_hidden`: every test, hidden ones too (instructor side only, see `assemble`).
    """
    with tempfile.TemporaryDirectory(prefix="nnkit-check-") as folder:
        out = Path(folder) / "nnkit_check.py"
        args = [assignment.id, str(out), assignment.reference.__name__]
        try:
            run_fresh(
                "autograder.author.checkfile",
                *args,
                *(["--include-hidden"] if include_hidden else []),
                timeout=300,
            )
        except FreshRunError as e:
            raise CheckFileError(str(e)) from None
        return out.read_text()


def build_here(
    assignment: Assignment, reference: ModuleType, *, include_hidden: bool = False
) -> str:
    """`build`, in this process (which must not be running a pytest session)."""
    items = collect(assignment.suite)
    catalogue = Catalogue.from_module(assignment.mistakes, reference)
    folder = Path(tempfile.mkdtemp(prefix="nnkit-check-"))
    for module, shipped in SHIPPED_MODULES.items():  # as next to the student notebook
        shutil.copy(ROOT / (module.replace(".", "/") + ".py"), folder / f"{shipped}.py")
    sys.path.insert(0, str(folder))
    try:
        text = assemble(assignment, items, "", include_hidden=include_hidden)
        draft = _import_fresh(text, folder)
        recording = draft.Recording(reference, catalogue)
        outcomes = _run(
            draft,
            dict(vars(reference)),
            reference=recording.reference,
            mistakes=recording.mistakes,
        )
        _require_all_pass(assignment, items, outcomes, "with the reference as the student")
        text = assemble(assignment, items, recording.dump(), include_hidden=include_hidden)
        final = _import_fresh(text, folder)
        replayed = _run(final, dict(vars(reference)))
        _require_all_pass(assignment, items, replayed, "replaying the stored values")
        if len(replayed) != len(outcomes):
            raise CheckFileError(f"{assignment.id}: the replay ran a different number of checks.")
        return text
    finally:
        sys.path.remove(str(folder))
        for shipped in SHIPPED_MODULES.values():
            sys.modules.pop(shipped, None)
        shutil.rmtree(folder, ignore_errors=True)


def _require_all_pass(assignment: Assignment, items: SuiteItems, outcomes: list, how: str) -> None:
    if items.public() and not outcomes:
        raise CheckFileError(f"{assignment.id}: no public test ran {how}.")
    failed = [o for o in outcomes if not o.passed]
    if failed:
        details = "; ".join(f"{o.name}: {o.output} {o.debug}".strip() for o in failed)
        raise CheckFileError(f"{assignment.id}: public tests fail {how}: {details}")


def main(argv: list[str]) -> int:
    """`python -m autograder.author.checkfile ID OUT REFERENCE [--include-hidden]`: `build`."""
    include_hidden = "--include-hidden" in argv
    assignment_id, out, reference = [a for a in argv if a != "--include-hidden"]
    assignment = get(assignment_id)
    try:
        module = importlib.import_module(reference)
        text = build_here(assignment, module, include_hidden=include_hidden)
    except (CheckFileError, SuiteError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    Path(out).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
