"""Trusted comparisons of a student's values with the expected ones, with messages that teach.

Everything here runs in the grader's own process on data decoded from the sandbox. Messages
show shapes, counts and the largest error; values only when the test says `reveal=True`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from autograder.problems import Mismatch
from autograder.wire import Unreadable

Diagnose = Callable[[np.ndarray], str | None]
MIN_SCALE_VALUES = 3  # a "c times too large" hint needs the same factor on this many values


def _fmt(x: float) -> str:
    return f"{x:.6g}"


def _type_name(x: object) -> str:
    return x.type_name if isinstance(x, Unreadable) else type(x).__name__


def _as_array(got: object, what: str) -> np.ndarray:
    if got is None:
        raise Mismatch(f"{what} returned None.", hint="Did you forget the `return` statement?")
    if isinstance(got, np.ndarray | np.generic | int | float | bool):
        return np.asarray(got)
    if isinstance(got, list | tuple):
        try:
            arr = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            arr = None
        if arr is not None and arr.dtype.kind == "f":
            return arr
    raise Mismatch(f"{what} returned a {_type_name(got)}; a numpy array was expected.")


def _shape_hint(got: tuple, expected: tuple) -> str:
    if len(expected) == 1 and got == (expected[0], expected[0]):
        return (
            "An (n,) array combined with an (n, 1) array broadcasts into an (n, n) matrix. "
            "Give both operands the same shape, e.g. with .ravel() or .reshape(-1, 1)."
        )
    if len(expected) == 1 and got == (expected[0], 1):
        return "Use .ravel() (or avoid keepdims=True) to get a 1-D array."
    if expected == (*got, 1):
        return "Keep the column: use .reshape(-1, 1) or keepdims=True."
    if len(got) == 2 and got == expected[::-1]:
        return "Your result looks transposed: check the order of the operands of @ and `.T`."
    if len(got) < len(expected):
        return "A dimension was summed away: check the axis argument of sum/mean/max."
    return ""


def _scale_hint(got: np.ndarray, expected: np.ndarray) -> str:
    """Name a result that is the expected one times a constant, such as n or -1."""
    nz = np.abs(expected) > 1e-12 * max(np.abs(expected).max(initial=0.0), 1e-300)
    if nz.sum() < MIN_SCALE_VALUES:  # one wrong number is not "every value" anything
        return ""
    ratio = got[nz] / expected[nz]
    c = float(np.median(ratio))
    if not np.allclose(ratio, c, rtol=1e-6) or abs(c - 1.0) < 0.01 or c == 0:
        return ""
    if np.isclose(c, -1.0):
        return "Every value has the wrong sign."
    if c > 1:
        return f"Every value is {_fmt(c)} times too large."
    return f"Every value is {_fmt(1 / c)} times too small."


def check_array(
    got: object,
    expected: np.ndarray,
    *,
    what: str,
    rtol: float = 1e-6,
    atol: float | None = None,
    reveal: bool = False,
    integer: bool = False,
    diagnose: Diagnose | None = None,
) -> np.ndarray:
    """Fail with a teaching message unless `got` has exactly `expected`'s shape and values.

    `atol` defaults to `rtol` times the largest expected magnitude, so that a tiny gradient
    is never "close to zero" by accident.
    """
    expected = np.asarray(expected)
    arr = _as_array(got, what)
    if integer and arr.dtype.kind not in "iub":
        raise Mismatch(
            f"{what} returned {arr.dtype} values; integer labels were expected.",
            hint="Convert with .astype(int).",
            diagnosis=_named(diagnose, arr),
        )
    if arr.dtype.kind == "f" and arr.dtype.itemsize < 8:
        raise Mismatch(
            f"{what} returned {arr.dtype} values; the course works in float64.",
            hint=f"Remove the conversion to {arr.dtype}.",
            diagnosis=_named(diagnose, arr),
        )
    if arr.dtype.kind not in "fiub":
        raise Mismatch(f"{what} returned values of dtype {arr.dtype}; numbers were expected.")
    if arr.shape != expected.shape:
        raise Mismatch(
            f"{what} returned shape {arr.shape}; expected shape {expected.shape}.",
            hint=_shape_hint(arr.shape, expected.shape),
            diagnosis=_named(diagnose, arr),
        )
    arr = arr.astype(float)
    bad_finite = ~np.isfinite(arr) & np.isfinite(expected)
    if bad_finite.any():
        kinds = "NaN" if np.isnan(arr[bad_finite]).all() else "NaN or infinite values"
        raise Mismatch(
            f"{what} contains {kinds} in {int(bad_finite.sum())} of {arr.size} entries.",
            hint="NaN usually comes from log(0) or 0/0, and inf from exp of a large number: "
            "clip probabilities, and use the numerically stable formula.",
            diagnosis=_named(diagnose, arr),
        )
    scale = float(np.abs(expected[np.isfinite(expected)]).max(initial=0.0))
    atol = rtol * scale if atol is None else atol
    err = np.array(np.abs(arr - expected))
    err[arr == expected] = 0.0  # equal infinities are no error
    wrong = ~(err <= atol + rtol * np.abs(expected))
    if not wrong.any():
        return arr
    worst = np.unravel_index(int(np.argmax(np.where(wrong, err, -1))), arr.shape)
    where = f" at index {tuple(int(i) for i in worst)}" if arr.ndim else ""
    message = (
        f"{what}: {int(wrong.sum())} of {arr.size} values are wrong; the largest error is "
        f"{_fmt(float(err[worst]))}{where}."
    )
    if reveal:
        message += f" Expected {_fmt(float(expected[worst]))}, got {_fmt(float(arr[worst]))}."
    brief = f"{what}: {int(wrong.sum())} of {arr.size} values are wrong."
    hint, named = _scale_hint(arr, expected), _named(diagnose, arr)
    raise Mismatch(message, hint=hint, diagnosis=named, brief=brief)


def as_scalar(got: object, *, what: str, diagnose: Diagnose | None = None) -> float:
    """The single real number `got` stands for; fails for arrays, None and other types."""
    if isinstance(got, np.ndarray) and got.shape != ():
        raise Mismatch(
            f"{what} returned an array of shape {got.shape}; a single number "
            "(a float) was expected.",
            hint="Wrap the result in float(...).",
            diagnosis=_named(diagnose, got) if got.dtype.kind in "fiub" else "",
        )
    if got is None or isinstance(got, bool | np.bool_):
        _as_array(got, what)
        raise Mismatch(f"{what} returned a bool; a number was expected.")
    if not isinstance(got, int | float | np.integer | np.floating | np.ndarray):
        raise Mismatch(f"{what} returned a {_type_name(got)}; a number was expected.")
    return float(got)


def check_scalar(
    got: object,
    expected: float,
    *,
    what: str,
    rtol: float = 1e-6,
    atol: float = 1e-12,
    reveal: bool = False,
    diagnose: Diagnose | None = None,
) -> float:
    """Fail unless `got` is one real number close to `expected`."""
    value = as_scalar(got, what=what, diagnose=diagnose)
    check_array(
        np.asarray(value),
        np.asarray(expected, dtype=float),
        what=what,
        rtol=rtol,
        atol=atol,
        reveal=reveal,
        diagnose=diagnose,
    )
    return value


def as_numbers(got: object, *, what: str) -> np.ndarray:
    """A flat list (or 1-D array) of real numbers, as a float array; fails for anything else."""
    try:
        arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        raise Mismatch(f"{what} should be a list of numbers; it is a {_type_name(got)} holding "
                       "something else.") from None  # fmt: skip
    if arr.ndim != 1:
        raise Mismatch(f"{what} should be a flat list of numbers; it has shape {arr.shape}.")
    return arr


def unpack(got: object, names: list[str], *, what: str) -> tuple | list:
    """The parts of a returned tuple, or a clear failure when it is not one of that length."""
    if isinstance(got, tuple | list) and len(got) == len(names):
        return got
    kind = f"a tuple of length {len(got)}" if isinstance(got, tuple | list) else (
        "None" if got is None else f"a {_type_name(got)}")  # fmt: skip
    raise Mismatch(
        f"{what} should return a tuple ({', '.join(names)}); it returned {kind}.",
        hint="Did you forget the `return` statement?" if got is None else "",
    )


def check_keys(got: object, expected: dict, *, what: str) -> dict:
    """Fail unless `got` is a dict with exactly the expected keys."""
    if not isinstance(got, dict):
        raise Mismatch(f"{what} returned a {_type_name(got)}; a dict was expected.")
    missing = sorted(set(expected) - set(got))
    extra = sorted(set(got) - set(expected))
    if missing or extra:
        parts = [f"missing keys {missing}"] if missing else []
        parts += [f"extra keys {extra}"] if extra else []
        raise Mismatch(f"{what} returned a dict with {' and '.join(parts)}.")
    return got


def require_keys(got: object, keys: list[str], *, what: str) -> dict:
    """Fail unless `got` is a dict holding every one of `keys` (other keys are allowed)."""
    if not isinstance(got, dict):
        raise Mismatch(f"{what} returned a {_type_name(got)}; a dict was expected.")
    missing = [k for k in keys if k not in got]
    if missing:
        raise Mismatch(f"{what} returned a dict without the keys {missing}.")
    return got


def check_batches(
    got: object, n: int, batch_size: int, *, what: str, diagnose: Diagnose | None = None
) -> np.ndarray:
    """Fail unless `got` is a list of 1-D integer arrays, `batch_size` indices each (the last one
    smaller), that together hold 0..n-1 exactly once; returns them joined.

    `diagnose` names a catalogued mistake from all the batches, joined.
    """
    if not isinstance(got, list | tuple):
        raise Mismatch(f"{what} returned a {_type_name(got)}; a list of arrays of indices was "
                       "expected.")  # fmt: skip
    for batch in got:
        if not isinstance(batch, np.ndarray) or batch.ndim != 1 or batch.dtype.kind not in "iu":
            array = isinstance(batch, np.ndarray)
            kind = f"{batch.dtype} array of shape {batch.shape}" if array else _type_name(batch)
            raise Mismatch(
                f"{what} returned a batch that is a {kind}; every batch should be "
                "a 1-D array of integer indices.",
                hint="Slice a permutation: perm[i:i + batch_size].",
            )
    order = np.concatenate(got) if got else np.array([], dtype=int)
    sizes, (full, rest) = [len(b) for b in got], divmod(n, batch_size)
    want = [batch_size] * full + ([rest] if rest else [])
    if sizes != want:
        raise Mismatch(
            f"{what} returned batches of sizes {sizes}; expected {want}: full "
            "batches, and only the last one smaller.",
            diagnosis=_named(diagnose, order.astype(float)) if got else "",
        )
    if not np.array_equal(np.sort(order), np.arange(n)):
        raise Mismatch(
            f"{what} does not use every index from 0 to {n - 1} exactly once.",
            hint="Take one permutation of range(n) and cut it into slices.",
            diagnosis=_named(diagnose, order.astype(float)),
        )
    return order


def check_slope(
    cost: Callable[[dict], float],
    params: dict,
    grads: dict,
    rng: np.random.Generator,
    *,
    what: str,
    of: str,
    eps: float = 1e-6,
) -> None:
    """Fail unless the gradients (grads["d" + key]) give the slope of `cost` at `params` along a
    random direction, by central finite differences; `of` names the cost."""
    direction = {k: rng.normal(size=np.shape(v)) for k, v in params.items()}
    norm = np.sqrt(sum(float((d**2).sum()) for d in direction.values()))

    def moved(step: float) -> dict:
        return {k: params[k] + step * direction[k] / norm for k in params}

    numeric = (cost(moved(eps)) - cost(moved(-eps))) / (2 * eps)
    along = sum(float((np.asarray(grads["d" + k]) * direction[k]).sum()) for k in params) / norm
    size = np.sqrt(sum(float((np.asarray(grads["d" + k]) ** 2).sum()) for k in params))
    if not abs(along - numeric) <= 1e-6 * size + 1e-10:
        raise Mismatch(
            f"The gradients from {what} do not give the slope of {of} (checked with central "
            "finite differences along a random direction)."
        )


def check_parts(
    got: object,
    expected: tuple | dict,
    parts: list,
    *,
    what: str,
    exact: bool = False,
    diagnose: Callable[[int | str], Diagnose] | None = None,
    **options: object,
) -> tuple | list | dict:
    """Compare a result made of parts with the expected one, part by part, in `parts` order.

    A tuple's parts are named by `parts`; a dict must hold the keys `parts` lists (`exact`: and
    no other). A part given as (name, keys) is a dict holding those keys, each compared. Part
    number i of a tuple, or key k of a dict, is diagnosed by `diagnose(i)` or `diagnose(k)`;
    `options` go to check_array.
    """
    if isinstance(expected, dict):
        if exact:
            check_keys(got, dict.fromkeys(parts), what=what)
        got, places = require_keys(got, parts, what=what), parts
    else:
        got = unpack(got, [p if isinstance(p, str) else p[0] for p in parts], what=what)
        places = range(len(parts))
    for where, part in zip(places, parts, strict=True):
        if not isinstance(part, str):  # (name, keys): a dict of arrays
            name, keys = part
            inner = require_keys(got[where], keys, what=f"the {name} from {what}")
            for key in keys:
                label = f"{name}['{key}'] from {what}"
                check_array(inner[key], expected[where][key], what=label, **options)
            continue
        named, label = diagnose(where) if diagnose else None, f"{part} from {what}"
        check_array(got[where], expected[where], what=label, diagnose=named, **options)
    return got


def check_unmutated(mutated: list[str], *, what: str) -> None:
    """Fail when the sandbox saw the function change its inputs."""
    if mutated:
        raise Mismatch(
            f"{what} changed its input ({', '.join(mutated)}).",
            hint="Work on a copy (x = x.copy()) or build a new array; never modify "
            "the caller's arrays in place (x[...] = ..., x += ...).",
        )


def check_no_warnings(warnings: list[str], *, what: str) -> None:
    """Fail when the call emitted warnings, such as numpy's overflow in exp."""
    if warnings:
        raise Mismatch(
            f"{what} emitted a warning: {warnings[0]}.",
            hint="exp of a large number overflows. Use the numerically stable form: "
            "only ever take exp of a number that is zero or negative.",
        )


def _named(diagnose: Diagnose | None, got: np.ndarray) -> str:
    return (diagnose(got) or "") if diagnose else ""
