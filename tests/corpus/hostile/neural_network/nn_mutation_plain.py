# expect: full, update_parameters=0
# base: tests/corpus/alternatives/neural_network/nn_loops_and_while.py (the submission is that file, then this one)
"""Control for nn_hide_mutation: update_parameters updates params in place without hiding it.
The grader sees the mutation: it earns nothing for update_parameters; the rest (the base) is
right."""


# ---------------------------------------------------------------- hostile part
def update_parameters(params, grads, learning_rate):
    for key in params:
        params[key] -= learning_rate * grads["d" + key]
    return params
