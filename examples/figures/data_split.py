"""Train / validation / test split: which sample goes where, and what each part is for.

The assignment is the one examples/kfold.py's train_val_test_split returns, so
the picture is the code's real output. Drawn by docs/stats/validation-set.md.
"""

import sys
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.patches import Patch, Rectangle

try:  # the plot directive runs this with the repository root as working directory
    from examples.kfold import train_val_test_split
except ModuleNotFoundError:  # `python examples/figures/data_split.py` without PYTHONPATH
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from examples.kfold import train_val_test_split

N = 20
COLORS = {"train": "#4c72b0", "validation": "#dd8452", "test": "#55a868"}
NAMES = {"train": "训练集", "validation": "验证集", "test": "测试集"}
ROLES = {
    "train": "拟合参数\n（权重）",
    "validation": "调超参数、\n早停",
    "test": "最终评估，\n只用一次",
}


def draw(ax):
    train, val, test = train_val_test_split(N, val_frac=0.2, test_frac=0.2, seed=0)
    part = {int(i): "train" for i in train} | {int(i): "validation" for i in val} | {int(i): "test" for i in test}
    # top row: each sample index, coloured by the part it was assigned to
    for i in range(N):
        ax.add_patch(Rectangle((i, 1.6), 0.92, 0.9, color=COLORS[part[i]]))
        ax.text(i + 0.46, 2.05, str(i), ha="center", va="center", fontsize=9, color="white")
    ax.text(-0.4, 2.05, "样本", ha="right", va="center", fontsize=10)
    # bottom row: the same samples grouped, with each part's role
    x = 0.0
    for name, idx in (("train", train), ("validation", val), ("test", test)):
        width = len(idx)
        ax.add_patch(Rectangle((x, 0), width - 0.08, 0.9, color=COLORS[name]))
        ax.text(x + width / 2, 0.45, f"{NAMES[name]}（{width}）", ha="center", va="center", fontsize=10, color="white")
        ax.text(x + width / 2, -0.35, ROLES[name], ha="center", va="top", fontsize=10)
        x += width
    ax.text(-0.4, 0.45, "分组后", ha="right", va="center", fontsize=10)
    ax.annotate("", xy=(N / 2, 1.0), xytext=(N / 2, 1.55), arrowprops={"arrowstyle": "->", "color": "0.4"})
    ax.set_xlim(-3.2, N + 0.2)
    ax.set_ylim(-1.6, 2.7)
    ax.axis("off")
    ax.legend(handles=[Patch(color=c, label=NAMES[n]) for n, c in COLORS.items()], loc="upper center",
              bbox_to_anchor=(0.55, 1.12), ncol=3, frameon=False, fontsize=10)


fig, ax = plt.subplots(figsize=(9, 2.6))
draw(ax)
fig.tight_layout()

if __name__ == "__main__":
    print(f"drew the train/validation/test split of {N} samples")
