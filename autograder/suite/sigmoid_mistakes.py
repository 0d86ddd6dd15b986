"""Sigmoid mistakes that building_blocks and logistic_regression share: both references have the
same stable sigmoid, so each message is true for both. Their mistakes.py files import these.
"""

import numpy as np

from autograder.suite.diagnose import mistake


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


IN_ORDER = (sigmoid_overflows, sigmoid_wrong_sign, sigmoid_exp_ratio)  # as the catalogues list them
