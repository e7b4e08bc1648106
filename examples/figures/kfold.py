"""k-fold cross-validation: in round i, fold i validates and the other folds train.

The folds are the ones examples/kfold.py's kfold_indices returns (shuffled,
seed 0), so the picture is the code's real output. Drawn by
docs/stats/validation-set.md.
"""

import sys
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.patches import Patch, Rectangle

try:  # the plot directive runs this with the repository root as working directory
    from examples.kfold import kfold_indices
except ModuleNotFoundError:  # `python examples/figures/kfold.py` without PYTHONPATH
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from examples.kfold import kfold_indices

N, K = 20, 5
TRAIN, VAL = "#4c72b0", "#dd8452"


def draw(ax):
    pairs = kfold_indices(N, k=K, shuffle=True, seed=0)
    for row, (_train, val) in enumerate(pairs):
        y = K - 1 - row
        val = set(val.tolist())
        for i in range(N):
            ax.add_patch(Rectangle((i, y), 0.92, 0.8, color=VAL if i in val else TRAIN))
            ax.text(i + 0.46, y + 0.4, str(i), ha="center", va="center", fontsize=8.5, color="white")
        ax.text(-0.4, y + 0.4, f"第 {row + 1} 轮", ha="right", va="center", fontsize=10)
        ax.text(N + 0.4, y + 0.4, f"→ 得分 {row + 1}", ha="left", va="center", fontsize=10)
    ax.text(N / 2, -0.45, f"交叉验证得分 = {K} 个得分的平均；每个样本恰好被验证一次",
            ha="center", va="top", fontsize=10)
    ax.set_xlim(-3.2, N + 3.6)
    ax.set_ylim(-1.2, K + 0.9)
    ax.axis("off")
    ax.legend(handles=[Patch(color=TRAIN, label="用于训练"), Patch(color=VAL, label="本轮用于验证的一折")],
              loc="upper center", bbox_to_anchor=(0.5, 1.1), ncol=2, frameon=False, fontsize=10)


fig, ax = plt.subplots(figsize=(9, 3.4))
draw(ax)
fig.tight_layout()

if __name__ == "__main__":
    print(f"drew {K}-fold cross-validation on {N} samples")
