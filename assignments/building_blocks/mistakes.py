"""Mistakes students really make in `building_blocks`, each with the message that names it.

Written as README.md's "How an instructor adds an exercise" describes: `patched(...)` where a
mistake is one edit of the model answer, written out otherwise. The sigmoid mistakes shared with
logistic_regression are in `autograder/suite/sigmoid_mistakes.py`.
"""

import numpy as np

from autograder.suite import sigmoid_mistakes as shared
from autograder.suite.diagnose import mistake, patched
from solutions.building_blocks import (
    ACTIVATIONS,
    binary_cross_entropy,
    cross_entropy,
    initialize_parameters,
    layer_forward,
    leaky_relu,
    leaky_relu_derivative,
    relu,
    relu_derivative,
    sigmoid,
    sigmoid_derivative,
    softmax,
    tanh_derivative,
)

# bound in this order: the sample classes take each function's first mistake
sigmoid_overflows, sigmoid_wrong_sign, sigmoid_exp_ratio = shared.IN_ORDER

# ------------------------------------------------------------------ sigmoid


@mistake("sigmoid", "sigmoid returns the public example's answer whatever z is: compute it from z.")
def sigmoid_hard_coded(z):
    return np.array(
        [0.11920292202211755, 0.37754066879814546, 0.5, 0.6224593312018546, 0.8807970779778823]
    )


# ------------------------------------------------------------------ sigmoid_derivative


sigmoid_derivative_of_activation = patched(
    sigmoid_derivative,
    "s = sigmoid(z)",
    "s = sigmoid(sigmoid(z))",
    message="sigmoid is applied twice: s(s(z)) * (1 - s(s(z))) is the derivative at "
    "a = sigmoid(z). The derivative is taken at z: s = sigmoid(z), then s * (1 - s).",
)

sigmoid_derivative_of_z = patched(
    sigmoid_derivative,
    "s = sigmoid(z)",
    "s = z",
    message="z * (1 - z) treats z as if it were sigmoid(z): compute s = sigmoid(z) first, "
    "then s * (1 - s).",
)

sigmoid_derivative_wrong_sign = patched(
    sigmoid_derivative,
    "return s * (1.0 - s)",
    "return s * (s - 1.0)",
    message="The derivative is negative: it is s * (1 - s), not s * (s - 1).",
)


@mistake(
    "sigmoid_derivative",
    "np.exp(-z) / (1 + np.exp(-z))**2 is inf / inf = NaN for large negative z: use "
    "s * (1 - s) with a stable sigmoid.",
)
def sigmoid_derivative_unstable(z):
    return np.exp(-z) / (1 + np.exp(-z)) ** 2


# ------------------------------------------------------------------ tanh


@mistake(
    "tanh",
    "(e^z - e^-z) / (e^z + e^-z) is inf / inf = NaN for large |z|: use np.tanh.",
)
def tanh_from_exponentials(z):
    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))


@mistake(
    "tanh",
    "2 * sigmoid(z) - 1 is tanh(z / 2): tanh(z) = 2 * sigmoid(2 * z) - 1, or simply np.tanh(z).",
)
def tanh_from_sigmoid(z):
    return 2 * sigmoid(z) - 1


@mistake("tanh", "tanh returns the public example's answer whatever z is: compute it from z.")
def tanh_hard_coded(z):
    return np.array(
        [-0.9640275800758169, -0.46211715726000974, 0.0, 0.46211715726000974, 0.9640275800758169]
    )


# ------------------------------------------------------------------ tanh_derivative


tanh_derivative_of_z = patched(
    tanh_derivative,
    "tanh(z) ** 2",
    "z**2",
    message="1 - z**2 treats z as if it were tanh(z): the derivative is 1 - tanh(z)**2.",
)

tanh_derivative_without_square = patched(
    tanh_derivative,
    "tanh(z) ** 2",
    "tanh(z)",
    message="The square is missing: the derivative is 1 - tanh(z)**2.",
)

tanh_derivative_square_outside = patched(
    tanh_derivative,
    "1.0 - tanh(z) ** 2",
    "(1.0 - tanh(z)) ** 2",
    message="(1 - tanh(z))**2 squares the wrong thing: the derivative is 1 - tanh(z)**2.",
)


# ------------------------------------------------------------------ relu


@mistake(
    "relu",
    "relu sets z[z < 0] = 0 in the caller's array: build a new array with np.maximum(z, 0).",
)
def relu_in_place(z):
    z[z < 0] = 0
    return z


@mistake(
    "relu",
    "np.max(z, 0) is the largest value along axis 0, not an element-wise maximum: "
    "use np.maximum(z, 0).",
)
def relu_max_along_axis(z):
    return np.max(z, 0)


@mistake(
    "relu",
    "This returns 1 where z > 0 and 0 elsewhere, which is relu's derivative: relu(z) is max(0, z).",
)
def relu_returns_step(z):
    return (z > 0).astype(float)


@mistake("relu", "relu returns the public example's answer whatever z is: compute it from z.")
def relu_hard_coded(z):
    return np.array([0.0, 0.0, 0.0, 0.5, 2.0])


