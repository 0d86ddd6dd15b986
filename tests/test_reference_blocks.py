"""Oracle tests for solutions/building_blocks.py against torch and scipy."""

import warnings

import numpy as np
import pytest

from solutions import building_blocks as bb

EXTREMES = np.array([-1e4, -700.0, -30.0, -1.0, -1e-8, 0.0, 1e-8, 1.0, 30.0, 700.0, 1e4])
Z_GRID = np.concatenate([EXTREMES, np.random.default_rng(0).normal(0.0, 5.0, 200)])
ACTIVATION_NAMES = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]
KINK_AT_ZERO = {"relu": 0.0, "leaky_relu": 0.1}  # the contract's choice at z == 0


def torch_activation(name: str):
    torch = pytest.importorskip("torch")
    return {
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "relu": torch.relu,
        "leaky_relu": lambda t: torch.nn.functional.leaky_relu(t, negative_slope=0.1),
        "softmax": lambda t: torch.softmax(t, dim=1),
        "linear": lambda t: t,
    }[name]


@pytest.mark.oracle
@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_activation_matches_torch(name):
    torch = pytest.importorskip("torch")
    expected = torch_activation(name)(torch.from_numpy(Z_GRID)).numpy()
    np.testing.assert_allclose(getattr(bb, name)(Z_GRID), expected, rtol=1e-15, atol=0)


