# expect: full, gradient_check=0
# base: tests/corpus/alternatives/neural_network/nn_loops_and_while.py (the submission is that file, then this one)
"""gradient_check computes nothing and returns 0.0. It deserves nothing for gradient_check; the
rest (the base) is right."""


# ---------------------------------------------------------------- hostile part
def gradient_check(params, X, Y, hidden_activation="relu", output_activation="sigmoid", eps=1e-7):
    return 0.0
