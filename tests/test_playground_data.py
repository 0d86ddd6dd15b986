"""The offline Playground data sets reproduce the Playground's generators, checked statistically.

The Playground's random numbers cannot be matched, so these tests check the distributions: exact
properties (ranges, label rules, points on the spiral arms) hold for every point, and moments, KS
tests and label-flip rates agree within Z standard errors. Seeds are fixed, so results are
deterministic; Z = 4 keeps a correct generator far from the thresholds for any seed.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from solutions.playground import (
    DATASETS,
    make_dataset,
    playground_link,
    playground_loss,
    playground_output,
    train_playground_network,
    train_test_split,
)

try:
    from scipy import stats
except ImportError:  # moment checks still run
    stats = None

N = 4000
Z = 4.0  # standard errors allowed by statistical checks
KS_ALPHA = 1e-3
NOISES = [0.0, 0.1, 0.25, 0.5]
TAU = 2 * np.pi


# ---------------------------------------------------------------- helpers


def assert_uniform(sample: np.ndarray, low: float, high: float) -> None:
    """Sample lies in [low, high], and its mean, variance and KS statistic fit U(low, high)."""
    n, width = len(sample), high - low
    assert sample.min() >= low - 1e-12 and sample.max() <= high + 1e-12
    assert abs(sample.mean() - (low + high) / 2) < Z * width / math.sqrt(12 * n)
    # Var(s^2) = (mu4 - sigma^4) / n = width^4 (1/80 - 1/144) / n = width^4 / (180 n)
    assert abs(sample.var() - width**2 / 12) < Z * width**2 / math.sqrt(180 * n)
    if stats is not None:
        assert stats.kstest(sample, "uniform", args=(low, width)).pvalue > KS_ALPHA


def assert_normal(sample: np.ndarray, mean: float, variance: float) -> None:
    """Sample mean, variance and KS statistic fit N(mean, variance)."""
    n = len(sample)
    assert abs(sample.mean() - mean) < Z * math.sqrt(variance / n)
    assert abs(sample.var(ddof=1) - variance) < Z * variance * math.sqrt(2 / (n - 1))
    if stats is not None:
        assert stats.kstest(sample, "norm", args=(mean, math.sqrt(variance))).pvalue > KS_ALPHA


def assert_rate(observed: float, n: int, expected: float, n_expected: int) -> None:
    """Two proportions agree within Z standard errors of their difference."""
    p = min(max(expected, 1 / n), 1 - 1 / n)
    assert abs(observed - expected) <= Z * math.sqrt(p * (1 - p) * (1 / n + 1 / n_expected))


def wrapped(angle: np.ndarray) -> np.ndarray:
    """Angle mapped to [-pi, pi)."""
    return (angle + np.pi) % TAU - np.pi


def spiral_offset(label: int, classes: int) -> float:
    """The Playground turns its negative arm by pi; with K arms, arm k is turned by 2 pi k / K."""
    return (np.pi if label == 0 else 0.0) if classes == 2 else TAU * label / classes


def spiral_arm(label: int, size: int, n: int, classes: int) -> np.ndarray:
    """The noiseless points i = 0..size-1 of one arm: r = 5 i / m, t = 1.75 * 2 pi i / m + delta."""
    step = np.arange(size) / (n / classes)
    t = 1.75 * TAU * step + spiral_offset(label, classes)
    return np.column_stack([5 * step * np.sin(t), 5 * step * np.cos(t)])


def nearest(points: np.ndarray, targets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of, and distance to, the nearest target of each point."""
    index = np.empty(len(points), dtype=int)
    for start in range(0, len(points), 256):  # chunks keep the distance matrix small
        chunk = points[start : start + 256]
        index[start : start + 256] = np.linalg.norm(chunk[:, None] - targets[None], axis=2).argmin(
            1
        )
    return index, np.linalg.norm(points - targets[index], axis=1)


