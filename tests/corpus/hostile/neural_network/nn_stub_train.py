# expect: full, train=0
# base: tests/corpus/alternatives/neural_network/nn_loops_and_while.py (the submission is that file, then this one)
"""train does no training: it returns zero parameters of the right shapes and a made-up, falling
cost history of the right length, the same every time. It deserves nothing for train; the
rest (the base) is right."""

import numpy as np


# ---------------------------------------------------------------- hostile part
def train(X, Y, layer_sizes, learning_rate=0.1, epochs=1000, batch_size=None,
          hidden_activation="relu", output_activation="sigmoid", seed=0):
    params = {}
    for l in range(1, len(layer_sizes)):
        params[f"W{l}"] = np.zeros((layer_sizes[l - 1], layer_sizes[l]))
        params[f"b{l}"] = np.zeros(layer_sizes[l])
    return params, {"cost": list(np.linspace(0.69, 0.3, epochs))}
