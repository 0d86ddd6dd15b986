"""Decision-boundary plots of 2-D classifiers, and a gallery of the Playground data sets.

Figures are built with matplotlib's object API (no pyplot), so nothing here changes the backend of
a running notebook; PNG files are rendered by Agg.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from solutions.playground import make_dataset, train_test_split

# The Playground's orange (class 0) and blue (class 1), then more colours for extra classes.
CLASS_COLOURS = ("#f59322", "#0877bd", "#2ca02c", "#9467bd", "#d62728", "#8c564b", "#e377c2")
PROBABILITY_CMAP = LinearSegmentedColormap.from_list(
    "playground", [CLASS_COLOURS[0], "#ffffff", CLASS_COLOURS[1]]
)
GALLERY_POINTS = 500
OVERVIEW = ("circle", "xor", "gauss", "spiral")


@dataclass(frozen=True)
class Recipe:
    """A data set and the network and training settings that fit it."""

    dataset: str
    classes: int
    layer_sizes: tuple[int, ...]
    hidden_activation: str
    learning_rate: float
    epochs: int
    batch_size: int | None = None


RECIPES = {
    "circle": Recipe("circle", 2, (2, 8, 1), "relu", 0.1, 1000),
    "xor": Recipe("xor", 2, (2, 8, 1), "relu", 0.1, 1000),
    "gauss": Recipe("gauss", 2, (2, 1), "relu", 0.1, 200),
    "spiral": Recipe("spiral", 2, (2, 16, 16, 1), "tanh", 1.0, 3000),
    "spiral3": Recipe("spiral", 3, (2, 32, 32, 3), "relu", 0.1, 1000, batch_size=10),
}


@dataclass(frozen=True)
class Gallery:
    """PNG files written by playground_gallery (overview last) and test accuracy per recipe."""

    paths: list[Path]
    accuracies: dict[str, float]


@dataclass(frozen=True)
class _Fit:
    """A trained network's scoring function and its test set."""

    score: Callable[[np.ndarray], np.ndarray]
    X_test: np.ndarray
    y_test: np.ndarray
    accuracy: float


def plot_decision_boundary(
    ax: Axes,
    predict: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    y: np.ndarray,
    *,
    title: str = "",
    resolution: int = 250,
) -> Axes:
    """Shade the regions `predict` assigns to each class (or its P(class 1)) and plot the points."""
    X, y = np.asarray(X, dtype=float), np.asarray(y).astype(int)
    xx, yy = _grid(X, resolution)
    values = _as_scores(predict(np.column_stack([xx.ravel(), yy.ravel()]))).reshape(xx.shape)
    if _are_labels(values):
        n_classes = max(int(y.max()), int(values.max()), 1) + 1
        for label in range(n_classes):
            region = (values == label).astype(float)
            ax.contourf(xx, yy, region, levels=[0.5, 1.5], colors=[_colour(label)], alpha=0.35)
    else:
        n_classes = max(int(y.max()), 1) + 1
        ax.contourf(xx, yy, values, levels=np.linspace(0, 1, 11), cmap=PROBABILITY_CMAP, alpha=0.6)
        ax.contour(xx, yy, values, levels=[0.5], colors="#333333", linewidths=1)
    for label in range(n_classes):
        points = X[y == label]
        ax.scatter(
            points[:, 0],
            points[:, 1],
            s=14,
            color=_colour(label),
            edgecolors="white",
            linewidths=0.4,
            label=f"class {label}",
        )
    ax.set(xlim=(xx.min(), xx.max()), ylim=(yy.min(), yy.max()), aspect="equal", title=title)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return ax


