# expect: total=0
"""Imports and reads the model answer for building_blocks (import, importlib by path, /proc/1/root,
a shell) and walks gc for it. If it got it, every function would answer with the model
answer; otherwise everything is wrong."""

import gc
import importlib
import importlib.util
import subprocess
import sys
import numpy as np




# ---------------------------------------------------------------- hostile part
def _thief():
    sys.path[:0] = ["/work/main", "/autograder/source"]
    try:
        return importlib.import_module("solutions.building_blocks")
    except BaseException:
        pass
    for path in ("/work/main/solutions/building_blocks.py",
                 "/proc/1/root/work/main/solutions/building_blocks.py",
                 "../solutions/building_blocks.py"):
        try:
            spec = importlib.util.spec_from_file_location("bb", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module
        except BaseException:
            pass
    try:
        out = subprocess.run(["sh", "-c", "cat /work/main/solutions/building_blocks.py"],
                             capture_output=True, text=True, timeout=2).stdout
        if "def softmax" in out:
            namespace = {}
            exec(out, namespace)
            return type(sys)("bb") if not namespace else namespace
    except Exception:
        pass
    for obj in gc.get_objects():
        if isinstance(obj, type(sys)) and getattr(obj, "__name__", "").startswith("solutions"):
            return obj
    return None


_WRONG = {"sigmoid", "sigmoid_derivative", "tanh", "tanh_derivative", "relu", "relu_derivative",
          "leaky_relu", "leaky_relu_derivative", "softmax"}


def _answer(name, *args, **kwargs):
    ref = _thief()
    if ref is not None:
        fn = ref[name] if isinstance(ref, dict) else getattr(ref, name)
        return fn(*args, **kwargs)
    if name in _WRONG:
        return np.full(np.shape(args[0]), 0.5)
    if name in ("binary_cross_entropy", "cross_entropy"):
        return -1.0
    if name == "initialize_parameters":
        return {}
    return None, None


def sigmoid(z):
    return _answer("sigmoid", z)


def sigmoid_derivative(z):
    return _answer("sigmoid_derivative", z)


def tanh(z):
    return _answer("tanh", z)


def tanh_derivative(z):
    return _answer("tanh_derivative", z)


def relu(z):
    return _answer("relu", z)


def relu_derivative(z):
    return _answer("relu_derivative", z)


def leaky_relu(z, alpha=0.1):
    return _answer("leaky_relu", z, alpha=alpha)


def leaky_relu_derivative(z, alpha=0.1):
    return _answer("leaky_relu_derivative", z, alpha=alpha)


def softmax(Z):
    return _answer("softmax", Z)


def binary_cross_entropy(y_hat, y):
    return _answer("binary_cross_entropy", y_hat, y)


def cross_entropy(Y_hat, Y):
    return _answer("cross_entropy", Y_hat, Y)


def initialize_parameters(layer_sizes, seed=0):
    return _answer("initialize_parameters", layer_sizes, seed=seed)


def layer_forward(A_prev, W, b, activation):
    return _answer("layer_forward", A_prev, W, b, activation)