@pytest.mark.oracle
@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_derivative_matches_torch_autograd(name):
    torch = pytest.importorskip("torch")
    z = torch.tensor(Z_GRID, requires_grad=True)
    torch_activation(name)(z).sum().backward()
    expected = z.grad.numpy().copy()
    if name in KINK_AT_ZERO:
        expected[Z_GRID == 0] = KINK_AT_ZERO[name]
    derivative = getattr(bb, f"{name}_derivative")(Z_GRID)
    # s (1 - s) and 1 - tanh^2 cancel near saturation: compare at the float64 resolution of 1.
    np.testing.assert_allclose(derivative, expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(
    ("func", "expected"),
    [
        (bb.relu_derivative, 0.0),
        (bb.leaky_relu_derivative, 0.1),
        (lambda z: bb.leaky_relu_derivative(z, alpha=0.25), 0.25),
        (bb.sigmoid_derivative, 0.25),
        (bb.tanh_derivative, 1.0),
    ],
)
def test_derivative_at_exactly_zero(func, expected):
    assert func(np.array([0.0, -0.0])).tolist() == [expected, expected]


@pytest.mark.oracle
@pytest.mark.parametrize("alpha", [0.01, 0.25])
def test_leaky_relu_alpha_matches_torch(alpha):
    torch = pytest.importorskip("torch")
    z = torch.tensor(Z_GRID, requires_grad=True)
    out = torch.nn.functional.leaky_relu(z, negative_slope=alpha)
    out.sum().backward()
    np.testing.assert_allclose(bb.leaky_relu(Z_GRID, alpha), out.detach().numpy(), rtol=1e-15)
    np.testing.assert_allclose(bb.leaky_relu_derivative(Z_GRID, alpha), z.grad.numpy(), rtol=1e-15)


@pytest.mark.oracle
def test_sigmoid_matches_scipy_expit():
    special = pytest.importorskip("scipy.special")
    np.testing.assert_allclose(bb.sigmoid(Z_GRID), special.expit(Z_GRID), rtol=1e-14, atol=0)


SOFTMAX_ROWS = np.vstack(
    [
        [1e4, -1e4, 0.0],
        [-1e4, -1e4, -1e4],
        [700.0, 699.0, -700.0],
        [30.0, -30.0, 0.0],
        [0.0, 0.0, 0.0],
        np.random.default_rng(1).normal(0.0, 3.0, (20, 3)),
    ]
)


@pytest.mark.oracle
def test_softmax_matches_torch_and_scipy():
    torch = pytest.importorskip("torch")
    special = pytest.importorskip("scipy.special")
    S = bb.softmax(SOFTMAX_ROWS)
    np.testing.assert_allclose(S, torch.softmax(torch.from_numpy(SOFTMAX_ROWS), dim=1), rtol=1e-14)
    np.testing.assert_allclose(S, special.softmax(SOFTMAX_ROWS, axis=1), rtol=1e-14)
    np.testing.assert_allclose(S.sum(axis=1), 1.0, rtol=1e-15)


WARNING_CASES = {
    "sigmoid": lambda: bb.sigmoid(EXTREMES),
    "sigmoid_derivative": lambda: bb.sigmoid_derivative(EXTREMES),
    "tanh": lambda: bb.tanh(EXTREMES),
    "tanh_derivative": lambda: bb.tanh_derivative(EXTREMES),
    "softmax": lambda: bb.softmax(SOFTMAX_ROWS),
    "softmax_one_row": lambda: bb.softmax(np.array([[1e4, -1e4]])),
}


@pytest.mark.parametrize("case", WARNING_CASES)
def test_no_overflow_warning_at_extremes(case):
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        out = WARNING_CASES[case]()
    assert np.all(np.isfinite(out))


def test_sigmoid_saturates_exactly():
    assert bb.sigmoid(np.array([-1e4, 1e4])).tolist() == [0.0, 1.0]


@pytest.mark.oracle
@pytest.mark.parametrize("shape", [(40,), (40, 1)])
def test_binary_cross_entropy_matches_torch_and_scipy(shape):
    torch = pytest.importorskip("torch")
    special = pytest.importorskip("scipy.special")
    rng = np.random.default_rng(2)
    p = rng.uniform(0.01, 0.99, shape)
    y = (rng.random(shape) < 0.5).astype(float)
    cost = bb.binary_cross_entropy(p, y)
    assert type(cost) is float
    expected_torch = torch.nn.functional.binary_cross_entropy(
        torch.from_numpy(p), torch.from_numpy(y)
    ).item()
    expected_scipy = -np.mean(special.xlogy(y, p) + special.xlogy(1 - y, 1 - p))
    assert cost == pytest.approx(expected_torch, rel=1e-13)
    assert cost == pytest.approx(expected_scipy, rel=1e-13)


def test_binary_cross_entropy_same_for_flat_and_column_shapes():
    p, y = np.array([0.2, 0.9, 0.6]), np.array([0.0, 1.0, 0.0])
    flat = bb.binary_cross_entropy(p, y)
    assert bb.binary_cross_entropy(p[:, None], y[:, None]) == flat
    assert bb.binary_cross_entropy(p[:, None], y) == flat


@pytest.mark.oracle
def test_cross_entropy_matches_torch_and_scipy():
    torch = pytest.importorskip("torch")
    special = pytest.importorskip("scipy.special")
    rng = np.random.default_rng(3)
    Z = rng.normal(0.0, 2.0, (30, 4))
    Y = np.eye(4)[rng.integers(0, 4, 30)]
    cost = bb.cross_entropy(bb.softmax(Z), Y)
    assert type(cost) is float
    expected_torch = torch.nn.functional.cross_entropy(torch.from_numpy(Z), torch.from_numpy(Y))
    expected_scipy = -special.xlogy(Y, special.softmax(Z, axis=1)).sum() / len(Y)
    assert cost == pytest.approx(expected_torch.item(), rel=1e-13)
    assert cost == pytest.approx(expected_scipy, rel=1e-13)


@pytest.mark.parametrize(
    ("cost", "y"),
    [
        (bb.binary_cross_entropy, np.array([0.0, 1.0, 1.0, 0.0])),
        (bb.binary_cross_entropy, np.array([[0.0], [1.0]])),
        (bb.cross_entropy, np.eye(3)),
    ],
)
def test_costs_finite_for_predictions_exactly_0_and_1(cost, y):
    assert cost(y.copy(), y) == pytest.approx(0.0, abs=1e-11)
    wrong = cost(1 - y if y.ndim == 1 or y.shape[1] == 1 else np.roll(y, 1, axis=1), y)
    assert np.isfinite(wrong) and wrong == pytest.approx(-np.log(bb.EPS), rel=1e-6)


FLOAT_OUTPUT = [*ACTIVATION_NAMES, "softmax"]
FLOAT_OUTPUT += [f"{name}_derivative" for name in ACTIVATION_NAMES]


@pytest.mark.parametrize("name", FLOAT_OUTPUT)
def test_returns_float64_for_integer_input(name):
    out = getattr(bb, name)(np.array([[-2, 0, 3]]))
    assert out.dtype == np.float64 and out.shape == (1, 3)


def test_initialize_parameters_shapes_and_biases():
    params = bb.initialize_parameters([3, 5, 4, 2])
    assert list(params) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    shapes = {k: v.shape for k, v in params.items()}
    assert shapes == {"W1": (3, 5), "b1": (5,), "W2": (5, 4), "b2": (4,), "W3": (4, 2), "b3": (2,)}
    for l in (1, 2, 3):
        assert np.array_equal(params[f"b{l}"], np.zeros(params[f"W{l}"].shape[1]))
        assert params[f"W{l}"].dtype == np.float64


def test_initialize_parameters_scale():
    W = bb.initialize_parameters([300, 400])["W1"]
    assert W.std() == pytest.approx(0.01, rel=0.02)
    assert abs(W.mean()) < 1e-4


@pytest.mark.parametrize("seed", [0, 7])
def test_initialize_parameters_follows_the_seeded_generator(seed):
    params = bb.initialize_parameters([2, 3, 1], seed=seed)
    rng = np.random.default_rng(seed)
    np.testing.assert_array_equal(params["W1"], rng.standard_normal((2, 3)) * 0.01)
    np.testing.assert_array_equal(params["W2"], rng.standard_normal((3, 1)) * 0.01)


def test_initialize_parameters_deterministic_per_seed():
    a, b = bb.initialize_parameters([4, 3, 2]), bb.initialize_parameters([4, 3, 2], seed=0)
    assert all(np.array_equal(a[k], b[k]) for k in a)
    c = bb.initialize_parameters([4, 3, 2], seed=1)
    assert not np.array_equal(a["W1"], c["W1"])


@pytest.mark.oracle
@pytest.mark.parametrize("activation", list(bb.ACTIVATIONS))
def test_layer_forward_matches_torch(activation):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    A_prev, W, b = rng.normal(size=(6, 3)), rng.normal(size=(3, 4)), rng.normal(size=4)
    A, Z = bb.layer_forward(A_prev, W, b, activation)
    Z_t = torch.nn.functional.linear(
        torch.from_numpy(A_prev), torch.from_numpy(W.T), torch.tensor(b)
    )
    np.testing.assert_allclose(Z, Z_t.numpy(), rtol=1e-14)
    np.testing.assert_allclose(A, torch_activation(activation)(Z_t).numpy(), rtol=1e-14)
    assert A.shape == Z.shape == (6, 4)
    assert not np.shares_memory(A, Z)


def test_layer_forward_rejects_unknown_activation():
    with pytest.raises(ValueError, match="swish") as error:
        bb.layer_forward(np.ones((2, 2)), np.ones((2, 2)), np.ones(2), "swish")
    for name in ["sigmoid", "tanh", "relu", "leaky_relu", "softmax", "linear"]:
        assert name in str(error.value)


GRADED_CALLS = {
    "sigmoid": lambda Z, Y, W, b: bb.sigmoid(Z),
    "sigmoid_derivative": lambda Z, Y, W, b: bb.sigmoid_derivative(Z),
    "tanh": lambda Z, Y, W, b: bb.tanh(Z),
    "tanh_derivative": lambda Z, Y, W, b: bb.tanh_derivative(Z),
    "relu": lambda Z, Y, W, b: bb.relu(Z),
    "relu_derivative": lambda Z, Y, W, b: bb.relu_derivative(Z),
    "leaky_relu": lambda Z, Y, W, b: bb.leaky_relu(Z),
    "leaky_relu_derivative": lambda Z, Y, W, b: bb.leaky_relu_derivative(Z),
    "softmax": lambda Z, Y, W, b: bb.softmax(Z),
    "binary_cross_entropy": lambda Z, Y, W, b: bb.binary_cross_entropy(Z[:, :1], Y[:, :1]),
    "cross_entropy": lambda Z, Y, W, b: bb.cross_entropy(Z, Y),
    "layer_forward": lambda Z, Y, W, b: bb.layer_forward(Z, W, b, "relu"),
}


@pytest.mark.parametrize("name", GRADED_CALLS)
def test_inputs_are_not_mutated(name):
    rng = np.random.default_rng(5)
    inputs = {
        "Z": rng.uniform(-3.0, 3.0, (8, 3)),
        "Y": np.eye(3)[rng.integers(0, 3, 8)],
        "W": rng.normal(size=(3, 3)),
        "b": rng.normal(size=3),
    }
    saved = {k: v.copy() for k, v in inputs.items()}
    GRADED_CALLS[name](**inputs)
    for k, v in inputs.items():
        assert np.array_equal(v, saved[k]), f"{name} modified {k}"
