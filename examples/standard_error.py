"""A seeded simulation: the standard deviation of the data stays put, the
standard error of the mean shrinks like 1/sqrt(n).

Imported by docs/stats/sd-vs-se.md and examples/figures/standard_error.py.
"""

from __future__ import annotations

import numpy as np


def simulate(ns=(4, 16, 64, 256), reps: int = 2000, sigma: float = 2.0, mu: float = 10.0,
             seed: int = 0) -> list[dict[str, float]]:
    """For each sample size n, draw `reps` samples of size n from N(mu, sigma^2).

    Returns one row per n with
      sd          average sample SD s (ddof=1): the spread of the data, does not shrink
      se_true     sigma / sqrt(n): the true standard error of the mean
      se_sim      SD of the `reps` sample means: the standard error, measured
      se_est      average s / sqrt(n): what one sample lets you estimate
    """
    rng = np.random.default_rng(seed)
    rows = []
    for n in ns:
        x = rng.normal(mu, sigma, size=(reps, n))
        means, sds = x.mean(axis=1), x.std(axis=1, ddof=1)
        rows.append({
            "n": n,
            "sd": float(sds.mean()),
            "se_true": sigma / np.sqrt(n),
            "se_sim": float(means.std(ddof=1)),
            "se_est": float((sds / np.sqrt(n)).mean()),
        })
    return rows


def main() -> None:
    print("    n   mean s   sigma/sqrt(n)   SD of means   mean s/sqrt(n)")
    for r in simulate():
        print(f"{r['n']:5d}   {r['sd']:6.3f}   {r['se_true']:13.3f}   {r['se_sim']:11.3f}   {r['se_est']:14.3f}")


if __name__ == "__main__":
    main()
