"""Mistakes students really make in `logistic_regression`, each with the message that names it.

Written as README.md's "How an instructor adds an exercise" describes: `patched(...)` where a
mistake is one edit of the model answer, written out otherwise. The sigmoid mistakes shared with
building_blocks are in `autograder/suite/sigmoid_mistakes.py`.
"""

import numpy as np

from autograder.suite import sigmoid_mistakes as shared
from autograder.suite.diagnose import mistake, patched
from solutions.logistic_regression import (
    cost,
    forward,
    gradient_descent,
    gradients,
    initialize_parameters,
    predict,
)

# bound in this order: the sample classes take each function's first mistake
sigmoid_overflows, sigmoid_wrong_sign, sigmoid_exp_ratio = shared.IN_ORDER

# ------------------------------------------------------------------ sigmoid


@mistake(
    "sigmoid",
    "sigmoid clips z in place (z[z < -500] = -500), which changes the caller's array: "
    "clip a copy, e.g. np.clip(z, -500, 500).",
)
def sigmoid_clips_in_place(z):
    z[z < -500] = -500
    return 1 / (1 + np.exp(-z))


@mistake(
    "sigmoid",
    "sigmoid returns the public example's answer whatever z is: compute it from z.",
)
def sigmoid_hard_coded(z):
    return np.array([0.11920292202211755, 0.5, 0.8807970779778823])


# ------------------------------------------------------------------ initialize_parameters


initialize_random_weights = patched(
    initialize_parameters,
    "np.zeros(m)",
    "np.random.randn(m) * 0.01",
    message="w must start at zero in logistic regression: use np.zeros(m), not random numbers.",
)

initialize_column_weights = patched(
    initialize_parameters,
    "np.zeros(m)",
    "np.zeros((m, 1))",
    message="w is a column of shape (m, 1); logistic regression uses a flat vector: np.zeros(m).",
)

initialize_bias_array = patched(
    initialize_parameters,
    ", 0.0",
    ", np.zeros(1)",
    message="b must be the number 0.0, not an array such as np.zeros(1).",
)

initialize_hard_coded = patched(
    initialize_parameters,
    "np.zeros(m)",
    "np.zeros(5)",
    message="initialize_parameters returns the public example's answer (5 zeros) whatever m is: "
    "use np.zeros(m).",
)

# ------------------------------------------------------------------ forward


forward_elementwise = patched(
    forward,
    "X @ w",
    "X * w",
    message="X * w multiplies element by element and gives an (n, m) matrix: use the matrix "
    "product X @ w.",
)

forward_minus_b = patched(
    forward, "X @ w + b", "X @ w - b", message="The bias is subtracted: z = X @ w + b, with a plus."
)

forward_without_bias = patched(
    forward, "X @ w + b", "X @ w", message="The bias b is missing: z = X @ w + b."
)

forward_without_sigmoid = patched(
    forward,
    "sigmoid(X @ w + b)",
    "X @ w + b",
    message="forward returns z = X @ w + b itself: apply the sigmoid to get probabilities.",
)


@mistake(
    "forward",
    "forward returns the public example's answer whatever the input: compute sigmoid(X @ w + b).",
)
def forward_hard_coded(X, w, b):
    return np.array([0.22270013882530884, 0.32082130082460697, 0.9626731126558706])


# ------------------------------------------------------------------ cost


cost_without_clipping = patched(
    cost,
    "p = np.clip(y_hat, EPS, 1 - EPS)",
    "p = y_hat",
    message="log(0) gives -inf and 0 * log(0) gives NaN: clip y_hat to [1e-12, 1 - 1e-12] "
    "before taking the log.",
)

cost_missing_minus = patched(
    cost,
    "float(-np.mean(",
    "float(np.mean(",
    message="The cost is negative: the cross-entropy has a minus sign in front, "
    "-mean(y log(y_hat) + ...).",
)

cost_sum_not_mean = patched(
    cost,
    "-np.mean(",
    "-np.sum(",
    message="The cost is a sum over examples; it should be the mean: divide by n (or use np.mean).",
)

cost_positive_term_only = patched(
    cost,
    " + (1 - y) * np.log(1 - p)",
    "",
    message="Only the y * log(y_hat) term is there: add (1 - y) * log(1 - y_hat) for the "
    "examples with label 0.",
)

cost_column_broadcast = patched(
    cost,
    "p = np.clip(y_hat, EPS, 1 - EPS)",
    "p = np.clip(y_hat, EPS, 1 - EPS)\n    y = y.reshape(-1, 1)",
    message="y was made a column (n, 1) while y_hat is (n,): their product broadcasts into an "
    "(n, n) matrix. Keep both flat.",
)