# ------------------------------------------------------------------ relu_derivative


relu_derivative_one_at_kink = patched(
    relu_derivative,
    "> 0)",
    ">= 0)",
    message="relu_derivative(0) is 1 here; the course's convention is 0 at the kink: use z > 0, "
    "not z >= 0.",
)


@mistake(
    "relu_derivative",
    "relu_derivative overwrites the caller's z (z[z > 0] = 1, ...): build a new array, "
    "e.g. (z > 0).astype(float).",
)
def relu_derivative_in_place(z):
    z[z > 0] = 1
    z[z <= 0] = 0
    return z


@mistake(
    "relu_derivative",
    "np.sign(z) is -1 for negative z: relu's derivative is 0 there, 1 where z > 0.",
)
def relu_derivative_sign(z):
    return np.sign(z)


@mistake(
    "relu_derivative",
    "This is relu(z) itself, not its derivative: 1 where z > 0, 0 elsewhere.",
)
def relu_derivative_returns_relu(z):
    return relu(z)


# ------------------------------------------------------------------ leaky_relu


leaky_relu_default_001 = patched(
    leaky_relu,
    "alpha: float = 0.1",
    "alpha: float = 0.01",
    message="The default slope is 0.01; the course uses alpha = 0.1 by default: "
    "def leaky_relu(z, alpha=0.1).",
)

leaky_relu_ignores_alpha = patched(
    leaky_relu,
    "alpha * z)",
    "0.01 * z)",
    message="leaky_relu always uses the slope 0.01 and ignores its alpha argument: use alpha * z.",
)

leaky_relu_constant_slope = patched(
    leaky_relu,
    "alpha * z)",
    "alpha)",
    message="For negative z, leaky_relu is alpha * z, not the constant alpha.",
)

# ------------------------------------------------------------------ leaky_relu_derivative


leaky_relu_derivative_one_at_kink = patched(
    leaky_relu_derivative,
    "np.asarray(z) > 0",
    "np.asarray(z) >= 0",
    message="leaky_relu_derivative(0) is 1 here; the course's convention is alpha at the kink: "
    "use z > 0, not z >= 0.",
)

leaky_relu_derivative_default_001 = patched(
    leaky_relu_derivative,
    "alpha: float = 0.1",
    "alpha: float = 0.01",
    message="The default slope is 0.01; the course uses alpha = 0.1 by default: "
    "def leaky_relu_derivative(z, alpha=0.1).",
)

leaky_relu_derivative_times_z = patched(
    leaky_relu_derivative,
    "1.0, alpha)",
    "1.0, alpha * z)",
    message="For negative z the derivative is the constant alpha, not alpha * z.",
)


# ------------------------------------------------------------------ softmax


softmax_without_max = patched(
    softmax,
    "np.exp(Z - Z.max(axis=-1, keepdims=True))",
    "np.exp(Z)",
    message="np.exp(Z) overflows for large scores (inf / inf = NaN): subtract each row's maximum "
    "before taking exp, Z - Z.max(axis=1, keepdims=True).",
)

softmax_global_max = patched(
    softmax,
    "Z.max(axis=-1, keepdims=True)",
    "np.max(Z)",
    message="Subtracting the maximum of the whole matrix is not enough when rows are far apart (a "
    "row far below it becomes 0 / 0): subtract each row's own maximum, "
    "Z.max(axis=1, keepdims=True).",
)

softmax_slide_sign = patched(
    softmax,
    "np.exp(Z - Z.max(axis=-1, keepdims=True))",
    "np.exp(-(Z - Z.min(axis=-1, keepdims=True)))",
    message="This is softmax(-Z): the slide's e^{-z_k} is a sign slip. Softmax is "
    "exp(z_k) / sum_j exp(z_j).",
)


