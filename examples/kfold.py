"""Train/validation/test splits and k-fold cross-validation in plain NumPy.

Imported by docs/stats/validation-set.md and by the figure scripts
examples/figures/data_split.py and examples/figures/kfold.py, so the page,
the diagrams and this file cannot drift apart.

The toy problem: choose the degree of a polynomial fitted to noisy samples
of sin(3x). The degree is a hyperparameter; the coefficients are parameters.
"""

from __future__ import annotations

import numpy as np


def train_val_test_split(n: int, val_frac: float = 0.2, test_frac: float = 0.2,
                         seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle the indices 0..n-1 once and cut them into three disjoint, sorted index arrays.

    Returns (train, val, test). With val_frac=0 the first array is the whole
    development set, ready for k-fold cross-validation.
    """
    if not (0 <= val_frac < 1 and 0 <= test_frac < 1 and val_frac + test_frac < 1):
        raise ValueError("val_frac and test_frac must be in [0, 1) and sum to less than 1")
    perm = np.random.default_rng(seed).permutation(n)
    n_test, n_val = round(n * test_frac), round(n * val_frac)
    test, val, train = np.split(perm, [n_test, n_test + n_val])
    return np.sort(train), np.sort(val), np.sort(test)


def kfold_indices(n: int, k: int = 5, shuffle: bool = True,
                  seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """Split 0..n-1 into k folds; return k pairs (train_idx, val_idx).

    Every index is in exactly one validation fold. Fold sizes differ by at
    most one: the first n % k folds get one extra element (numpy.array_split).
    """
    if not 2 <= k <= n:
        raise ValueError(f"need 2 <= k <= n, got k={k}, n={n}")
    order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    folds = np.array_split(order, k)
    pairs = []
    for i, val in enumerate(folds):
        train = np.concatenate([f for j, f in enumerate(folds) if j != i])
        pairs.append((np.sort(train), np.sort(val)))
    return pairs


def stratified_kfold_indices(labels, k: int = 5, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """Like kfold_indices, but every fold keeps the class proportions of `labels`.

    The indices of each class are shuffled and the classes laid end to end; dealing
    that order out round-robin (position j goes to fold j % k) puts nearly the same
    number of every class into each fold, and fold sizes still differ by at most one.
    """
    labels = np.asarray(labels)
    n = len(labels)
    if not 2 <= k <= n:
        raise ValueError(f"need 2 <= k <= n, got k={k}, n={n}")
    rng = np.random.default_rng(seed)
    order = np.concatenate([rng.permutation(np.flatnonzero(labels == c)) for c in np.unique(labels)])
    fold_of = np.empty(n, dtype=int)
    fold_of[order] = np.arange(n) % k
    return [(np.flatnonzero(fold_of != i), np.flatnonzero(fold_of == i)) for i in range(k)]


# -- a toy model selection problem --------------------------------------------


def make_toy_data(n: int = 60, noise: float = 0.3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """x uniform on [-1, 1], y = sin(3x) + Gaussian noise."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, size=n)
    y = np.sin(3.0 * x) + noise * rng.normal(size=n)
    return x, y


def poly_fit(x: np.ndarray, y: np.ndarray, degree: int) -> np.ndarray:
    """Least-squares polynomial coefficients, highest power first (like numpy.polyval expects)."""
    coef, *_ = np.linalg.lstsq(np.vander(x, degree + 1), y, rcond=None)
    return coef


def mse(y: np.ndarray, y_hat: np.ndarray) -> float:
    return float(np.mean((y - y_hat) ** 2))


def cross_val_mse(x: np.ndarray, y: np.ndarray, degree: int, k: int = 5, seed: int = 0) -> np.ndarray:
    """Validation MSE of a degree-`degree` fit on each of the k folds."""
    scores = []
    for train, val in kfold_indices(len(x), k=k, seed=seed):
        coef = poly_fit(x[train], y[train], degree)
        scores.append(mse(y[val], np.polyval(coef, x[val])))
    return np.array(scores)


def select_degree(x: np.ndarray, y: np.ndarray, degrees, k: int = 5, seed: int = 0) -> tuple[int, dict[int, float]]:
    """The degree with the lowest mean k-fold validation MSE, and every mean."""
    means = {d: float(cross_val_mse(x, y, d, k=k, seed=seed).mean()) for d in degrees}
    return min(means, key=means.get), means


def main() -> None:
    x, y = make_toy_data(n=60, seed=0)
    dev, _, test = train_val_test_split(len(x), val_frac=0.0, test_frac=0.25, seed=1)
    print(f"{len(x)} samples: {len(dev)} for development (train + validation), {len(test)} held out for test")
    for i, (train, val) in enumerate(kfold_indices(len(dev), k=5, seed=0)):
        print(f"fold {i}: train on {len(train)}, validate on {len(val)}")
    degrees = [1, 3, 5, 7, 9, 12]
    best, means = select_degree(x[dev], y[dev], degrees, k=5, seed=0)
    for d in degrees:
        train_err = mse(y[dev], np.polyval(poly_fit(x[dev], y[dev], d), x[dev]))
        print(f"degree {d:2d}: training MSE {train_err:.3f}, 5-fold validation MSE {means[d]:.3f}")
    coef = poly_fit(x[dev], y[dev], best)  # refit on all development data
    print(f"chosen degree {best}; test MSE, computed once: {mse(y[test], np.polyval(coef, x[test])):.3f}")


if __name__ == "__main__":
    main()
