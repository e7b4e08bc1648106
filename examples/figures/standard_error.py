"""SD versus SE as the sample size grows, from the seeded simulation in
examples/standard_error.py. Drawn by docs/stats/sd-vs-se.md.
"""

import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

try:  # the plot directive runs this with the repository root as working directory
    from examples.standard_error import simulate
except ModuleNotFoundError:  # `python examples/figures/standard_error.py` without PYTHONPATH
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from examples.standard_error import simulate

SIGMA = 2.0
NS = (2, 4, 8, 16, 32, 64, 128, 256, 512)
rows = simulate(ns=NS, reps=2000, sigma=SIGMA, seed=0)
n = np.array([r["n"] for r in rows])

fig, ax = plt.subplots(figsize=(6.4, 4.0))
ax.plot(n, [r["sd"] for r in rows], "o-", color="#4c72b0", label="数据的标准差：样本标准差 s 的平均")
ax.plot(n, [r["se_sim"] for r in rows], "s", color="#dd8452", label="标准误（实测）：2000 个样本均值的标准差")
ax.plot(n, SIGMA / np.sqrt(n), "-", color="#dd8452", alpha=0.6, label=r"标准误（理论）：$\sigma/\sqrt{n}$")
ax.axhline(SIGMA, color="0.6", lw=0.8, ls="--")
ax.text(n[0], SIGMA * 1.06, r"$\sigma = 2$", ha="left", va="bottom", fontsize=9, color="0.4")
ax.set_xscale("log", base=2)
ax.set_yscale("log", base=2)
ticks = [0.125, 0.25, 0.5, 1, 2]
ax.set_yticks(ticks, [f"{t:g}" for t in ticks])
ax.set_xticks(n, [str(v) for v in n])
ax.set_ylim(0.07, 3.0)
ax.set_xlabel("样本量 n")
ax.set_ylabel("数值（对数刻度）")
ax.legend(fontsize=9, loc="lower left")
fig.tight_layout()

if __name__ == "__main__":
    print(f"drew SD and SE for n = {', '.join(map(str, NS))}")
