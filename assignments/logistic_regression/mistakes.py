"""Mistakes students really make in `logistic_regression`, each with the message that names it.

When a student's value is wrong, the grader runs these on the same inputs; the message of the one
that reproduces the student's value becomes the hint. `proof.mutants` also turns each one into
a whole submission, to prove that the suite catches it. Every mistake has the graded function's
signature and is written as a student would write it. Names imported from the reference are the
reference's own, so that a mutant (the reference with one function replaced) resolves them.
"""

import numpy as np

from autograder.suite.diagnose import mistake
from solutions.logistic_regression import cost, forward, gradients, initialize_parameters, sigmoid

# ------------------------------------------------------------------ sigmoid


@mistake(
    "sigmoid",
    "1 / (1 + np.exp(-z)) overflows for large negative z (numpy warns 'overflow in exp'): "
    "use a stable form that only takes exp of -|z|.",
)
def sigmoid_overflows(z):
    return 1 / (1 + np.exp(-z))


@mistake(
    "sigmoid",
    "This is sigmoid(-z): the exponent needs a minus sign, sigmoid(z) = 1 / (1 + e^(-z)).",
)
def sigmoid_wrong_sign(z):
    return 1 / (1 + np.exp(z))


@mistake(
    "sigmoid",
    "np.exp(z) / (1 + np.exp(z)) is inf / inf = NaN for large z: only ever take exp of -|z|.",
)
def sigmoid_exp_ratio(z):
    return np.exp(z) / (1 + np.exp(z))


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


@mistake(
    "initialize_parameters",
    "w must start at zero in logistic regression: use np.zeros(m), not random numbers.",
)
def initialize_random_weights(m):
    return np.random.randn(m) * 0.01, 0.0


@mistake(
    "initialize_parameters",
    "w is a column of shape (m, 1); logistic regression uses a flat vector: np.zeros(m).",
)
def initialize_column_weights(m):
    return np.zeros((m, 1)), 0.0


@mistake(
    "initialize_parameters",
    "b must be the number 0.0, not an array such as np.zeros(1).",
)
def initialize_bias_array(m):
    return np.zeros(m), np.zeros(1)


@mistake(
    "initialize_parameters",
    "initialize_parameters returns the public example's answer (5 zeros) whatever m is: "
    "use np.zeros(m).",
)
def initialize_hard_coded(m):
    return np.zeros(5), 0.0


# ------------------------------------------------------------------ forward


@mistake(
    "forward",
    "X * w multiplies element by element and gives an (n, m) matrix: use the matrix product X @ w.",
)
def forward_elementwise(X, w, b):
    return sigmoid(X * w + b)


@mistake("forward", "The bias is subtracted: z = X @ w + b, with a plus.")
def forward_minus_b(X, w, b):
    return sigmoid(X @ w - b)


@mistake("forward", "The bias b is missing: z = X @ w + b.")
def forward_without_bias(X, w, b):
    return sigmoid(X @ w)


@mistake(
    "forward",
    "forward returns z = X @ w + b itself: apply the sigmoid to get probabilities.",
)
def forward_without_sigmoid(X, w, b):
    return X @ w + b


@mistake(
    "forward",
    "forward returns the public example's answer whatever the input: compute sigmoid(X @ w + b).",
)
def forward_hard_coded(X, w, b):
    return np.array([0.22270013882530884, 0.32082130082460697, 0.9626731126558706])


# ------------------------------------------------------------------ cost


@mistake(
    "cost",
    "log(0) gives -inf and 0 * log(0) gives NaN: clip y_hat to [1e-12, 1 - 1e-12] "
    "before taking the log.",
)
def cost_without_clipping(y_hat, y):
    return float(-np.mean(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat)))


@mistake(
    "cost",
    "The cost is negative: the cross-entropy has a minus sign in front, -mean(y log(y_hat) + ...).",
)
def cost_missing_minus(y_hat, y):
    p = np.clip(y_hat, 1e-12, 1 - 1e-12)
    return float(np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


@mistake(
    "cost",
    "The cost is a sum over examples; it should be the mean: divide by n (or use np.mean).",
)
def cost_sum_not_mean(y_hat, y):
    p = np.clip(y_hat, 1e-12, 1 - 1e-12)
    return float(-np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)))


@mistake(
    "cost",
    "Only the y * log(y_hat) term is there: add (1 - y) * log(1 - y_hat) for the examples "
    "with label 0.",
)
def cost_positive_term_only(y_hat, y):
    p = np.clip(y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(p)))


@mistake(
    "cost",
    "y was made a column (n, 1) while y_hat is (n,): their product broadcasts into an (n, n) "
    "matrix. Keep both flat.",
)
def cost_column_broadcast(y_hat, y):
    p = np.clip(y_hat, 1e-12, 1 - 1e-12)
    y = y.reshape(-1, 1)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


# ------------------------------------------------------------------ gradients


@mistake("gradients", "db is n times too large: it is the mean of y_hat - y, not the sum.")
def gradients_db_summed(X, y, y_hat):
    error = y_hat - y
    return X.T @ error / len(y), float(np.sum(error))


@mistake("gradients", "dw and db are n times too large: did you forget to divide by n?")
def gradients_not_averaged(X, y, y_hat):
    error = y_hat - y
    return X.T @ error, float(np.sum(error))


