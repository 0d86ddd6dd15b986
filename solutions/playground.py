"""TensorFlow Playground's classification data sets, offline and in numpy alone.

Each generator draws its points the way the Playground's own generator does, so the pictures and
the difficulty match the website. Its random numbers cannot be reproduced, so the same seed gives
different points here than there; the distributions are the same.

Labels: the Playground's positive (blue) class is 1 and its negative (orange) class is 0.

- circle: class 1 is drawn inside radius 2.5, class 0 in the ring 3.5 to 5. With noise, a point is
  labelled from a copy moved by U(-5, 5) * noise per coordinate, so labels flip near the boundary;
  the stored coordinates are the unmoved ones.
- xor: class 1 is drawn in the quadrants where x * y > 0. Noise flips labels as for circle.
- gauss: class 1 around (2, 2), class 0 around (-2, -2); noise widens the spread.
- spiral: class 1 is the arm starting upwards, class 0 the arm turned by pi; noise jitters the
  coordinates. With classes=K > 2 there are K arms, arm k turned by 2 pi k / K, labelled k.

The classes (for circle and xor: the groups drawn before noise flips labels) differ in size by at
most one. The Playground draws xor points without that balance; each point's distribution is the
same. Rows are shuffled with the same generator, so a seed fixes the whole data set.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from numbers import Integral, Real

import numpy as np

DATASETS = ("circle", "xor", "gauss", "spiral")
MAX_NOISE = 0.5
CIRCLE_RADIUS = 5.0
XOR_HALF_WIDTH = 5.0
XOR_PADDING = 0.3
GAUSS_CENTRE = 2.0
SPIRAL_RADIUS = 5.0
SPIRAL_TURNS = 1.75

Data = tuple[np.ndarray, np.ndarray]


def make_dataset(
    name: str, n: int = 500, noise: float = 0.0, seed: int = 0, classes: int = 2
) -> Data:
    """Return X (n, 2) float64 and labels y (n,) int64 drawn like the Playground's `name` data."""
    _check_dataset_args(name, n, noise, classes)
    rng = np.random.default_rng(seed)
    X, y = _GENERATORS[name](rng, _class_sizes(n, classes), float(noise))
    order = rng.permutation(n)
    return X[order], y[order]


def train_test_split(
    X: np.ndarray, y: np.ndarray, train_fraction: float = 0.5, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split rows at random into (X_train, X_test, y_train, y_test), scikit-learn's order."""
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim == 0 or y.ndim == 0 or len(X) != len(y):
        raise ValueError(f"X and y need one row per example; got shapes {X.shape} and {y.shape}")
    if len(X) < 2:
        raise ValueError(f"need at least 2 examples to split, got {len(X)}")
    if not _is_real(train_fraction) or not 0 < train_fraction < 1:
        raise ValueError(f"train_fraction must be strictly between 0 and 1, got {train_fraction!r}")
    n = len(X)
    n_train = min(max(round(train_fraction * n), 1), n - 1)
    order = np.random.default_rng(seed).permutation(n)
    train, test = order[:n_train], order[n_train:]
    return X[train], X[test], y[train], y[test]


def _check_dataset_args(name: str, n: int, noise: float, classes: int) -> None:
    """Raise ValueError with a readable message when an argument of make_dataset is invalid."""
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}")
    if not _is_integer(classes) or classes < 2:
        raise ValueError(f"classes must be an integer of at least 2, got {classes!r}")
    if classes > 2 and name != "spiral":
        raise ValueError(f"classes={classes} is only available for 'spiral'; {name!r} has 2")
    if not _is_integer(n) or n < max(2, classes):
        raise ValueError(f"n must be an integer of at least {max(2, classes)}, got {n!r}")
    if not _is_real(noise) or not 0 <= noise <= MAX_NOISE:
        slider = _is_real(noise) and MAX_NOISE < noise <= 100 * MAX_NOISE
        hint = f" (the slider value {noise} / 100?)" if slider else ""
        raise ValueError(f"noise must be between 0 and {MAX_NOISE}, got {noise!r}{hint}")


def _is_integer(value: object) -> bool:
    """True for Python and numpy integers, but not for booleans."""
    return isinstance(value, Integral) and not isinstance(value, bool)


def _is_real(value: object) -> bool:
    """True for finite real numbers that are not booleans."""
    return isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value)


def _class_sizes(n: int, classes: int) -> np.ndarray:
    """Split n points into `classes` groups whose sizes differ by at most one."""
    return n // classes + (np.arange(classes) < n % classes)


def _group_labels(sizes: np.ndarray) -> np.ndarray:
    """Label k repeated sizes[k] times."""
    return np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)


def _circle(rng: np.random.Generator, sizes: np.ndarray, noise: float) -> Data:
    """Disc (class 1) and ring (class 0); the label comes from a noisy copy of each point."""
    inside = _group_labels(sizes) == 1
    low = np.where(inside, 0.0, 0.7 * CIRCLE_RADIUS)
    radius = rng.uniform(low, np.where(inside, 0.5 * CIRCLE_RADIUS, CIRCLE_RADIUS))
    angle = rng.uniform(0.0, 2 * np.pi, len(radius))
    X = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
    moved = X + rng.uniform(-CIRCLE_RADIUS, CIRCLE_RADIUS, X.shape) * noise
    return X, (np.hypot(moved[:, 0], moved[:, 1]) < 0.5 * CIRCLE_RADIUS).astype(np.int64)


def _xor(rng: np.random.Generator, sizes: np.ndarray, noise: float) -> Data:
    """Padded uniform square, half the points per sign of x * y; labels from a noisy copy."""
    same_sign = _group_labels(sizes) == 1
    sign_x = rng.choice([-1.0, 1.0], len(same_sign))
    signs = np.column_stack([sign_x, np.where(same_sign, sign_x, -sign_x)])
    X = signs * (rng.uniform(0.0, XOR_HALF_WIDTH, signs.shape) + XOR_PADDING)
    moved = X + rng.uniform(-XOR_HALF_WIDTH, XOR_HALF_WIDTH, X.shape) * noise
    return X, (moved[:, 0] * moved[:, 1] >= 0).astype(np.int64)


def _gauss(rng: np.random.Generator, sizes: np.ndarray, noise: float) -> Data:
    """Two round Gaussian blobs whose variance grows linearly from 0.5 to 4 with noise."""
    y = _group_labels(sizes)
    centre = np.where(y == 1, GAUSS_CENTRE, -GAUSS_CENTRE)[:, None]
    return rng.normal(centre, np.sqrt(0.5 + 7.0 * noise), (len(y), 2)), y


def _spiral(rng: np.random.Generator, sizes: np.ndarray, noise: float) -> Data:
    """Arms r = 5 i / m, t = 1.75 * 2 pi i / m + offset (m = n / arms), jittered by noise."""
    y = _group_labels(sizes)
    arms = len(sizes)
    step = np.concatenate([np.arange(size) for size in sizes]) / (sizes.sum() / arms)
    arm = 1 - y if arms == 2 else y  # the Playground's class 1 is the unturned arm
    t = SPIRAL_TURNS * 2 * np.pi * step + 2 * np.pi * arm / arms
    radius = SPIRAL_RADIUS * step
    X = np.column_stack([radius * np.sin(t), radius * np.cos(t)])
    return X + rng.uniform(-1.0, 1.0, X.shape) * noise, y


_GENERATORS: dict[str, Callable[[np.random.Generator, np.ndarray, float], Data]] = {
    "circle": _circle,
    "xor": _xor,
    "gauss": _gauss,
    "spiral": _spiral,
}