def simulated_flip_rate(name: str, noise: float, draws: int = 400_000) -> float:
    """P(label differs from the clean label), by Monte Carlo from the generator's definition."""
    rng = np.random.default_rng(2024)
    if name == "circle":  # half in the disc r < 2.5, half in the ring 3.5 < r < 5
        inside = rng.random(draws) < 0.5
        r = np.where(inside, rng.uniform(0, 2.5, draws), rng.uniform(3.5, 5, draws))
        angle = rng.uniform(0, TAU, draws)
        clean = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
        moved = clean + rng.uniform(-5, 5, clean.shape) * noise
        return float(np.mean((np.hypot(*moved.T) < 2.5) != inside))
    clean = rng.uniform(-5, 5, (draws, 2))
    clean += np.where(clean > 0, 0.3, -0.3)
    moved = clean + rng.uniform(-5, 5, clean.shape) * noise
    return float(np.mean((moved.prod(axis=1) >= 0) != (clean.prod(axis=1) >= 0)))


def clean_label(name: str, X: np.ndarray) -> np.ndarray:
    """The label a stored (noise-free) point would get without noise."""
    if name == "circle":
        return (np.hypot(*X.T) < 3).astype(int)  # radii are < 2.5 or > 3.5
    return (X.prod(axis=1) >= 0).astype(int)


# ---------------------------------------------------------------- all data sets


@pytest.mark.parametrize("name", DATASETS)
@pytest.mark.parametrize("n", [2, 3, 501, 1000])
def test_shapes_dtypes_and_balanced_classes(name, n):
    X, y = make_dataset(name, n=n)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and np.issubdtype(y.dtype, np.integer)
    assert set(np.unique(y)) == {0, 1}
    counts = np.bincount(y, minlength=2)
    assert counts.max() - counts.min() <= 1
    assert np.isfinite(X).all()


@pytest.mark.parametrize("name", ["circle", "xor"])
@pytest.mark.parametrize("noise", NOISES)
def test_noise_keeps_the_drawn_groups_balanced(name, noise):
    X, _ = make_dataset(name, n=N + 1, noise=noise)
    counts = np.bincount(clean_label(name, X), minlength=2)
    assert counts.max() - counts.min() <= 1


@pytest.mark.parametrize("name", DATASETS)
def test_same_seed_same_data_other_seed_other_data(name):
    X, y = make_dataset(name, n=300, noise=0.2, seed=7)
    X2, y2 = make_dataset(name, n=300, noise=0.2, seed=7)
    X3, _ = make_dataset(name, n=300, noise=0.2, seed=8)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(X, X3)


def test_noiseless_spiral_seeds_only_reorder_the_points():
    X, y = make_dataset("spiral", n=300, seed=1)
    X2, y2 = make_dataset("spiral", n=300, seed=2)
    assert not np.array_equal(X, X2)
    order, order2 = np.lexsort([*X.T, y]), np.lexsort([*X2.T, y2])  # every arm starts at 0
    np.testing.assert_allclose(X[order], X2[order2], atol=1e-12)
    np.testing.assert_array_equal(y[order], y2[order2])


@pytest.mark.parametrize("name", DATASETS)
def test_rows_are_shuffled(name):
    _, y = make_dataset(name, n=N)
    changes = np.count_nonzero(np.diff(y))
    # a random order of a balanced sequence changes label about n/2 times, sd about sqrt(n)/2
    assert abs(changes - N / 2) < Z * math.sqrt(N) / 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "moons"}, "unknown dataset 'moons'"),
        ({"name": "Circle"}, "unknown dataset"),
        ({"name": "circle", "classes": 3}, "only available for 'spiral'"),
        ({"name": "xor", "classes": 4}, "only available for 'spiral'"),
        ({"name": "spiral", "classes": 1}, "classes must be an integer of at least 2"),
        ({"name": "spiral", "classes": 2.5}, "classes must be an integer"),
        ({"name": "gauss", "n": 1}, "n must be an integer of at least 2"),
        ({"name": "gauss", "n": 0}, "n must be an integer"),
        ({"name": "gauss", "n": 10.0}, "n must be an integer"),
        ({"name": "gauss", "n": True}, "n must be an integer"),
        ({"name": "spiral", "n": 2, "classes": 3}, "n must be an integer of at least 3"),
        ({"name": "circle", "noise": -0.01}, r"noise must be between 0 and 0\.5"),
        ({"name": "circle", "noise": 0.51}, r"noise must be between 0 and 0\.5"),
        ({"name": "xor", "noise": 25}, r"slider value 25 / 100"),
        ({"name": "xor", "noise": float("nan")}, "noise must be between"),
        ({"name": "xor", "noise": "0.1"}, "noise must be between"),
    ],
)
def test_invalid_arguments_raise_clear_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_dataset(**kwargs)


