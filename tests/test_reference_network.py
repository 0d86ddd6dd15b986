"""Oracle tests for solutions/neural_network.py: torch autograd, finite differences, training."""

import numpy as np
import pytest

from solutions import building_blocks as bb
from solutions import neural_network as nn

HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu"]
OUTPUTS = {"sigmoid": 1, "softmax": 3}  # output activation -> number of output units
DEPTHS = [1, 2, 3]
KINK_MARGIN = 0.05  # every hidden |Z| of a kept example exceeds this: no difference crosses a kink


def rel_err(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))


def one_hot(y: np.ndarray, k: int) -> np.ndarray:
    return np.eye(k)[y]


# --- gradients -------------------------------------------------------------------------------


def make_case(hidden: str, output: str, depth: int) -> dict:
    """Unit-scale weights and biases, examples clear of every kink, labels the net gets wrong."""
    rng = np.random.default_rng([depth, HIDDEN.index(hidden), list(OUTPUTS).index(output)])
    sizes = [3] + [5] * depth + [OUTPUTS[output]]
    params = {}
    for l in range(1, len(sizes)):
        params[f"W{l}"] = rng.normal(0.0, 1.5 / np.sqrt(sizes[l - 1]), (sizes[l - 1], sizes[l]))
        params[f"b{l}"] = rng.normal(0.0, 0.5, sizes[l])
    X = rng.normal(size=(200, 3))
    _, cache = nn.forward_propagation(X, params, hidden, output)
    hidden_Z = np.hstack([cache[f"Z{l}"] for l in range(1, depth + 1)])  # (200, 5 * depth)
    keep = np.flatnonzero(np.abs(hidden_Z).min(axis=1) > KINK_MARGIN)[:20]
    # Label every example with the class the network finds least likely: gradients far from 0.
    A_L = cache[f"A{depth + 1}"][keep]
    Y = one_hot(A_L.argmin(axis=1), 3) if output == "softmax" else (A_L < 0.5).astype(float)
    X = X[keep]
    return {"params": params, "X": X, "Y": Y, "hidden": hidden, "output": output}


@pytest.fixture(
    scope="module",
    params=[(h, o, d) for h in HIDDEN for o in OUTPUTS for d in DEPTHS],
    ids=lambda p: f"{p[0]}-{p[1]}-{p[2]}hidden",
)
def case(request) -> dict:
    return make_case(*request.param)


def reference_grads(case: dict) -> dict:
    _, cache = nn.forward_propagation(case["X"], case["params"], case["hidden"], case["output"])
    return nn.backward_propagation(case["params"], cache, case["Y"], case["hidden"])


def test_case_is_well_posed(case):
    assert len(case["X"]) == 20
    assert set(reference_grads(case)) == {"d" + k for k in case["params"]}


@pytest.mark.oracle
def test_backward_matches_torch_autograd(case):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    hidden = {
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "relu": torch.relu,
        "leaky_relu": lambda t: F.leaky_relu(t, negative_slope=0.1),
    }[case["hidden"]]
    tensors = {k: torch.tensor(v, requires_grad=True) for k, v in case["params"].items()}
    L = len(tensors) // 2
    A = torch.from_numpy(case["X"])
    for l in range(1, L + 1):
        Z = A @ tensors[f"W{l}"] + tensors[f"b{l}"]
        A = hidden(Z) if l < L else Z
    Y = torch.from_numpy(case["Y"])
    if case["output"] == "sigmoid":
        A_L, loss = torch.sigmoid(Z), F.binary_cross_entropy(torch.sigmoid(Z), Y)
    else:
        A_L, loss = torch.softmax(Z, dim=1), F.cross_entropy(Z, Y)  # Y as class probabilities
    loss.backward()

    ours_A_L, _ = nn.forward_propagation(case["X"], case["params"], case["hidden"], case["output"])
    np.testing.assert_allclose(ours_A_L, A_L.detach().numpy(), rtol=1e-13)
    assert nn.compute_cost(ours_A_L, case["Y"]) == pytest.approx(loss.item(), rel=1e-13)
    grads = reference_grads(case)
    for k, t in tensors.items():
        assert rel_err(grads["d" + k], t.grad.numpy()) <= 1e-8, k


