# expect: full, sigmoid=0
# base: tests/corpus/alternatives/logistic_regression/lr_loops.py (the submission is that file, then this one)
"""sigmoid returns 1.7e308 (drawn on the feedback page): the page must say so, not crash."""


def sigmoid(z):
    return np.full(np.shape(z), 1.7e308)


def _own_sigmoid(z):
    z = np.asarray(z, dtype=float)
    out = np.empty(z.shape)
    for index in np.ndindex(z.shape):
        out[index] = _sigmoid_scalar(float(z[index]))
    return out
