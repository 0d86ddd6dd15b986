"""Name a student's mistake by matching their result with catalogued mistakes on the same inputs.

The catalogued mistakes are our own code and run here, in the trusted process.
"""

from __future__ import annotations
import __future__

import ast
import copy
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

import numpy as np

from autograder.source import free_names
from autograder.suite.plugin import cache_key


@dataclass(frozen=True)
class Mistake:
    """A realistic wrong implementation of one graded function, and what to tell the student."""

    function: str
    message: str
    implementation: Callable
    source: str = ""  # a patched mistake's def: the reference's, with one edit (see `patched`)


def mistake(function: str, message: str) -> Callable[[Callable], Callable]:
    """Mark a function in a mistakes module as a wrong version of `function`."""

    def mark(impl: Callable) -> Callable:
        impl.mistake = Mistake(function, message, impl)
        return impl

    return mark


@dataclass(frozen=True)
class Patch:
    """A mistake written as the reference function with one edit: `old` becomes `new`."""

    reference: Callable
    old: str
    new: str
    message: str

    def mistake(self, name: str, namespace: dict) -> Mistake:
        """The patched function, named `name`, its names resolved in the mistakes module's
        `namespace` (then the reference module's); `old` must occur exactly once."""
        function = self.reference.__name__
        source = inspect.getsource(self.reference)
        where = f"{function} in {inspect.getsourcefile(self.reference)}"
        if source.count(self.old) != 1:
            raise ValueError(
                f"The mistake {name} patches {self.old!r}, which occurs "
                f"{source.count(self.old)} times in {where}: it must occur exactly once."
            )
        head = f"def {function}("
        if not source.startswith(head):
            raise ValueError(f"The mistake {name} patches {where}, which is not a plain def.")
        source = f"def {name}(" + source[len(head) :].replace(self.old, self.new)
        scope = {**self.reference.__globals__, **namespace}
        missing = sorted(free_names(ast.parse(source).body[0]) - set(scope))
        if missing:
            raise ValueError(
                f"The mistake {name} uses {', '.join(missing)}, defined neither in its mistakes "
                f"module nor beside {where}."
            )
        flags = __future__.annotations.compiler_flag  # the reference's hints stay unevaluated
        code = compile(source, f"<{name}: {where}, patched>", "exec", flags, dont_inherit=True)
        made: dict = {}
        exec(code, scope, made)
        return Mistake(function, self.message, made[name], source)


def patched(reference: Callable, old: str, new: str, *, message: str) -> Patch:
    """A mistake that is `reference` with the text `old` (found exactly once) replaced by `new`.

    Bind it to the mistake's name in a mistakes module: `name = patched(fn, old, new, message=...)`.
    """
    return Patch(reference, old, new, message)


ALL_PARTS = "all parts"  # `part=ALL_PARTS`: a list of results, diagnosed as one


class Catalogue:
    """All catalogued mistakes of one assignment."""

    def __init__(self, mistakes: list[Mistake], reference: ModuleType | None = None) -> None:
        self.mistakes, self.reference = mistakes, reference
        self._outputs: dict[str, np.ndarray | None] = {}

    @classmethod
    def from_module(
        cls, module: ModuleType | None, reference: ModuleType | None = None
    ) -> Catalogue:
        namespace = vars(module) if module else {}
        found = [
            v.mistake(name, namespace) if isinstance(v, Patch) else getattr(v, "mistake", None)
            for name, v in namespace.items()
        ]
        return cls([m for m in found if isinstance(m, Mistake)], reference)

    def _output(self, m: Mistake, args: tuple, kwargs: dict, part: object) -> np.ndarray | None:
        """The mistake's result on these inputs, computed once per batch (inputs are seeded)."""
        key = cache_key(m.function, m.message, list(args), kwargs, repr(part))
        if key is None or key not in self._outputs:
            try:
                with np.errstate(all="ignore"):
                    value = m.implementation(*copy.deepcopy(args), **copy.deepcopy(kwargs))
                if part == ALL_PARTS:  # several results read together (all the batches)
                    value = np.concatenate([np.ravel(v) for v in value])
                else:
                    value = value if part is None else value[part]
                value = np.asarray(value, dtype=float)
            except Exception:
                value = None
            if key is None:
                return value
            self._outputs[key] = value
        return self._outputs[key]

    def for_function(self, function: str) -> list[Mistake]:
        return [m for m in self.mistakes if m.function == function]

    def known(
        self, function: str, *args: object, part: int | str | None = None, **kwargs: object
    ) -> list[tuple[str, np.ndarray | None]]:
        """(message, result) of each mistake of `function` that these inputs tell apart from
        the model answer."""
        model = getattr(self.reference, function, None)
        right = self._output(Mistake(function, "", model), args, kwargs, part) if model else None
        found = [
            (m.message, self._output(m, args, kwargs, part)) for m in self.for_function(function)
        ]
        return distinct(found, right)

    def __call__(
        self, function: str, *args: object, part: int | str | None = None, **kwargs: object
    ) -> Callable[[np.ndarray], str | None]:
        """A diagnoser for `check_array`: the message of the mistake `got` reproduces. The
        mistakes run only when a wrong answer asks (a right one never needs them)."""
        args, kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
        return lambda got: first_match(self.known(function, *args, part=part, **kwargs), got)


def distinct(known: list[tuple[str, object]], right: object) -> list[tuple[str, object]]:
    """The mistakes whose result differs from the model answer's on these inputs: only those can
    be told apart from a right answer, so only those may be named."""
    if right is None:
        return known
    right = np.asarray(right, dtype=float)
    return [
        (message, value)
        for message, value in known
        if value is None
        or np.shape(value) != right.shape
        or not np.allclose(value, right, rtol=1e-6, atol=1e-12, equal_nan=True)
    ]


def first_match(known: list[tuple[str, object]], got: np.ndarray) -> str | None:
    """The message of the mistake `got` reproduces; none when several different ones do (these
    inputs cannot tell which one the student made)."""
    found = set()
    for message, value in known:
        if value is None:
            continue
        value = np.asarray(value, dtype=float)
        if value.shape == got.shape and np.allclose(
            value, got, rtol=1e-6, atol=1e-12, equal_nan=True
        ):
            found.add(message)
    return found.pop() if len(found) == 1 else None