@mistake("gradients", "The gradients have the wrong sign: the error is y_hat - y, not y - y_hat.")
def gradients_wrong_sign(X, y, y_hat):
    error = y - y_hat
    return X.T @ error / len(y), float(np.mean(error))


@mistake(
    "gradients",
    "The error is multiplied by y_hat * (1 - y_hat): that is the gradient of the squared error. "
    "With the cross-entropy cost, dz is simply y_hat - y.",
)
def gradients_squared_error(X, y, y_hat):
    error = (y_hat - y) * y_hat * (1 - y_hat)
    return X.T @ error / len(y), float(np.mean(error))


@mistake(
    "gradients",
    "y_hat -= y changes the caller's y_hat: compute error = y_hat - y into a new array.",
)
def gradients_in_place(X, y, y_hat):
    y_hat -= y
    return X.T @ y_hat / len(y), float(np.mean(y_hat))


@mistake(
    "gradients",
    "y_hat - y broadcast into an (n, n) matrix because one of them was made a column (n, 1): "
    "keep both flat, of shape (n,).",
)
def gradients_column_broadcast(X, y, y_hat):
    error = y_hat.reshape(-1, 1) - y
    return X.T @ error / len(y), float(np.mean(error))


# ------------------------------------------------------------------ gradient_descent


@mistake(
    "gradient_descent",
    "gradient descent ignores tol: stop as soon as abs(costs[-2] - costs[-1]) < tol.",
)
def gradient_descent_ignores_tol(X, y, learning_rate=0.1, max_iter=10_000, tol=1e-6):
    w, b = initialize_parameters(X.shape[1])
    costs = [cost(forward(X, w, b), y)]
    for _ in range(max_iter):
        dw, db = gradients(X, y, forward(X, w, b))
        w = w - learning_rate * dw
        b = b - learning_rate * db
        costs.append(cost(forward(X, w, b), y))
    return w, b, costs


@mistake(
    "gradient_descent",
    "gradient descent ignores its learning_rate argument (it always steps by 0.1): "
    "use learning_rate in the update.",
)
def gradient_descent_fixed_rate(X, y, learning_rate=0.1, max_iter=10_000, tol=1e-6):
    w, b = initialize_parameters(X.shape[1])
    costs = [cost(forward(X, w, b), y)]
    for _ in range(max_iter):
        dw, db = gradients(X, y, forward(X, w, b))
        w = w - 0.1 * dw
        b = b - 0.1 * db
        costs.append(cost(forward(X, w, b), y))
        if abs(costs[-2] - costs[-1]) < tol:
            break
    return w, b, costs


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


@mistake(
    "gradient_descent",
    "The update goes uphill: it is w = w - learning_rate * dw (minus, not plus).",
)
def gradient_descent_ascent(X, y, learning_rate=0.1, max_iter=10_000, tol=1e-6):
    w, b = initialize_parameters(X.shape[1])
    costs = [cost(forward(X, w, b), y)]
    for _ in range(max_iter):
        dw, db = gradients(X, y, forward(X, w, b))
        w = w + learning_rate * dw
        b = b + learning_rate * db
        costs.append(cost(forward(X, w, b), y))
        if abs(costs[-2] - costs[-1]) < tol:
            break
    return w, b, costs


@mistake(
    "gradient_descent",
    "gradient descent does one update more than max_iter allows: the loop should run "
    "max_iter times at most.",
)
def gradient_descent_extra_update(X, y, learning_rate=0.1, max_iter=10_000, tol=1e-6):
    w, b = initialize_parameters(X.shape[1])
    costs = [cost(forward(X, w, b), y)]
    for _ in range(max_iter + 1):
        dw, db = gradients(X, y, forward(X, w, b))
        w = w - learning_rate * dw
        b = b - learning_rate * db
        costs.append(cost(forward(X, w, b), y))
        if abs(costs[-2] - costs[-1]) < tol:
            break
    return w, b, costs


# ------------------------------------------------------------------ predict


@mistake(
    "predict",
    "predict ignores its threshold argument and always uses 0.5: compare with threshold.",
)
def predict_fixed_threshold(X, w, b, threshold=0.5):
    return (forward(X, w, b) >= 0.5).astype(int)


@mistake(
    "predict",
    "The labels are inverted: predict 1 when the probability is at least the threshold.",
)
def predict_inverted(X, w, b, threshold=0.5):
    return (forward(X, w, b) < threshold).astype(int)


@mistake(
    "predict",
    "The threshold is compared with z = X @ w + b; compare it with the probability "
    "sigmoid(z) instead.",
)
def predict_thresholds_z(X, w, b, threshold=0.5):
    return (X @ w + b >= threshold).astype(int)


@mistake(
    "predict",
    "predict returns floats (0.0 and 1.0): labels are integers, convert with .astype(int).",
)
def predict_float_labels(X, w, b, threshold=0.5):
    return np.where(forward(X, w, b) >= threshold, 1.0, 0.0)


@mistake(
    "predict",
    "predict returns the public example's labels whatever the input: compute them from X.",
)
def predict_hard_coded(X, w, b, threshold=0.5):
    return np.array([0, 0, 1])