def five_point_gradient(cost, params: dict, h: float = 1e-4) -> dict:
    """Fourth-order central differences of cost(params), entry by entry."""
    grads = {}
    for key, value in params.items():
        g = np.zeros_like(value)
        for index in np.ndindex(value.shape):

            def at(step, key=key, index=index):
                shifted = params[key].copy()
                shifted[index] += step
                return cost({**params, key: shifted})

            g[index] = (at(-2 * h) - 8 * at(-h) + 8 * at(h) - at(2 * h)) / (12 * h)
        grads["d" + key] = g
    return grads


def test_backward_matches_finite_differences(case):
    def cost(p):
        A_L, _ = nn.forward_propagation(case["X"], p, case["hidden"], case["output"])
        return nn.compute_cost(A_L, case["Y"])

    numeric = five_point_gradient(cost, case["params"])
    grads = reference_grads(case)
    for k, g in numeric.items():
        assert rel_err(grads[k], g) <= 1e-8, k


def test_gradient_check_reports_agreement(case):
    check = nn.gradient_check(
        case["params"], case["X"], case["Y"], case["hidden"], case["output"], eps=1e-7
    )
    assert type(check) is float and check < 1e-7


def test_gradient_check_detects_a_wrong_gradient(monkeypatch):
    c = make_case("tanh", "sigmoid", 1)
    right = nn.backward_propagation

    def wrong(*args, **kwargs):
        grads = right(*args, **kwargs)
        return {**grads, "db1": grads["db1"] * 1.5}

    monkeypatch.setattr(nn, "backward_propagation", wrong)
    assert nn.gradient_check(c["params"], c["X"], c["Y"], "tanh", "sigmoid") > 1e-3


# --- forward, cost, update -------------------------------------------------------------------


@pytest.mark.parametrize("output", list(OUTPUTS))
def test_forward_cache_holds_every_layer(output):
    params = bb.initialize_parameters([4, 6, 5, OUTPUTS[output]], seed=3)
    X = np.random.default_rng(0).normal(size=(7, 4))
    A_L, cache = nn.forward_propagation(X, params, "tanh", output)
    assert set(cache) == {"A0", "A1", "A2", "A3", "Z1", "Z2", "Z3"}
    np.testing.assert_array_equal(cache["A0"], X)
    widths = [cache[f"A{l}"].shape[1] for l in range(4)]
    assert widths == [4, 6, 5, OUTPUTS[output]] and len(A_L) == 7
    np.testing.assert_array_equal(cache["A1"], np.tanh(cache["Z1"]))
    assert A_L is cache["A3"]
    if output == "softmax":
        np.testing.assert_allclose(A_L.sum(axis=1), 1.0)


def test_compute_cost_picks_the_cost_by_column_count():
    p, y = np.array([[0.2], [0.7]]), np.array([[0.0], [1.0]])
    assert nn.compute_cost(p, y) == bb.binary_cross_entropy(p, y)
    P, Y = np.array([[0.2, 0.8], [0.6, 0.4]]), np.eye(2)
    assert nn.compute_cost(P, Y) == bb.cross_entropy(P, Y)


def test_update_parameters_returns_a_new_dict():
    params = bb.initialize_parameters([2, 3, 1])
    grads = {"d" + k: np.ones_like(v) for k, v in params.items()}
    saved = {k: v.copy() for k, v in params.items()}
    new = nn.update_parameters(params, grads, 0.5)
    assert new is not params and set(new) == set(params)
    for k in params:
        np.testing.assert_array_equal(new[k], saved[k] - 0.5)
        np.testing.assert_array_equal(params[k], saved[k])
        assert not np.shares_memory(new[k], params[k])