# ------------------------------------------------------------------ gradients


gradients_db_summed = patched(
    gradients,
    "float(np.mean(error))",
    "float(np.sum(error))",
    message="db is n times too large: it is the mean of y_hat - y, not the sum.",
)


gradients_not_averaged = patched(
    gradients,
    "dw = X.T @ error / len(y)  # (m, n) @ (n,) -> (m,)\n    return dw, float(np.mean(error))",
    "dw = X.T @ error\n    return dw, float(np.sum(error))",
    message="dw and db are n times too large: did you forget to divide by n?",
)

gradients_wrong_sign = patched(
    gradients,
    "error = y_hat - y",
    "error = y - y_hat",
    message="The gradients have the wrong sign: the error is y_hat - y, not y - y_hat.",
)

gradients_squared_error = patched(
    gradients,
    "error = y_hat - y",
    "error = (y_hat - y) * y_hat * (1 - y_hat)",
    message="The error is multiplied by y_hat * (1 - y_hat): that is the gradient of the squared "
    "error. With the cross-entropy cost, dz is simply y_hat - y.",
)


gradients_in_place = patched(
    gradients,
    "error = y_hat - y",
    "y_hat -= y\n    error = y_hat",
    message="y_hat -= y changes the caller's y_hat: compute error = y_hat - y into a new array.",
)

gradients_column_broadcast = patched(
    gradients,
    "error = y_hat - y",
    "error = y_hat.reshape(-1, 1) - y",
    message="y_hat - y broadcast into an (n, n) matrix because one of them was made a column "
    "(n, 1): keep both flat, of shape (n,).",
)


# ------------------------------------------------------------------ gradient_descent


gradient_descent_ignores_tol = patched(
    gradient_descent,
    "        if abs(costs[-2] - costs[-1]) < tol:\n            break\n",
    "",
    message="gradient descent ignores tol: stop as soon as abs(costs[-2] - costs[-1]) < tol.",
)

gradient_descent_fixed_rate = patched(
    gradient_descent,
    "w = w - learning_rate * dw\n        b = b - learning_rate * db",
    "w = w - 0.1 * dw\n        b = b - 0.1 * db",
    message="gradient descent ignores its learning_rate argument (it always steps by 0.1): "
    "use learning_rate in the update.",
)


@mistake(
    "gradient_descent",
    "The cost is appended before each update, so costs ends one step early: append the cost "
    "of the new w and b after each update.",
)
def gradient_descent_cost_before_update(X, y, learning_rate=0.1, max_iter=10_000, tol=1e-6):
    w, b = initialize_parameters(X.shape[1])
    costs = []
    for _ in range(max_iter):
        y_hat = forward(X, w, b)
        costs.append(cost(y_hat, y))
        if len(costs) > 1 and abs(costs[-2] - costs[-1]) < tol:
            break
        dw, db = gradients(X, y, y_hat)
        w = w - learning_rate * dw
        b = b - learning_rate * db
    return w, b, costs


gradient_descent_ascent = patched(
    gradient_descent,
    "w = w - learning_rate * dw\n        b = b - learning_rate * db",
    "w = w + learning_rate * dw\n        b = b + learning_rate * db",
    message="The update goes uphill: it is w = w - learning_rate * dw (minus, not plus).",
)

gradient_descent_extra_update = patched(
    gradient_descent,
    "range(max_iter)",
    "range(max_iter + 1)",
    message="gradient descent does one update more than max_iter allows: the loop should run "
    "max_iter times at most.",
)


# ------------------------------------------------------------------ predict


predict_fixed_threshold = patched(
    predict,
    ">= threshold",
    ">= 0.5",
    message="predict ignores its threshold argument and always uses 0.5: compare with threshold.",
)

predict_inverted = patched(
    predict,
    ">= threshold",
    "< threshold",
    message="The labels are inverted: predict 1 when the probability is at least the threshold.",
)

predict_thresholds_z = patched(
    predict,
    "forward(X, w, b)",
    "X @ w + b",
    message="The threshold is compared with z = X @ w + b; compare it with the probability "
    "sigmoid(z) instead.",
)

predict_float_labels = patched(
    predict,
    ">= threshold).astype(int)",
    ">= threshold).astype(float)",
    message="predict returns floats (0.0 and 1.0): labels are integers, convert with .astype(int).",
)


@mistake(
    "predict",
    "predict returns the public example's labels whatever the input: compute them from X.",
)
def predict_hard_coded(X, w, b, threshold=0.5):
    return np.array([0, 0, 1])