@pytest.mark.parametrize("noise", [0.0, 0.5])
def test_noise_limits_are_accepted(noise):
    assert make_dataset("circle", n=10, noise=noise)[0].shape == (10, 2)


# ---------------------------------------------------------------- circle


@pytest.mark.parametrize("noise", NOISES)
def test_circle_radii_and_angles(noise):
    X, _ = make_dataset("circle", n=N, noise=noise, seed=1)
    r = np.hypot(*X.T)  # the stored coordinates are never moved by noise
    assert_uniform(r[r < 3], 0.0, 2.5)
    assert_uniform(r[r >= 3], 3.5, 5.0)
    assert_uniform(np.arctan2(X[:, 0], X[:, 1]), -np.pi, np.pi)


def test_circle_without_noise_is_separated_by_radius_3():
    X, y = make_dataset("circle", n=N, seed=2)
    np.testing.assert_array_equal(y, np.hypot(*X.T) < 3)  # class 1 is the inner disc


# ---------------------------------------------------------------- xor


@pytest.mark.parametrize("noise", NOISES)
def test_xor_coordinates_are_padded_uniform(noise):
    X, _ = make_dataset("xor", n=N, noise=noise, seed=3)
    for coordinate in X.T:
        assert_uniform(np.abs(coordinate) - 0.3, 0.0, 5.0)
        assert_rate(np.mean(coordinate > 0), len(coordinate), 0.5, 10**9)
    quadrant_counts = np.unique(np.sign(X), axis=0, return_counts=True)[1]
    assert len(quadrant_counts) == 4
    assert np.abs(quadrant_counts - N / 4).max() < Z * math.sqrt(N * 3 / 16)


def test_xor_without_noise_is_the_sign_of_the_product():
    X, y = make_dataset("xor", n=N, seed=4)
    np.testing.assert_array_equal(y, X[:, 0] * X[:, 1] >= 0)


# ---------------------------------------------------------------- circle and xor noise


@pytest.mark.parametrize("name", ["circle", "xor"])
def test_noise_flips_labels_at_the_rate_the_rule_predicts(name):
    observed = []
    for noise in NOISES:
        X, y = make_dataset(name, n=N, noise=noise, seed=5)
        observed.append(np.mean(y != clean_label(name, X)))
        assert_rate(observed[-1], N, simulated_flip_rate(name, noise), 400_000)
    assert observed[0] == 0
    assert np.all(np.diff(observed) > 0)


# ---------------------------------------------------------------- gauss


@pytest.mark.parametrize("noise", NOISES)
@pytest.mark.parametrize(("label", "centre"), [(1, 2.0), (0, -2.0)])
def test_gauss_blobs(noise, label, centre):
    X, y = make_dataset("gauss", n=N, noise=noise, seed=6)
    for coordinate in X[y == label].T:
        assert_normal(coordinate, centre, 0.5 + 7 * noise)
    cov = np.cov(X[y == label].T)
    assert abs(cov[0, 1]) < Z * (0.5 + 7 * noise) / math.sqrt(N / 2)  # independent coordinates


# ---------------------------------------------------------------- spiral


@pytest.mark.parametrize(("n", "classes"), [(N, 2), (N + 1, 2), (3001, 3), (400, 5)])
def test_noiseless_spiral_points_lie_on_their_arms(n, classes):
    X, y = make_dataset("spiral", n=n, classes=classes)
    assert set(np.unique(y)) == set(range(classes))
    m = n / classes
    for label in range(classes):
        points = X[y == label]
        r = np.hypot(*points.T)
        i = np.round(r * m / 5)
        np.testing.assert_allclose(r * m / 5, i, atol=1e-9)
        np.testing.assert_array_equal(np.sort(i), np.arange(len(points)))  # each i exactly once
        t = 1.75 * TAU * i / m + spiral_offset(label, classes)
        angle = np.arctan2(points[:, 0], points[:, 1])
        assert np.abs(wrapped(angle - t)[i > 0]).max() < 1e-9


