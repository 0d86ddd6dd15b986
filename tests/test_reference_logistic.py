"""Oracle tests for solutions/logistic_regression.py against scikit-learn, scipy and torch."""

import ast
import inspect
import warnings

import numpy as np
import pytest

from solutions import logistic_regression as lr


def standardise(X: np.ndarray) -> np.ndarray:
    return (X - X.mean(axis=0)) / X.std(axis=0)


@pytest.fixture(scope="module")
def synthetic() -> tuple[np.ndarray, np.ndarray]:
    """Labels drawn from a known logistic model: overlapping classes, a finite optimum."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((400, 3))
    p = 1 / (1 + np.exp(-(X @ np.array([1.5, -2.0, 0.5]) + 0.3)))
    return X, (rng.random(400) < p).astype(float)


@pytest.fixture(scope="module")
def iris_versicolor_virginica() -> tuple[np.ndarray, np.ndarray]:
    """Real data scikit-learn ships: versicolor vs virginica overlap, so the optimum is finite."""
    datasets = pytest.importorskip("sklearn.datasets")
    iris = datasets.load_iris()
    keep = iris.target > 0
    return standardise(iris.data[keep]), (iris.target[keep] == 2).astype(float)


@pytest.mark.oracle
@pytest.mark.parametrize("dataset", ["synthetic", "iris_versicolor_virginica"])
def test_gradient_descent_reaches_sklearn_optimum(dataset, request):
    linear_model = pytest.importorskip("sklearn.linear_model")
    X, y = request.getfixturevalue(dataset)
    # C=inf is the unpenalised model (penalty=None is deprecated from scikit-learn 1.8 on).
    sk = linear_model.LogisticRegression(C=np.inf, solver="lbfgs", tol=1e-12, max_iter=100_000)
    sk.fit(X, y)
    w, b, costs = lr.gradient_descent(X, y, learning_rate=2.0, max_iter=100_000, tol=1e-15)
    assert len(costs) < 100_001, "did not converge"
    np.testing.assert_allclose(w, sk.coef_[0], rtol=0, atol=1e-3)
    assert abs(b - sk.intercept_[0]) <= 1e-3
    assert np.all(np.diff(costs) <= 1e-12), "the cost rose"


@pytest.mark.parametrize("learning_rate", [0.01, 0.1, 1.0])
def test_cost_never_rises(synthetic, learning_rate):
    X, y = synthetic
    _, _, costs = lr.gradient_descent(X, y, learning_rate=learning_rate, max_iter=500)
    assert np.all(np.diff(costs) <= 1e-12)
    assert costs[-1] < costs[0]


def test_early_stop_is_exactly_the_first_small_change(synthetic):
    X, y = synthetic
    tol = 1e-3
    w, b, costs = lr.gradient_descent(X, y, tol=tol, max_iter=10_000)
    changes = np.abs(np.diff(costs))
    assert 1 < len(costs) < 10_001
    assert changes[-1] < tol
    assert np.all(changes[:-1] >= tol)
    assert lr.cost(lr.forward(X, w, b), y) == costs[-1]


@pytest.mark.parametrize("max_iter", [0, 1, 25])
def test_max_iter_caps_the_number_of_updates(synthetic, max_iter):
    X, y = synthetic
    _, _, costs = lr.gradient_descent(X, y, max_iter=max_iter, tol=0.0)
    assert len(costs) == max_iter + 1


def test_gradient_descent_starts_from_zero_and_takes_plain_steps(synthetic):
    X, y = synthetic
    w0, b0, costs0 = lr.gradient_descent(X, y, max_iter=0)
    assert np.array_equal(w0, np.zeros(3)) and b0 == 0.0
    assert costs0 == [pytest.approx(np.log(2))]
    w1, b1, _ = lr.gradient_descent(X, y, learning_rate=0.5, max_iter=1, tol=0.0)
    np.testing.assert_allclose(w1, -0.5 * X.T @ (0.5 - y) / len(y), rtol=1e-14)
    assert b1 == pytest.approx(-0.5 * np.mean(0.5 - y), rel=1e-14)


def test_gradient_descent_return_types(synthetic):
    X, y = synthetic
    w, b, costs = lr.gradient_descent(X, y, max_iter=10)
    assert w.shape == (3,) and w.dtype == np.float64
    assert type(b) is float
    assert isinstance(costs, list) and all(type(c) is float for c in costs)


def test_initialize_parameters():
    w, b = lr.initialize_parameters(4)
    assert np.array_equal(w, np.zeros(4)) and w.dtype == np.float64
    assert b == 0.0 and type(b) is float


EXTREMES = np.array([-1e4, -700.0, -30.0, -1.0, -1e-8, 0.0, 1e-8, 1.0, 30.0, 700.0, 1e4])


@pytest.mark.oracle
def test_sigmoid_matches_scipy_expit():
    special = pytest.importorskip("scipy.special")
    z = np.concatenate([EXTREMES, np.random.default_rng(1).normal(0, 10, 200)])
    np.testing.assert_allclose(lr.sigmoid(z), special.expit(z), rtol=1e-14, atol=0)


def test_sigmoid_emits_no_warning_at_extremes():
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        s = lr.sigmoid(EXTREMES)
    assert np.all(np.isfinite(s)) and s[0] == 0.0 and s[-1] == 1.0


@pytest.mark.oracle
def test_cost_matches_sklearn_log_loss():
    metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(2)
    y_hat, y = rng.random(50), (rng.random(50) < 0.5).astype(float)
    assert lr.cost(y_hat, y) == pytest.approx(metrics.log_loss(y, y_hat), rel=1e-12)


def test_cost_is_finite_for_predictions_exactly_0_and_1():
    y = np.array([0.0, 1.0, 0.0, 1.0])
    assert lr.cost(y.copy(), y) == pytest.approx(0.0, abs=1e-11)
    wrong = lr.cost(1 - y, y)
    assert np.isfinite(wrong) and wrong == pytest.approx(-np.log(1e-12), rel=1e-6)
    assert type(wrong) is float


@pytest.mark.oracle
def test_gradients_match_torch_autograd(synthetic):
    torch = pytest.importorskip("torch")
    X, y = synthetic
    rng = np.random.default_rng(3)
    w, b = rng.normal(size=3), 0.7
    dw, db = lr.gradients(X, y, lr.forward(X, w, b))
    w_t = torch.tensor(w, requires_grad=True)
    b_t = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    y_hat_t = torch.sigmoid(torch.from_numpy(X) @ w_t + b_t)
    torch.nn.functional.binary_cross_entropy(y_hat_t, torch.from_numpy(y)).backward()
    np.testing.assert_allclose(dw, w_t.grad.numpy(), rtol=1e-12)
    assert type(db) is float and db == pytest.approx(b_t.grad.item(), rel=1e-12)


def test_predict_thresholds_inclusively():
    X = np.array([[0.0], [1.0], [-1.0]])
    w = np.array([2.0])
    labels = lr.predict(X, w, 0.0)
    assert labels.tolist() == [1, 1, 0]  # sigmoid(0) == 0.5 counts as class 1
    assert np.issubdtype(labels.dtype, np.integer)
    assert lr.predict(X, w, 0.0, threshold=0.6).tolist() == [0, 1, 0]


def test_is_self_contained():
    imported = {
        alias.name if isinstance(node, ast.Import) else node.module
        for node in ast.walk(ast.parse(inspect.getsource(lr)))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported == {"numpy"}


GRADED_CALLS = {
    "sigmoid": lambda X, y, w, y_hat: lr.sigmoid(X),
    "forward": lambda X, y, w, y_hat: lr.forward(X, w, 0.5),
    "cost": lambda X, y, w, y_hat: lr.cost(y_hat, y),
    "gradients": lambda X, y, w, y_hat: lr.gradients(X, y, y_hat),
    "gradient_descent": lambda X, y, w, y_hat: lr.gradient_descent(X, y, 0.1, 5),
    "predict": lambda X, y, w, y_hat: lr.predict(X, w, 0.5),
}


@pytest.mark.parametrize("name", GRADED_CALLS)
def test_inputs_are_not_mutated(synthetic, name):
    X, y = synthetic
    w = np.array([0.3, -0.2, 0.1])
    inputs = {"X": X.copy(), "y": y.copy(), "w": w, "y_hat": lr.forward(X, w, 0.5)}
    saved = {k: v.copy() for k, v in inputs.items()}
    GRADED_CALLS[name](**inputs)
    for k, v in inputs.items():
        assert np.array_equal(v, saved[k]), f"{name} modified {k}"
