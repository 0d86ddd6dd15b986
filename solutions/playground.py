"""TensorFlow Playground's classification data sets and its own network, offline in numpy alone.

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

The Playground's own network (tensorflow/playground, src/nn.ts and src/playground.ts), so that
the losses a student reads in the browser can be compared with numbers computed here:
- every neuron, the output one included, uses the chosen activation (tanh by default); the output
  lies in (-1, 1) and the targets are +1 (blue, class 1) and -1 (orange, class 0);
- the loss is the mean over points of 1/2 (output - target)^2 (its "Training loss", "Test loss");
- weights start uniform in [-0.5, 0.5), biases at 0.1;
- an epoch runs through the training points in order and updates the parameters after every
  `batch_size` points with the mean gradient of those points; the points of an incomplete last
  batch count towards the first update of the next epoch.
`playground_link` writes the playground.tensorflow.org address (its URL hash, src/state.ts) that
opens the browser with the same settings.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from numbers import Integral, Real
from urllib.parse import urlencode

import numpy as np

DATASETS = ("circle", "xor", "gauss", "spiral")
MAX_NOISE = 0.5
CIRCLE_RADIUS = 5.0
XOR_HALF_WIDTH = 5.0
XOR_PADDING = 0.3
GAUSS_CENTRE = 2.0
SPIRAL_RADIUS = 5.0
SPIRAL_TURNS = 1.75

PLAYGROUND_URL = "https://playground.tensorflow.org/"
PLAYGROUND_ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")

Data = tuple[np.ndarray, np.ndarray]
PlaygroundParams = list[tuple[np.ndarray, np.ndarray]]


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


def playground_link(
    dataset: str,
    noise: float,
    hidden_layers: list[int],
    *,
    train_percent: int = 50,
    activation: str = "tanh",
    learning_rate: float = 0.03,
    batch_size: int = 10,
) -> str:
    """The playground.tensorflow.org address with these settings; noise as here, 0 to 0.5."""
    _check_dataset_args(dataset, 2, noise, 2)
    state = {
        "dataset": dataset,
        "noise": round(100 * noise),  # the Playground's slider value
        "percTrainData": train_percent,
        "networkShape": ",".join(str(h) for h in hidden_layers),
        "activation": activation,
        "learningRate": learning_rate,
        "batchSize": batch_size,
        "regularization": "none",
        "problem": "classification",
        "x": "true",
        "y": "true",
        "showTestData": "true",
    }
    return PLAYGROUND_URL + "#" + urlencode(state, safe=",")


def train_playground_network(
    X: np.ndarray,
    y: np.ndarray,
    hidden_layers: list[int],
    *,
    epochs: int,
    learning_rate: float = 0.03,
    batch_size: int = 10,
    activation: str = "tanh",
    seed: int = 0,
) -> PlaygroundParams:
    """Train the Playground's network on X (n, 2), y (n,) in {0, 1}; returns [(W, b), ...]."""
    if activation not in PLAYGROUND_ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(PLAYGROUND_ACTIVATIONS)}")
    rng = np.random.default_rng(seed)
    sizes = [X.shape[1], *hidden_layers, 1]
    params = [
        (rng.uniform(-0.5, 0.5, (fan_in, fan_out)), np.full(fan_out, 0.1))
        for fan_in, fan_out in itertools.pairwise(sizes)
    ]
    target = 2.0 * np.asarray(y, dtype=float)[:, None] - 1.0  # (n, 1) in {-1, +1}
    for batch in _playground_batches(len(X), batch_size, epochs):
        params = _playground_step(params, X[batch], target[batch], learning_rate, activation)
    return params


def _playground_batches(n: int, batch_size: int, epochs: int) -> list[np.ndarray]:
    """Rows of each update, cut as the Playground's epochs cut them (leftovers join the next)."""
    full = n // batch_size * batch_size
    rest = np.arange(full, n)
    batches = [np.arange(i, i + batch_size) for i in range(0, full, batch_size)]
    later = [np.concatenate([rest, batches[0]]), *batches[1:]] if batches and len(rest) else batches
    return batches + later * (epochs - 1) if batches and epochs > 0 else []


def playground_output(
    X: np.ndarray, params: PlaygroundParams, activation: str = "tanh"
) -> np.ndarray:
    """The network's output (n,) in (-1, 1) for tanh: above 0 is blue (class 1)."""
    return _playground_forward(X, params, activation)[-1][:, 0]


def playground_loss(
    X: np.ndarray, y: np.ndarray, params: PlaygroundParams, activation: str = "tanh"
) -> float:
    """The Playground's loss: the mean of 1/2 (output - target)^2, targets -1 and +1."""
    target = 2.0 * np.asarray(y, dtype=float) - 1.0
    return float(np.mean(0.5 * (playground_output(X, params, activation) - target) ** 2))


def _playground_activation(activation: str, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """f(z) and f'(z) of one of the Playground's activations."""
    if activation == "tanh":
        a = np.tanh(z)
        return a, 1.0 - a**2
    if activation == "relu":
        return np.maximum(z, 0.0), (z > 0).astype(float)
    if activation == "sigmoid":
        a = 1.0 / (1.0 + np.exp(-np.clip(z, -500, 500)))
        return a, a * (1.0 - a)
    return z, np.ones_like(z)


def _playground_forward(
    X: np.ndarray, params: PlaygroundParams, activation: str
) -> list[np.ndarray]:
    """The activations of every layer, X first; every layer uses `activation`."""
    outputs = [np.asarray(X, dtype=float)]
    for W, b in params:
        outputs.append(_playground_activation(activation, outputs[-1] @ W + b)[0])
    return outputs


def _playground_step(
    params: PlaygroundParams,
    X: np.ndarray,
    target: np.ndarray,
    learning_rate: float,
    activation: str,
) -> PlaygroundParams:
    """One update with the mean gradient of 1/2 (output - target)^2 over the batch."""
    outputs = _playground_forward(X, params, activation)
    d_output = outputs[-1] - target  # dE/d output, (batch, 1)
    new = []
    for layer in range(len(params) - 1, -1, -1):
        W, b = params[layer]
        _, slope = _playground_activation(activation, outputs[layer] @ W + b)
        dZ = d_output * slope / len(X)  # (batch, size)
        d_output = dZ @ W.T * len(X)
        new.append((W - learning_rate * outputs[layer].T @ dZ, b - learning_rate * dZ.sum(axis=0)))
    return new[::-1]


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