@pytest.mark.parametrize("classes", [2, 3])
def test_spiral_arms_are_turned_by_a_k_th_of_a_turn(classes):
    X, y = make_dataset("spiral", n=60 * classes, classes=classes)
    first = spiral_arm(0, 60, 60 * classes, classes)
    for label in range(classes):
        turn = spiral_offset(label, classes) - spiral_offset(0, classes)
        rotation = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
        # x = r sin t, y = r cos t: turning t by a rotates (y, x) by a
        turned = (first[:, ::-1] @ rotation.T)[:, ::-1]
        _, distance = nearest(turned, X[y == label])
        assert distance.max() < 1e-9


@pytest.mark.parametrize("classes", [2, 3])
@pytest.mark.parametrize("noise", [0.1, 0.5])
def test_spiral_noise_moves_points_at_most_noise_sqrt2(classes, noise):
    X, y = make_dataset("spiral", n=N, noise=noise, classes=classes, seed=9)
    deviations = []
    for label in range(classes):
        arm = spiral_arm(label, np.count_nonzero(y == label), N, classes)
        deviations.append(nearest(X[y == label], arm)[1])
    deviations = np.concatenate(deviations)
    assert deviations.max() <= noise * math.sqrt(2) + 1e-12
    assert deviations.max() > noise / 2  # noise does move points


@pytest.mark.parametrize("classes", [2, 3])
def test_spiral_jitter_is_uniform_per_coordinate(classes):
    """With few points per arm and little noise, each point's clean position is unambiguous."""
    n, noise, seeds = 20 * classes, 0.05, 150
    arms = [spiral_arm(label, 20, n, classes) for label in range(classes)]
    spacing = min(np.linalg.norm(a[:, None] - a[None], axis=2)[np.triu_indices(20, 1)].min()
                  for a in arms)  # fmt: skip
    assert 2 * noise * math.sqrt(2) < spacing
    jitter = []
    for seed in range(seeds):
        X, y = make_dataset("spiral", n=n, noise=noise, classes=classes, seed=seed)
        for label, arm in enumerate(arms):
            index, _ = nearest(X[y == label], arm)
            np.testing.assert_array_equal(np.sort(index), np.arange(20))
            jitter.append(X[y == label] - arm[index])
    jitter = np.concatenate(jitter) / noise
    for coordinate in jitter.T:
        assert_uniform(coordinate, -1.0, 1.0)
    assert abs(np.corrcoef(jitter.T)[0, 1]) < Z / math.sqrt(len(jitter))


# ---------------------------------------------------------------- train_test_split


def labelled_rows(n: int) -> tuple[np.ndarray, np.ndarray]:
    """X whose first column is the row number, and y equal to it."""
    return np.column_stack([np.arange(n), np.zeros(n)]).astype(float), np.arange(n)


@pytest.mark.parametrize(
    ("n", "fraction", "n_train"),
    [(500, 0.5, 250), (500, 0.8, 400), (10, 0.33, 3), (7, 0.5, 4), (10, 0.01, 1), (10, 0.99, 9),
     (2, 0.5, 1)],
)  # fmt: skip
def test_split_sizes_order_and_partition(n, fraction, n_train):
    X, y = labelled_rows(n)
    X_train, X_test, y_train, y_test = train_test_split(X, y, train_fraction=fraction, seed=3)
    assert len(X_train) == len(y_train) == n_train
    assert len(X_test) == len(y_test) == n - n_train
    np.testing.assert_array_equal(X_train[:, 0], y_train)  # rows stay paired, sklearn order
    np.testing.assert_array_equal(X_test[:, 0], y_test)
    np.testing.assert_array_equal(np.sort(np.concatenate([y_train, y_test])), np.arange(n))


def test_split_is_seeded_and_shuffles():
    X, y = labelled_rows(200)
    first = train_test_split(X, y, seed=1)
    for a, b in zip(first, train_test_split(X, y, seed=1), strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[2], train_test_split(X, y, seed=2)[2])
    assert not np.array_equal(np.sort(first[2]), np.arange(100))  # not the first half


