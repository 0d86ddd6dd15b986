"""Mistakes students really make in `playground`, each with the message that names it.

A student's network is not the reference's, so the suite cannot name these by comparing values
with the mistake's own values. It names each one by a property of the result that holds whatever
the network (the test loss equals the loss on the training half, the parameters have the shapes of
another network, ...), with the message written here. `proof.mutants` turns each one into a
whole submission, to prove that the suite catches it.
"""

import numpy as np

from autograder.suite.diagnose import mistake
from solutions.playground_lab import (
    compute_cost,
    forward_propagation,
    predict,
    run_experiment,
    train,
)
from solutions.playground_lab import run_experiment as reference_run_experiment

# ------------------------------------------------------------------ run_experiment


@mistake(
    "run_experiment",
    '"test_loss" is the loss on the training half: compute it from the trained network\'s '
    "predictions on X_test, against y_test.",
)
def run_experiment_test_loss_on_training_half(
    X_train,
    X_test,
    y_train,
    y_test,
    hidden_layers,
    activation="tanh",
    learning_rate=1.0,
    epochs=500,
    seed=0,
):
    Y_train = y_train.reshape(-1, 1)
    params, _ = train(
        X_train,
        Y_train,
        [2, *hidden_layers, 1],
        learning_rate=learning_rate,
        epochs=epochs,
        hidden_activation=activation,
        seed=seed,
    )
    A_train, _ = forward_propagation(X_train, params, hidden_activation=activation)
    loss = compute_cost(A_train, Y_train)
    labels = predict(X_test, params, hidden_activation=activation)
    return {
        "train_loss": loss,
        "test_loss": loss,
        "test_accuracy": float(np.mean(labels == y_test)),
        "params": params,
    }


@mistake(
    "run_experiment",
    '"test_accuracy" is measured on the training half: predict the labels of X_test and compare '
    "them with y_test.",
)
def run_experiment_accuracy_on_training_half(
    X_train,
    X_test,
    y_train,
    y_test,
    hidden_layers,
    activation="tanh",
    learning_rate=1.0,
    epochs=500,
    seed=0,
):
    result = reference_run_experiment(
        X_train, X_test, y_train, y_test, hidden_layers, activation, learning_rate, epochs, seed
    )
    labels = predict(X_train, result["params"], hidden_activation=activation)
    return {**result, "test_accuracy": float(np.mean(labels == y_train))}


@mistake(
    "run_experiment",
    '"test_accuracy" is a percentage; it should be the share of test points classified right, '
    "between 0 and 1: do not multiply by 100.",
)
def run_experiment_accuracy_in_percent(
    X_train,
    X_test,
    y_train,
    y_test,
    hidden_layers,
    activation="tanh",
    learning_rate=1.0,
    epochs=500,
    seed=0,
):
    result = reference_run_experiment(
        X_train, X_test, y_train, y_test, hidden_layers, activation, learning_rate, epochs, seed
    )
    return {**result, "test_accuracy": 100 * result["test_accuracy"]}


@mistake(
    "run_experiment",
    "The hidden layers always use tanh: pass `activation` on, as hidden_activation, to train, "
    "forward_propagation and predict.",
)
def run_experiment_ignores_activation(
    X_train,
    X_test,
    y_train,
    y_test,
    hidden_layers,
    activation="tanh",
    learning_rate=1.0,
    epochs=500,
    seed=0,
):
    return reference_run_experiment(
        X_train, X_test, y_train, y_test, hidden_layers, "tanh", learning_rate, epochs, seed
    )


@mistake(
    "run_experiment",
    "The network does not follow hidden_layers: build it with layer_sizes = "
    "[2, *hidden_layers, 1] (hidden_layers=[3, 3] is two hidden layers of 3).",
)
def run_experiment_one_hidden_layer_of_three(
    X_train,
    X_test,
    y_train,
    y_test,
    hidden_layers,
    activation="tanh",
    learning_rate=1.0,
    epochs=500,
    seed=0,
):
    return reference_run_experiment(
        X_train, X_test, y_train, y_test, [3], activation, learning_rate, epochs, seed
    )


# ------------------------------------------------------------------ run_grid


@mistake(
    "run_grid",
    "The keys of run_grid's table are the hidden layers written as strings, str([3, 3]) is "
    '"[3, 3]", not tuples or lists of numbers.',
)
def run_grid_tuple_keys(
    X_train, X_test, y_train, y_test, activation="tanh", learning_rate=1.0, epochs=500, seed=0
):
    table = {}
    for hidden_layers in ([1], [3], [6], [3, 3]):
        result = run_experiment(
            X_train, X_test, y_train, y_test, hidden_layers, activation, learning_rate, epochs, seed
        )
        del result["params"]
        table[tuple(hidden_layers)] = result
    return table


@mistake(
    "run_grid",
    'Each row of run_grid\'s table keeps "params": return only "train_loss", "test_loss" and '
    '"test_accuracy" for each configuration.',
)
def run_grid_keeps_params(
    X_train, X_test, y_train, y_test, activation="tanh", learning_rate=1.0, epochs=500, seed=0
):
    return {
        str(hidden_layers): run_experiment(
            X_train, X_test, y_train, y_test, hidden_layers, activation, learning_rate, epochs, seed
        )
        for hidden_layers in ([1], [3], [6], [3, 3])
    }


@mistake(
    "run_grid",
    "run_grid does not pass its settings on: call run_experiment with the activation, "
    "learning_rate, epochs and seed that run_grid was given.",
)
def run_grid_drops_settings(
    X_train, X_test, y_train, y_test, activation="tanh", learning_rate=1.0, epochs=500, seed=0
):
    table = {}
    for hidden_layers in ([1], [3], [6], [3, 3]):
        result = run_experiment(X_train, X_test, y_train, y_test, hidden_layers)
        table[str(hidden_layers)] = {k: v for k, v in result.items() if k != "params"}
    return table


@mistake(
    "run_grid",
    "The grid misses the lecture's last configuration, two hidden layers of 3: the keys are "
    '"[1]", "[3]", "[6]" and "[3, 3]".',
)
def run_grid_one_layer_only(
    X_train, X_test, y_train, y_test, activation="tanh", learning_rate=1.0, epochs=500, seed=0
):
    table = {}
    for hidden_layers in ([1], [3], [6]):
        result = run_experiment(
            X_train, X_test, y_train, y_test, hidden_layers, activation, learning_rate, epochs, seed
        )
        table[str(hidden_layers)] = {k: v for k, v in result.items() if k != "params"}
    return table
