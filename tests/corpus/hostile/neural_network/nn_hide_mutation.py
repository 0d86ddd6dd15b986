# expect: full, update_parameters=0
# base: tests/corpus/alternatives/neural_network/nn_loops_and_while.py (the submission is that file, then this one)
"""update_parameters updates params in place and returns the same dict (the contract says the
input is not mutated), and patches the sandbox worker's mutation check so the report says
nothing changed. It deserves nothing for update_parameters; the rest (the base) is right."""

import sys


# ---------------------------------------------------------------- hostile part
def update_parameters(params, grads, learning_rate):
    worker = sys.modules["__main__"]
    if hasattr(worker, "_same"):
        worker._same = lambda a, b: True
    for key in params:
        params[key] -= learning_rate * grads["d" + key]
    return params
