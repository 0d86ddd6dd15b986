# expect: total=0
"""A submission with a syntax error (a missing colon): nothing in it can be graded, and the
message must say where the syntax error is."""

import numpy as np


def sigmoid(z)
    return 1 / (1 + np.exp(-z))
