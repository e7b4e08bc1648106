"""Normalisation axes of BatchNorm and LayerNorm, for images and for text.

Each panel is the input tensor drawn as a block of cells; the blue cells share
one mean and one variance. The masks come from examples/norm_axes.py, whose
cases the page docs/layers/batchnorm-vs-layernorm.md checks against the real
modules. Images merge H and W into one axis (as in Wu & He, Group
Normalization, 2018); both text panels are drawn in the (N, L, E) order.
"""

import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

try:  # the plot directive runs this with the repository root as working directory
    from examples.norm_axes import CASES, group_mask
except ModuleNotFoundError:  # `python examples/figures/norm_axes.py` without PYTHONPATH
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from examples.norm_axes import CASES, group_mask

N, C, H, W = 4, 5, 2, 3  # image: drawn as (N, C, H*W)
L, E = 6, 5              # text: drawn as (N, L, E)


def drawn_mask(case):
    """The case's mask, reshaped/permuted to the 3 axes drawn, and those axes' names."""
    if case.layout == ("N", "C", "H", "W"):
        mask = group_mask((N, C, H, W), case.reduce).reshape(N, C, H * W)
        return mask, ("N", "C", "H*W")
    if case.layout == ("N", "E", "L"):
        return group_mask((N, E, L), case.reduce).permute(0, 2, 1), ("N", "L", "E")
    return group_mask((N, L, E), case.reduce), ("N", "L", "E")


fig = plt.figure(figsize=(8.4, 7.2))
for i, case in enumerate(CASES):
    mask, names = drawn_mask(case)
    # voxel axes: x = second axis (C or L), y = N, z = third axis (H*W or E)
    shared = mask.permute(1, 0, 2).numpy()
    filled = np.ones(shared.shape, dtype=bool)
    colors = np.where(shared[..., None], np.array([0.12, 0.47, 0.71, 0.9]), np.array([0.85, 0.85, 0.85, 0.25]))
    ax = fig.add_subplot(2, 2, i + 1, projection="3d")
    ax.voxels(filled, facecolors=colors, edgecolor=(0.3, 0.3, 0.3, 0.4), linewidth=0.4)
    ax.set_xlabel(names[1], labelpad=-8)
    ax.set_ylabel(names[0], labelpad=-8)
    ax.set_zlabel(names[2], labelpad=-8)
    ax.set_xticks([]), ax.set_yticks([]), ax.set_zticks([])
    ax.set_box_aspect(shared.shape)
    ax.view_init(elev=22, azim=-58)
    reduced = ", ".join(case.layout[d] for d in case.reduce)
    ax.set_title(f"{case.name}\nblue: one mean/var, over {reduced}", fontsize=9)
fig.tight_layout()

if __name__ == "__main__":
    print("drew", len(CASES), "panels:", "; ".join(case.name for case in CASES))
