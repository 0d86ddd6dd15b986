"""Mistakes students really make in `playground`, each with the message that names it.

A student's network is not the reference's, so the suite cannot name these by comparing values
with the mistake's own values. It names each one by a property of the result that holds whatever
the network (the test loss equals the loss on the training half, the parameters have the shapes of
another network, ...), with the message written here. `proof.mutants` turns each one into a
whole submission, to prove that the suite catches it.
Each one is the reference function with one edit, written as that edit (`patched`).
"""

from autograder.suite.diagnose import patched
from solutions.playground_lab import run_experiment, run_grid

# ------------------------------------------------------------------ run_experiment


run_experiment_test_loss_on_training_half = patched(
    run_experiment,
    '"test_loss": compute_cost(A_test, Y_test)',
    '"test_loss": compute_cost(A_train, Y_train)',
    message='"test_loss" is the loss on the training half: compute it from the trained '
    "network's predictions on X_test, against y_test.",
)

run_experiment_accuracy_on_training_half = patched(
    run_experiment,
    "float(np.mean(labels == y_test))",
    "float(np.mean(predict(X_train, params, hidden_activation=activation) == y_train))",
    message='"test_accuracy" is measured on the training half: predict the labels of X_test and '
    "compare them with y_test.",
)

run_experiment_accuracy_in_percent = patched(
    run_experiment,
    '"test_accuracy": float(',
    '"test_accuracy": 100 * float(',
    message='"test_accuracy" is a percentage; it should be the share of test points classified '
    "right, between 0 and 1: do not multiply by 100.",
)

run_experiment_ignores_activation = patched(
    run_experiment,
    "Y_train, Y_test = ",
    'activation = "tanh"\n    Y_train, Y_test = ',
    message="The hidden layers always use tanh: pass `activation` on, as hidden_activation, to "
    "train, forward_propagation and predict.",
)

run_experiment_one_hidden_layer_of_three = patched(
    run_experiment,
    "[X_train.shape[1], *hidden_layers, 1]",
    "[X_train.shape[1], 3, 1]",
    message="The network does not follow hidden_layers: build it with layer_sizes = "
    "[2, *hidden_layers, 1] (hidden_layers=[3, 3] is two hidden layers of 3).",
)

# ------------------------------------------------------------------ run_grid


run_grid_tuple_keys = patched(
    run_grid,
    "table[str(hidden_layers)]",
    "table[tuple(hidden_layers)]",
    message="The keys of run_grid's table are the hidden layers written as strings, str([3, 3]) "
    'is "[3, 3]", not tuples or lists of numbers.',
)

run_grid_keeps_params = patched(
    run_grid,
    '{k: v for k, v in result.items() if k != "params"}',
    "result",
    message='Each row of run_grid\'s table keeps "params": return only "train_loss", "test_loss" '
    'and "test_accuracy" for each configuration.',
)

run_grid_drops_settings = patched(
    run_grid,
    "            activation=activation,\n"
    "            learning_rate=learning_rate,\n"
    "            epochs=epochs,\n"
    "            seed=seed,\n",
    "",
    message="run_grid does not pass its settings on: call run_experiment with the activation, "
    "learning_rate, epochs and seed that run_grid was given.",
)

run_grid_one_layer_only = patched(
    run_grid,
    "for hidden_layers in GRID:",
    "for hidden_layers in GRID[:3]:",
    message="The grid misses the lecture's last configuration, two hidden layers of 3: the keys "
    'are "[1]", "[3]", "[6]" and "[3, 3]".',
)