# --- mini-batches and training ---------------------------------------------------------------


@pytest.mark.parametrize(("n", "batch_size"), [(10, 3), (10, 5), (10, 1), (7, 10), (200, 32)])
def test_minibatches_use_every_index_once(n, batch_size):
    batches = nn.minibatches(n, batch_size, np.random.default_rng(0))
    sizes = [len(b) for b in batches]
    assert sizes[:-1] == [batch_size] * (len(batches) - 1)
    assert 0 < sizes[-1] <= batch_size and sum(sizes) == n
    np.testing.assert_array_equal(np.sort(np.concatenate(batches)), np.arange(n))
    np.testing.assert_array_equal(np.concatenate(batches), np.random.default_rng(0).permutation(n))


def rings(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A disc of class 1 inside a ring of class 0, with a gap between them."""
    inner = np.arange(n) % 2 == 0
    radius = np.where(inner, rng.uniform(0.0, 1.0, n), rng.uniform(1.6, 2.5, n))
    angle = rng.uniform(0.0, 2 * np.pi, n)
    return np.c_[radius * np.cos(angle), radius * np.sin(angle)], inner.astype(int)


def xor(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Quadrants: class 1 where both coordinates share a sign, kept 0.1 off the axes."""
    X = rng.uniform(-1.0, 1.0, (n, 2))
    X += 0.1 * np.sign(X)
    return X, (X[:, 0] * X[:, 1] > 0).astype(int)


def blobs(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Three overlapping Gaussian blobs, 120 degrees apart."""
    y = np.arange(n) % 3
    angle = 2 * np.pi * y / 3
    centres = 2.0 * np.c_[np.cos(angle), np.sin(angle)]
    return centres + rng.normal(0.0, 0.6, (n, 2)), y


def split(X: np.ndarray, y: np.ndarray, rng: np.random.Generator):
    idx = rng.permutation(len(X))
    train, test = idx[: len(X) // 2], idx[len(X) // 2 :]
    return X[train], X[test], y[train], y[test]


@pytest.mark.parametrize(
    ("make", "output", "min_accuracy"),
    [(rings, "sigmoid", 0.97), (xor, "sigmoid", 0.97), (blobs, "softmax", 0.9)],
)
def test_network_learns(make, output, min_accuracy):
    rng = np.random.default_rng(0)
    X_train, X_test, y_train, y_test = split(*make(400, rng), rng)
    k = OUTPUTS[output]
    Y_train = y_train[:, None] if k == 1 else one_hot(y_train, k)
    params, history = nn.train(X_train, Y_train, [2, 8, k], 1.0, 1000, output_activation=output)
    predictions = nn.predict(X_test, params, output_activation=output)
    assert predictions.shape == y_test.shape and np.issubdtype(predictions.dtype, np.integer)
    assert np.mean(predictions == y_test) >= min_accuracy
    assert history["cost"][-1] < history["cost"][0]


@pytest.fixture(scope="module")
def ring_data() -> tuple[np.ndarray, np.ndarray]:
    X, y = rings(200, np.random.default_rng(1))
    return X, y[:, None].astype(float)


@pytest.mark.parametrize("batch_size", [None, 1, 32])
def test_every_batch_size_lowers_the_cost(ring_data, batch_size):
    X, Y = ring_data
    _, history = nn.train(X, Y, [2, 8, 1], 0.5, 20, batch_size=batch_size)
    costs = history["cost"]
    assert len(costs) == 20 and all(type(c) is float for c in costs)
    assert costs[-1] < costs[0]


@pytest.mark.parametrize("batch_size", [None, 32])
def test_train_follows_the_documented_recipe(ring_data, batch_size):
    X, Y = ring_data
    params, history = nn.train(X, Y, [2, 4, 1], 0.3, 3, batch_size=batch_size, seed=5)
    expected = bb.initialize_parameters([2, 4, 1], seed=5)
    rng = np.random.default_rng(5)
    for epoch in range(3):
        batches = [np.arange(len(X))] if batch_size is None else nn.minibatches(len(X), 32, rng)
        for idx in batches:
            _, cache = nn.forward_propagation(X[idx], expected)
            grads = nn.backward_propagation(expected, cache, Y[idx])
            expected = nn.update_parameters(expected, grads, 0.3)
        assert history["cost"][epoch] == nn.compute_cost(nn.forward_propagation(X, expected)[0], Y)
    for k in expected:
        np.testing.assert_array_equal(params[k], expected[k])


def test_train_is_deterministic_per_seed(ring_data):
    X, Y = ring_data
    runs = [nn.train(X, Y, [2, 4, 1], 0.5, 5, batch_size=16, seed=s) for s in (3, 3, 4)]
    (p1, h1), (p2, h2), (_, h3) = runs
    assert h1 == h2 and all(np.array_equal(p1[k], p2[k]) for k in p1)
    assert h1 != h3


def test_train_accepts_flat_binary_labels(ring_data):
    X, Y = ring_data
    flat = nn.train(X, Y[:, 0], [2, 4, 1], 0.5, 5)
    column = nn.train(X, Y, [2, 4, 1], 0.5, 5)
    assert flat[1] == column[1]


def test_predict_thresholds_inclusively_and_takes_argmax():
    zero = {"W1": np.zeros((2, 1)), "b1": np.zeros(1)}  # sigmoid(0) == 0.5 counts as class 1
    assert nn.predict(np.ones((3, 2)), zero, output_activation="sigmoid").tolist() == [1, 1, 1]
    three = {"W1": np.eye(3), "b1": np.zeros(3)}
    X = np.array([[0.0, 2.0, 1.0], [3.0, 0.0, 0.0]])
    assert nn.predict(X, three, output_activation="softmax").tolist() == [1, 0]


# --- inputs stay untouched -------------------------------------------------------------------

GRADED_CALLS = {
    "forward_propagation": lambda X, Y, p, g: nn.forward_propagation(X, p, "tanh"),
    "compute_cost": lambda X, Y, p, g: nn.compute_cost(nn.forward_propagation(X, p)[0], Y),
    "backward_propagation": lambda X, Y, p, g: nn.backward_propagation(
        p, nn.forward_propagation(X, p)[1], Y
    ),
    "update_parameters": lambda X, Y, p, g: nn.update_parameters(p, g, 0.1),
    "gradient_check": lambda X, Y, p, g: nn.gradient_check(p, X, Y, "tanh"),
    "train": lambda X, Y, p, g: nn.train(X, Y, [2, 3, 1], 0.1, 2, batch_size=4),
    "predict": lambda X, Y, p, g: nn.predict(X, p),
}


@pytest.mark.parametrize("name", GRADED_CALLS)
def test_inputs_are_not_mutated(name):
    rng = np.random.default_rng(6)
    params = {k: v * 100 for k, v in bb.initialize_parameters([2, 3, 1]).items()}
    inputs = {
        "X": rng.normal(size=(10, 2)),
        "Y": (rng.random((10, 1)) < 0.5).astype(float),
        "p": params,
        "g": {"d" + k: np.ones_like(v) for k, v in params.items()},
    }
    saved = {
        k: {key: a.copy() for key, a in v.items()} if isinstance(v, dict) else v.copy()
        for k, v in inputs.items()
    }
    GRADED_CALLS[name](**inputs)
    for k, v in inputs.items():
        if isinstance(v, dict):
            assert v.keys() == saved[k].keys(), f"{name} changed the keys of {k}"
            assert all(np.array_equal(v[key], saved[k][key]) for key in v), f"{name} modified {k}"
        else:
            assert np.array_equal(v, saved[k]), f"{name} modified {k}"