@mistake(
    "softmax",
    "The sum runs over the wrong axis: axis=0 adds down the columns. Each row is one example: "
    "e.sum(axis=1, keepdims=True).",
)
def softmax_wrong_axis(Z):
    e = np.exp(Z - Z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


softmax_without_keepdims = patched(
    softmax,
    "e.sum(axis=-1, keepdims=True)",
    "e.sum(axis=-1)",
    message="e.sum(axis=1) has shape (n,), which does not broadcast against (n, k): keep the "
    "column with keepdims=True.",
)


softmax_in_place = patched(
    softmax,
    "e = np.exp(Z - Z.max(axis=-1, keepdims=True))",
    "Z -= Z.max(axis=-1, keepdims=True)\n    e = np.exp(Z)",
    message="Z -= Z.max(...) changes the caller's array: write Z = Z - Z.max(axis=1, "
    "keepdims=True).",
)

# ------------------------------------------------------------------ binary_cross_entropy


binary_cross_entropy_without_clipping = patched(
    binary_cross_entropy,
    "p = np.clip(y_hat, EPS, 1 - EPS)",
    "p = y_hat",
    message="log(0) gives -inf and 0 * log(0) gives NaN: clip y_hat to [1e-12, 1 - 1e-12] "
    "before taking the log.",
)

binary_cross_entropy_broadcast = patched(
    binary_cross_entropy,
    "y = np.reshape(y, np.shape(p))",
    "p = p.ravel()",
    message="y_hat was flattened to (n,) while y stayed (n, 1): their product broadcasts into an "
    "(n, n) matrix. Give both the same shape.",
)


binary_cross_entropy_missing_minus = patched(
    binary_cross_entropy,
    "float(-np.mean(",
    "float(np.mean(",
    message="The cost is negative: the cross-entropy has a minus sign in front, "
    "-mean(y log(y_hat) + (1 - y) log(1 - y_hat)).",
)

binary_cross_entropy_sum = patched(
    binary_cross_entropy,
    "-np.mean(",
    "-np.sum(",
    message="The cost is a sum over examples; it should be the mean: divide by n (or use np.mean).",
)

binary_cross_entropy_positive_term_only = patched(
    binary_cross_entropy,
    " + (1 - y) * np.log(1 - p)",
    "",
    message="Only the y * log(y_hat) term is there: add (1 - y) * log(1 - y_hat) for the examples "
    "with label 0.",
)


# ------------------------------------------------------------------ cross_entropy


cross_entropy_mean_over_classes = patched(
    cross_entropy,
    "-np.sum(Y * np.log(np.clip(Y_hat, EPS, 1.0))) / len(Y)",
    "-np.mean(Y * np.log(np.clip(Y_hat, EPS, 1.0)))",
    message="np.mean over the whole (n, k) matrix divides by n * k, so the cost is k times too "
    "small: sum over classes, then divide by n.",
)

cross_entropy_without_clipping = patched(
    cross_entropy,
    "np.clip(Y_hat, EPS, 1.0)",
    "Y_hat",
    message="log(0) gives -inf and 0 * log(0) gives NaN: clip Y_hat away from 0 before taking "
    "the log.",
)

cross_entropy_sum = patched(
    cross_entropy,
    " / len(Y)",
    "",
    message="The cost is a sum over examples; it should be the mean: divide by n.",
)


@mistake(
    "cross_entropy",
    "The binary formula y log(p) + (1 - y) log(1 - p) was used: with one-hot labels the "
    "cost is -sum(Y * log(Y_hat)) / n.",
)
def cross_entropy_binary_formula(Y_hat, Y):
    p = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(Y * np.log(p) + (1 - Y) * np.log(1 - p)))


# ------------------------------------------------------------------ initialize_parameters


initialize_parameters_uniform = patched(
    initialize_parameters,
    "rng.standard_normal(",
    "rng.random(",
    message="The weights are uniform in [0, 0.01) (rand / random): use standard normal numbers "
    "(randn / standard_normal) times 0.01.",
)

initialize_parameters_unscaled = patched(
    initialize_parameters,
    " * 0.01",
    "",
    message="The weights are not scaled: multiply the standard normal numbers by 0.01.",
)

initialize_parameters_transposed = patched(
    initialize_parameters,
    "(layer_sizes[l - 1], layer_sizes[l]))",
    "(layer_sizes[l], layer_sizes[l - 1]))",
    message="W{l} has shape (size[l], size[l-1]): in this course examples are rows, so W{l} is "
    "(size[l-1], size[l]).",
)

initialize_parameters_ignores_seed = patched(
    initialize_parameters,
    "rng.standard_normal((layer_sizes[l - 1], layer_sizes[l]))",
    "np.random.randn(layer_sizes[l - 1], layer_sizes[l])",
    message="The seed argument is not used: build the generator from it, "
    "np.random.default_rng(seed).",
)

# ------------------------------------------------------------------ layer_forward


layer_forward_swapped = patched(
    layer_forward,
    "return ACTIVATIONS[activation](Z), Z",
    "return Z, ACTIVATIONS[activation](Z)",
    message="layer_forward returns (Z, A); the contract's order is (A, Z).",
)

layer_forward_always_sigmoid = patched(
    layer_forward,
    "return ACTIVATIONS[activation](Z), Z",
    "return sigmoid(Z), Z",
    message="layer_forward always applies the sigmoid: use the activation it is given.",
)

layer_forward_without_bias = patched(
    layer_forward,
    "Z = A_prev @ W + b",
    "Z = A_prev @ W",
    message="The bias b is missing: Z = A_prev @ W + b.",
)


@mistake(
    "layer_forward",
    "'softmax' and 'linear' fall through to relu: handle every activation of the contract.",
)
def layer_forward_missing_activations(A_prev, W, b, activation):
    Z = A_prev @ W + b
    if activation in ("sigmoid", "tanh", "leaky_relu"):
        return ACTIVATIONS[activation](Z), Z
    return relu(Z), Z


@mistake(
    "layer_forward",
    "layer_forward returns the public example's answer whatever the input: compute it.",
)
def layer_forward_hard_coded(A_prev, W, b, activation):
    A = np.array(
        [[0.48750260351578967, 0.19781611144141825], [0.33181222783183395, 0.6899744811276125]]
    )
    Z = np.array([[-0.04999999999999999, -1.4], [-0.7, 0.8]])
    return A, Z
