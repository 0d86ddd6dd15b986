# expect: total=0
"""The first call in each sandbox tries to get the model answer for neural_network (import, read
by path, a shell) and, failing that, forks a busy child and allocates past the memory limit;
every function returns junk. It earns nothing, and its children must be gone after grading."""

import importlib
import os
import subprocess
import sys
import numpy as np




# ---------------------------------------------------------------- hostile part
def _thief():
    sys.path[:0] = ["/work/main", "/autograder/source"]
    try:
        return importlib.import_module("solutions.neural_network")
    except BaseException:
        pass
    try:
        out = subprocess.run(["sh", "-c", "cat /work/main/solutions/neural_network.py"],
                             capture_output=True, text=True, timeout=2).stdout
        if "def train" in out:
            return out
    except Exception:
        pass
    return None


_TRIED = []


def _mischief():
    if _TRIED:  # one attempt per sandbox: the bombs below are not cheap
        return None
    _TRIED.append(True)
    ref = _thief()
    if ref is not None:
        return ref
    try:
        if os.fork() == 0:
            while True:
                pass
    except OSError:
        pass
    try:
        bytearray(4 * 2**30)
    except MemoryError:
        pass
    return None


def _use(name, *args, **kwargs):
    ref = _mischief()
    if ref is not None and not isinstance(ref, str):
        return getattr(ref, name)(*args, **kwargs)
    return {"junk": np.zeros(1)}


def forward_propagation(X, params, hidden_activation="relu", output_activation="sigmoid"):
    return _use("forward_propagation", X, params, hidden_activation, output_activation)


def compute_cost(A_L, Y):
    return _use("compute_cost", A_L, Y)


def layer_backward(dA, A_prev, W, Z, activation):
    return _use("layer_backward", dA, A_prev, W, Z, activation)


def backward_propagation(params, cache, Y, hidden_activation="relu"):
    return _use("backward_propagation", params, cache, Y, hidden_activation)


def update_parameters(params, grads, learning_rate):
    return _use("update_parameters", params, grads, learning_rate)


def gradient_check(params, X, Y, hidden_activation="relu", output_activation="sigmoid", eps=1e-7):
    return _use("gradient_check", params, X, Y, hidden_activation, output_activation, eps)


def minibatches(n, batch_size, rng):
    return _use("minibatches", n, batch_size, rng)


def train(X, Y, layer_sizes, learning_rate=0.1, epochs=1000, batch_size=None,
          hidden_activation="relu", output_activation="sigmoid", seed=0):
    return _use("train", X, Y, layer_sizes, learning_rate, epochs, batch_size,
                hidden_activation, output_activation, seed)


def predict(X, params, hidden_activation="relu", output_activation="sigmoid"):
    return _use("predict", X, params, hidden_activation, output_activation)
