"""Figure for docs/tensors/expand-vs-repeat.md: expand() reuses 3 storage slots, repeat() copies 12.

Each panel shows a 3x4 result of the same 3x1 tensor x. Every cell shows its value and,
below it, the storage index it is read from (computed by examples.tensor_layout from the
real strides). The strip underneath is the storage itself. Labels are Chinese; the font
comes from conf.py's plot_rcparams.
"""

import sys
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, Rectangle

try:
    from examples.tensor_layout import column, storage_numel, storage_offsets
except ModuleNotFoundError:  # `python examples/figures/expand_vs_repeat.py` without PYTHONPATH
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from examples.tensor_layout import column, storage_numel, storage_offsets

COLORS = {1: "#8ecae6", 2: "#ffb703", 3: "#b7e4c7"}


def draw_panel(ax, title, t, note):
    rows, cols = t.shape
    values = t.tolist()
    offsets = storage_offsets(t).tolist()
    n = storage_numel(t)
    storage_values = t.as_strided((n,), (1,), 0).tolist()  # the storage, read front to back
    # the tensor: rows go down, columns go right
    top = 6.3
    for i in range(rows):
        for j in range(cols):
            x, y = j * 1.2, top - i * 1.2
            ax.add_patch(Rectangle((x, y), 1.1, 1.1, facecolor=COLORS[values[i][j]], edgecolor="black"))
            ax.text(x + 0.55, y + 0.7, str(values[i][j]), ha="center", va="center", fontsize=14)
            ax.text(x + 0.55, y + 0.28, f"s[{offsets[i][j]}]", ha="center", va="center", fontsize=10, color="#333333")
    ax.text(2.35, top + 2.0, title, ha="center", va="center", fontsize=13, family="monospace")
    ax.text(2.35, top + 1.45, f"形状 {tuple(t.shape)}，步长 {t.stride()}", ha="center", va="center", fontsize=11)
    # the storage strip
    width = 4.7 / max(n, 4)
    y0 = 1.2
    for k in range(n):
        ax.add_patch(Rectangle((k * width, y0), width * 0.95, 0.9, facecolor=COLORS[storage_values[k]],
                               edgecolor="black"))
        ax.text(k * width + width * 0.47, y0 + 0.45, str(storage_values[k]), ha="center", va="center", fontsize=10)
        ax.text(k * width + width * 0.47, y0 - 0.3, str(k), ha="center", va="center", fontsize=8.5)
    ax.text(2.35, y0 + 1.35, f"存储：{n} 个元素", ha="center", va="center", fontsize=11)
    ax.text(2.35, y0 - 0.9, note, ha="center", va="center", fontsize=11)
    ax.add_patch(FancyArrowPatch((2.35, top - 1.2 * (rows - 1) - 0.15), (2.35, y0 + 1.65), arrowstyle="->",
                                 mutation_scale=12, color="#555555"))
    ax.set_xlim(-0.3, 5.0)
    ax.set_ylim(-0.2, top + 2.4)
    ax.set_aspect("equal")
    ax.axis("off")


x = column()
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 4.8))
draw_panel(left, "x.expand(3, 4)", x.expand(3, 4), "与 x 共用存储（步长 0）")
draw_panel(right, "x.repeat(1, 4)", x.repeat(1, 4), "新分配的存储，大小是 x 的 4 倍")
fig.tight_layout()

if __name__ == "__main__":
    print("drew expand vs repeat: 3 shared storage elements vs 12 copied")
