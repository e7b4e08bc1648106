"""Normalisation axes of BatchNorm and LayerNorm, for images and for text.

Each panel is the input tensor drawn as a block of cells; the blue cells share
one mean and one variance. The masks come from examples/norm_axes.py, whose
cases the page docs/layers/batchnorm-vs-layernorm.md checks against the real
modules. Images merge H and W into one axis (as in Wu & He, Group
Normalization, 2018); both text panels are drawn in the (N, L, E) order.

The block is drawn in 2D, in oblique projection: only its three visible faces
(front, top, right), each face's cells of one colour as one path. A 3D axes
drew every face of every cell as its own path: 213 KB of SVG instead of 30 KB.
"""

import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import PathPatch
from matplotlib.path import Path as Outline

try:  # the plot directive runs this with the repository root as working directory
    from examples.norm_axes import CASES, group_mask
except ModuleNotFoundError:  # `python examples/figures/norm_axes.py` without PYTHONPATH
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from examples.norm_axes import CASES, group_mask

N, C, H, W = 4, 5, 2, 3  # image: drawn as (N, C, H*W)
L, E = 6, 5              # text: drawn as (N, L, E)
DEPTH = np.array([0.55, 0.35])  # screen offset of one step along N (into the page)
BLUE, GREY = np.array([0.12, 0.47, 0.71]), np.array([0.86, 0.86, 0.86])
SHADE = {"front": 1.0, "top": 1.08, "right": 0.82}  # light from above and the front


def drawn_mask(case):
    """The case's mask, reshaped/permuted to the 3 axes drawn, and those axes' names."""
    if case.layout == ("N", "C", "H", "W"):
        mask = group_mask((N, C, H, W), case.reduce).reshape(N, C, H * W)
        return mask, ("N", "C", "H*W")
    if case.layout == ("N", "E", "L"):
        return group_mask((N, E, L), case.reduce).permute(0, 2, 1), ("N", "L", "E")
    return group_mask((N, L, E), case.reduce), ("N", "L", "E")


def point(x, n, z):
    """Screen position of block coordinates: x across, z up, n into the page."""
    return np.array([x, z]) + n * DEPTH


def faces(shared):
    """For each visible face, every cell as (corners, is_blue). shared is indexed [x, n, z]."""
    X, Y, Z = shared.shape
    front = [([point(x, 0, z), point(x + 1, 0, z), point(x + 1, 0, z + 1), point(x, 0, z + 1)], shared[x, 0, z])
             for x in range(X) for z in range(Z)]
    top = [([point(x, n, Z), point(x + 1, n, Z), point(x + 1, n + 1, Z), point(x, n + 1, Z)], shared[x, n, Z - 1])
           for x in range(X) for n in range(Y)]
    right = [([point(X, n, z), point(X, n + 1, z), point(X, n + 1, z + 1), point(X, n, z + 1)], shared[X - 1, n, z])
             for n in range(Y) for z in range(Z)]
    return {"front": front, "top": top, "right": right}


def cells_path(cells):
    vertices, codes = [], []
    for corners in cells:
        vertices += [*corners, corners[0]]
        codes += [Outline.MOVETO, Outline.LINETO, Outline.LINETO, Outline.LINETO, Outline.CLOSEPOLY]
    return Outline(np.round(vertices, 3), codes)


def draw_block(ax, shared, names):
    for face, cells in faces(shared).items():
        for blue in (False, True):
            chosen = [corners for corners, is_blue in cells if bool(is_blue) == blue]
            if chosen:
                colour = np.clip((BLUE if blue else GREY) * SHADE[face], 0, 1)
                ax.add_patch(PathPatch(cells_path(chosen), facecolor=colour, edgecolor=(0.3, 0.3, 0.3, 0.6), linewidth=0.4))
    X, Y, Z = shared.shape
    ax.text(X / 2, -0.5, names[1], ha="center", va="top", fontsize=10)
    ax.text(*(point(X, Y / 2, 0) + [0.25, -0.2]), names[0], ha="left", va="top", fontsize=10)
    ax.text(*(point(X, Y, Z / 2) + [0.25, 0]), names[2], ha="left", va="center", fontsize=10)
    corner = point(X, Y, Z)
    ax.set_xlim(-0.5, corner[0] + 1.6)
    ax.set_ylim(-1.2, corner[1] + 0.3)
    ax.set_aspect("equal")
    ax.axis("off")


fig, axes = plt.subplots(2, 2, figsize=(8.4, 6.6))
for ax, case in zip(axes.flat, CASES):
    mask, names = drawn_mask(case)
    draw_block(ax, mask.permute(1, 0, 2).numpy(), names)  # drawn axes: x = C or L, n = N, z = H*W or E
    reduced = "、".join(case.layout[d] for d in case.reduce)
    ax.set_title(f"{case.name.replace(' on ', '，输入 ')}\n蓝色格子共用一个均值和方差（约掉 {reduced}）", fontsize=10)
fig.tight_layout()

if __name__ == "__main__":
    print("drew", len(CASES), "panels:", "; ".join(case.name for case in CASES))
