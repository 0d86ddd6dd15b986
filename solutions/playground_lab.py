"""The Playground lab's graded parts: the model answer (numpy only).

Students run the lecture's TensorFlow Playground grid offline, with their own network from the
`neural_network` assignment: data from `make_dataset`, split with `train_test_split` (both
kit-provided, in `solutions/playground.py`), then one experiment per configuration.

`forward_propagation`, `compute_cost` and `predict` are imported here so that the suite can
recompute, with the reference network, the losses a student reports from the parameters they
return.
"""

import numpy as np

from solutions.neural_network import compute_cost, forward_propagation, predict, train

__all__ = ["GRID", "compute_cost", "forward_propagation", "predict", "run_experiment", "run_grid"]

# The lecture's grid: one hidden layer of 1, 3 and 6 neurons, then two hidden layers of 3.
GRID = ([1], [3], [6], [3, 3])


def run_experiment(
    X_train: np.ndarray,
    X_test: np.ndarray,
    y_train: np.ndarray,
    y_test: np.ndarray,
    hidden_layers: list[int],
    activation: str = "tanh",
    learning_rate: float = 1.0,
    epochs: int = 500,
    seed: int = 0,
) -> dict:
    """Train a network with these hidden layers on the training split and evaluate it.

    The arguments come in train_test_split's order. The network has 2 inputs, the hidden layers,
    and one sigmoid output, trained by full-batch gradient descent. Returns a dict with
    "train_loss" and "test_loss" (floats: the cost of the trained network on each split),
    "test_accuracy" (float: the share of test points classified right) and "params".

    Shapes: X_train (n_train, 2), y_train (n_train,), X_test (n_test, 2), y_test (n_test,);
    train and compute_cost want labels of shape (n, 1); layer_sizes is [2, *hidden_layers, 1];
    forward_propagation gives A_L of shape (n, 1) for each split; predict gives labels (n_test,).
    About 15 lines.
    """
    Y_train, Y_test = y_train.reshape(-1, 1), y_test.reshape(-1, 1)  # (n,) -> (n, 1)
    layer_sizes = [X_train.shape[1], *hidden_layers, 1]
    params, _ = train(
        X_train,
        Y_train,
        layer_sizes,
        learning_rate=learning_rate,
        epochs=epochs,
        hidden_activation=activation,
        seed=seed,
    )
    A_train, _ = forward_propagation(X_train, params, hidden_activation=activation)
    A_test, _ = forward_propagation(X_test, params, hidden_activation=activation)
    labels = predict(X_test, params, hidden_activation=activation)
    return {
        "train_loss": compute_cost(A_train, Y_train),
        "test_loss": compute_cost(A_test, Y_test),
        "test_accuracy": float(np.mean(labels == y_test)),
        "params": params,
    }


def run_grid(
    X_train: np.ndarray,
    X_test: np.ndarray,
    y_train: np.ndarray,
    y_test: np.ndarray,
    activation: str = "tanh",
    learning_rate: float = 1.0,
    epochs: int = 500,
    seed: int = 0,
) -> dict[str, dict]:
    """run_experiment for each configuration of the lecture's grid, on the same split.

    Returns {str(hidden_layers): {"train_loss", "test_loss", "test_accuracy"}}, with the keys
    "[1]", "[3]", "[6]" and "[3, 3]". Loop over GRID, call run_experiment with the same split
    and settings, and keep each result without its "params". About 6 lines.
    """
    table = {}
    for hidden_layers in GRID:
        result = run_experiment(
            X_train,
            X_test,
            y_train,
            y_test,
            hidden_layers,
            activation=activation,
            learning_rate=learning_rate,
            epochs=epochs,
            seed=seed,
        )
        table[str(hidden_layers)] = {k: v for k, v in result.items() if k != "params"}
    return table
