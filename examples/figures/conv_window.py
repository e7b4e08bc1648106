"""Sliding window of nn.Conv1d along the length axis, for three settings.

Each row shows the (padded) input cells, the output cells, and the input cells
that every output cell reads. Lengths and windows come from
examples/conv_shapes.py, the same code the page's doctests check against
nn.Conv1d. Drawn by the plot directive in docs/layers/conv1d-conv2d.md.
"""

import sys
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.patches import Rectangle

try:  # the plot directive runs this with the repository root as working directory
    from examples.conv_shapes import conv_out_len, receptive_indices
except ModuleNotFoundError:  # `python examples/figures/conv_window.py` without PYTHONPATH
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from examples.conv_shapes import conv_out_len, receptive_indices

ROWS = [  # (L_in, kernel_size, stride, padding, dilation)
    (7, 3, 1, 0, 1),
    (7, 3, 2, 1, 1),
    (7, 3, 1, 0, 2),
]
COLORS = ["tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown", "tab:pink"]


def draw_row(ax, l_in, k, s, p, d):
    n_out = conv_out_len(l_in, k, s, p, d)
    windows = receptive_indices(l_in, k, s, p, d)
    y_in, y_out = 1.6, 0.0
    for i in range(-p, l_in + p):  # input cells, padding hatched
        pad = i < 0 or i >= l_in
        ax.add_patch(Rectangle((i, y_in), 0.9, 0.9, facecolor="white" if pad else "0.85",
                               edgecolor="0.3", hatch="//" if pad else None))
        ax.text(i + 0.45, y_in + 0.45, "0" if pad else f"x{i}", ha="center", va="center", fontsize=9)
    offset = (l_in - n_out) / 2  # centre the output row under the input
    for t, window in enumerate(windows):
        color = COLORS[t % len(COLORS)]
        x_out = offset + t
        ax.add_patch(Rectangle((x_out, y_out), 0.9, 0.9, facecolor=color, alpha=0.35, edgecolor=color))
        ax.text(x_out + 0.45, y_out + 0.45, f"y{t}", ha="center", va="center", fontsize=9)
        for i in window:
            ax.plot([x_out + 0.45, i + 0.45], [y_out + 0.9, y_in], color=color, lw=1.2, alpha=0.8)
    ax.set_title(f"输入长度 {l_in}，kernel_size={k}，stride={s}，padding={p}，dilation={d} → 输出长度 {n_out}",
                 fontsize=10, loc="left")
    ax.set_xlim(-2.2, l_in + 2.2)
    ax.set_ylim(-0.2, 2.7)
    ax.set_aspect("equal")
    ax.axis("off")


fig, axes = plt.subplots(len(ROWS), 1, figsize=(6.4, 5.8))
for ax, row in zip(axes, ROWS):
    draw_row(ax, *row)
fig.tight_layout()

if __name__ == "__main__":
    print(f"drew {len(ROWS)} sliding-window rows:", ", ".join(
        f"k={k} s={s} p={p} d={d} -> L_out={conv_out_len(l, k, s, p, d)}" for l, k, s, p, d in ROWS))