def playground_gallery(out_dir: Path, *, epochs: int | None = None) -> Gallery:
    """Train the reference network on each recipe, save one PNG each and a 2x2 overview."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    overview = Figure(figsize=(10, 10), layout="constrained")
    overview_axes = dict(zip(OVERVIEW, overview.subplots(2, 2).ravel(), strict=True))
    paths, accuracies = [], {}
    for name, recipe in RECIPES.items():
        fit = _fit(recipe, epochs)
        title = f"{name}: {_describe(recipe)}\ntest accuracy {fit.accuracy:.1%}"
        figure = Figure(figsize=(5.5, 5.5), layout="constrained")
        plot_decision_boundary(figure.add_subplot(), fit.score, fit.X_test, fit.y_test, title=title)
        paths.append(out_dir / f"{name}.png")
        figure.savefig(paths[-1], dpi=100)
        if name in overview_axes:
            plot_decision_boundary(
                overview_axes[name], fit.score, fit.X_test, fit.y_test, title=title
            )
        accuracies[name] = fit.accuracy
    overview.suptitle("Reference network on the Playground data sets (test points shown)")
    paths.append(out_dir / "overview.png")
    overview.savefig(paths[-1], dpi=80)
    return Gallery(paths, accuracies)


def _fit(recipe: Recipe, epochs: int | None) -> _Fit:
    """Train the reference network on half of a noiseless data set; score it on the other half."""
    from solutions.neural_network import forward_propagation, predict, train

    X, y = make_dataset(recipe.dataset, GALLERY_POINTS, noise=0.0, seed=0, classes=recipe.classes)
    X_train, X_test, y_train, y_test = train_test_split(X, y, train_fraction=0.5, seed=0)
    output = "sigmoid" if recipe.classes == 2 else "softmax"
    Y = y_train[:, None] if recipe.classes == 2 else np.eye(recipe.classes)[y_train]
    params, _ = train(
        X_train,
        Y,
        list(recipe.layer_sizes),
        recipe.learning_rate,
        epochs or recipe.epochs,
        recipe.batch_size,
        recipe.hidden_activation,
        output,
    )

    def score(points: np.ndarray) -> np.ndarray:
        """P(class 1) for a binary network, otherwise the predicted labels."""
        if recipe.classes > 2:
            return predict(points, params, recipe.hidden_activation, output)
        return forward_propagation(points, params, recipe.hidden_activation, output)[0][:, 0]

    accuracy = float(np.mean(predict(X_test, params, recipe.hidden_activation, output) == y_test))
    return _Fit(score, X_test, y_test, accuracy)


def _describe(recipe: Recipe) -> str:
    """Short text of a recipe's architecture and training settings."""
    batch = "full batch" if recipe.batch_size is None else f"batch {recipe.batch_size}"
    shape = "-".join(map(str, recipe.layer_sizes))
    return f"{shape} {recipe.hidden_activation}, lr {recipe.learning_rate:g}, {batch}"


def _grid(X: np.ndarray, resolution: int) -> tuple[np.ndarray, np.ndarray]:
    """A square-celled mesh covering the points with a margin of 10% of their span."""
    low, high = X.min(axis=0), X.max(axis=0)
    margin = np.maximum(0.1 * (high - low), 0.5)
    axes = [np.linspace(a, b, resolution) for a, b in zip(low - margin, high + margin, strict=True)]
    return np.meshgrid(*axes)


def _as_scores(values: np.ndarray) -> np.ndarray:
    """Flatten predictions to (m,): a single column is kept, several columns become argmax."""
    values = np.asarray(values)
    if values.ndim == 2:
        return values[:, 0] if values.shape[1] == 1 else values.argmax(axis=1)
    return values.ravel()


def _are_labels(values: np.ndarray) -> bool:
    """True for whole-numbered predictions; probabilities must then lie in [0, 1]."""
    if np.all(values == np.round(values)):
        return True
    if values.min() < 0 or values.max() > 1:
        raise ValueError("predict must return class labels or probabilities in [0, 1]")
    return False


def _colour(label: int) -> str:
    """The colour of a class, cycling when there are more classes than colours."""
    return CLASS_COLOURS[label % len(CLASS_COLOURS)]