def test_split_leaves_inputs_alone_and_keeps_label_shape():
    X, y = make_dataset("xor", n=50)
    Y = y[:, None]
    X_copy, Y_copy = X.copy(), Y.copy()
    _, _, Y_train, Y_test = train_test_split(X, Y)
    assert Y_train.shape == (25, 1) and Y_test.shape == (25, 1)
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(Y, Y_copy)


@pytest.mark.parametrize(
    ("n_x", "n_y", "fraction", "message"),
    [
        (10, 9, 0.5, "one row per example"),
        (1, 1, 0.5, "at least 2 examples"),
        (10, 10, 0.0, "strictly between 0 and 1"),
        (10, 10, 1.0, "strictly between 0 and 1"),
        (10, 10, -0.5, "strictly between 0 and 1"),
        (10, 10, float("nan"), "strictly between 0 and 1"),
    ],
)
def test_split_rejects_bad_input(n_x, n_y, fraction, message):
    with pytest.raises(ValueError, match=message):
        train_test_split(np.zeros((n_x, 2)), np.zeros(n_y), train_fraction=fraction)


# ---------------------------------------------------------------- decision boundaries


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("kind", ["labels", "probabilities", "three classes", "one-hot scores"])
def test_plot_decision_boundary_draws_regions_and_points(kind, tmp_path):
    from matplotlib.figure import Figure

    from autograder.proof.boundaries import plot_decision_boundary

    classes = 3 if kind in ("three classes", "one-hot scores") else 2
    X, y = make_dataset("spiral" if classes == 3 else "gauss", n=90, classes=classes)
    predictors = {
        "labels": lambda P: (P.sum(axis=1) > 0).astype(int),
        "probabilities": lambda P: 1 / (1 + np.exp(-P.sum(axis=1))),
        "three classes": lambda P: (np.arctan2(P[:, 0], P[:, 1]) % TAU // (TAU / 3)).astype(int),
        "one-hot scores": lambda P: np.eye(3)[(P > 0).sum(axis=1)],
    }
    figure = Figure()
    ax = plot_decision_boundary(figure.add_subplot(), predictors[kind], X, y, title=kind)
    assert ax.get_title() == kind
    assert len(ax.collections) >= classes + 1  # filled regions, then one scatter per class
    figure.savefig(tmp_path / "plot.png")
    assert (tmp_path / "plot.png").read_bytes().startswith(PNG_SIGNATURE)


def test_plot_decision_boundary_rejects_scores_outside_0_1():
    from matplotlib.figure import Figure

    from autograder.proof.boundaries import plot_decision_boundary

    X, y = make_dataset("gauss", n=20)
    with pytest.raises(ValueError, match="probabilities in"):
        plot_decision_boundary(Figure().add_subplot(), lambda P: P.sum(axis=1) * 0.7, X, y)


@pytest.mark.slow
def test_playground_gallery_reaches_high_test_accuracy(tmp_path):
    pytest.importorskip("solutions.neural_network")
    from matplotlib.image import imread

    from autograder.proof.boundaries import RECIPES, playground_gallery

    gallery = playground_gallery(tmp_path / "gallery")
    names = [*RECIPES, "overview"]
    assert [path.name for path in gallery.paths] == [f"{name}.png" for name in names]
    for path in gallery.paths:
        assert path.read_bytes().startswith(PNG_SIGNATURE)
        image = imread(path)
        assert image.ndim == 3 and min(image.shape[:2]) > 300
    assert set(gallery.accuracies) == set(RECIPES)
    assert min(gallery.accuracies.values()) >= 0.9
    assert min(gallery.accuracies[name] for name in ("circle", "xor", "gauss")) >= 0.97


# ---------------------------------------------------------------- the Playground's own network


def _playground_by_the_point(X, y, params, epochs, learning_rate, batch_size):
    """tensorflow/playground's nn.ts and oneStep, transcribed point by point (tanh everywhere)."""
    weights = [W.copy() for W, _ in params]
    biases = [b.copy() for _, b in params]
    acc_w = [np.zeros_like(W) for W in weights]
    acc_b = [np.zeros_like(b) for b in biases]
    count = 0
    for _ in range(epochs):
        for i, (point, label) in enumerate(zip(X, y, strict=True)):
            outputs, totals = [point], []
            for W, b in zip(weights, biases, strict=True):
                totals.append(outputs[-1] @ W + b)
                outputs.append(np.tanh(totals[-1]))
            output_der = outputs[-1] - (2.0 * label - 1.0)
            for layer in range(len(weights) - 1, -1, -1):
                input_der = output_der * (1 - np.tanh(totals[layer]) ** 2)
                acc_b[layer] += input_der
                acc_w[layer] += np.outer(outputs[layer], input_der)
                output_der = weights[layer] @ input_der
            count += 1
            if (i + 1) % batch_size == 0:
                for layer in range(len(weights)):
                    weights[layer] -= learning_rate * acc_w[layer] / count
                    biases[layer] -= learning_rate * acc_b[layer] / count
                    acc_w[layer][:] = 0
                    acc_b[layer][:] = 0
                count = 0
    return list(zip(weights, biases, strict=True))


@pytest.mark.parametrize("n, batch_size", [(20, 5), (13, 5), (4, 10)])
def test_playground_network_trains_as_the_playground_does(n, batch_size):
    """Same updates as nn.ts point by point, incomplete batches carried into the next epoch."""
    X, y = make_dataset("xor", n=n, seed=3)
    start = train_playground_network(X, y, [3, 2], epochs=0, seed=5)
    assert [(W.shape, b.shape) for W, b in start] == [
        ((2, 3), (3,)),
        ((3, 2), (2,)),
        ((2, 1), (1,)),
    ]
    assert all(np.all(b == 0.1) and np.all(np.abs(W) <= 0.5) for W, b in start)
    got = train_playground_network(
        X, y, [3, 2], epochs=3, learning_rate=0.3, batch_size=batch_size, seed=5
    )
    expected = _playground_by_the_point(X, y, start, 3, 0.3, batch_size)
    for (W, b), (W_expected, b_expected) in zip(got, expected, strict=True):
        np.testing.assert_allclose(W, W_expected, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(b, b_expected, rtol=1e-12, atol=1e-14)
    assert (batch_size > n) == all(
        np.array_equal(W, W0) for (W, _), (W0, _) in zip(got, start, strict=True)
    )


def test_playground_loss_is_half_the_mean_squared_distance_to_plus_minus_one():
    X, y = make_dataset("gauss", n=50, seed=1)
    params = train_playground_network(X, y, [2], epochs=20, seed=2)
    output = playground_output(X, params)
    assert np.all(np.abs(output) < 1)
    target = np.where(y == 1, 1.0, -1.0)
    expected = sum(0.5 * (o - t) ** 2 for o, t in zip(output, target, strict=True)) / len(y)
    assert playground_loss(X, y, params) == pytest.approx(expected, rel=1e-12)
    assert np.mean((output > 0) == (y == 1)) > 0.95  # gauss is learned by its Playground network


def test_playground_link_holds_the_settings_in_the_playgrounds_hash_names():
    link = playground_link("xor", 0.5, [3, 3], learning_rate=0.1)
    base, _, hash_part = link.partition("#")
    assert base == "https://playground.tensorflow.org/"
    state = dict(item.split("=") for item in hash_part.split("&"))
    assert state["dataset"] == "xor" and state["noise"] == "50" and state["percTrainData"] == "50"
    assert state["networkShape"] == "3,3" and state["learningRate"] == "0.1"
    assert state["activation"] == "tanh" and state["batchSize"] == "10"
    state_ts_names = {
        "activation",
        "regularization",
        "batchSize",
        "dataset",
        "regDataset",
        "learningRate",
        "regularizationRate",
        "noise",
        "networkShape",
        "seed",
        "showTestData",
        "discretize",
        "percTrainData",
        "x",
        "y",
        "xTimesY",
        "xSquared",
        "ySquared",
        "cosX",
        "sinX",
        "cosY",
        "sinY",
        "collectStats",
        "tutorial",
        "problem",
        "initZero",
        "hideText",
    }  # State.PROPS in tensorflow/playground's src/state.ts
    assert set(state) <= state_ts_names
    with pytest.raises(ValueError, match="slider value"):
        playground_link("xor", 50, [3])
