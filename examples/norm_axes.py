"""Which axes BatchNorm and LayerNorm reduce over, as data that is checked against PyTorch.

Each case names a layout, the dimensions one mean/variance is taken over, and a
factory for the real module. ``by_hand`` normalises with those dimensions;
``check`` compares it with the module in training mode. The page
docs/layers/batchnorm-vs-layernorm.md runs ``check`` in a doctest and
examples/figures/norm_axes.py draws ``group_mask`` for the same cases, so the
figure cannot drift away from what the modules do.

Run ``python examples/norm_axes.py`` to check every case.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import torch
from torch import nn


@dataclass(frozen=True)
class NormCase:
    name: str                      # what the figure prints above the panel
    layout: tuple[str, ...]        # axis names of the input, e.g. ("N", "C", "H", "W")
    reduce: tuple[int, ...]        # dims that share one mean and one variance
    make: Callable[[tuple[int, ...]], nn.Module]  # module for an input of that shape


CASES = [
    NormCase("BatchNorm2d(C) on (N, C, H, W)", ("N", "C", "H", "W"), (0, 2, 3),
             lambda shape: nn.BatchNorm2d(shape[1])),
    NormCase("LayerNorm((C, H, W)) on (N, C, H, W)", ("N", "C", "H", "W"), (1, 2, 3),
             lambda shape: nn.LayerNorm(shape[1:])),
    NormCase("BatchNorm1d(E) on (N, E, L)", ("N", "E", "L"), (0, 2),
             lambda shape: nn.BatchNorm1d(shape[1])),
    NormCase("LayerNorm(E) on (N, L, E)", ("N", "L", "E"), (2,),
             lambda shape: nn.LayerNorm(shape[2])),
]


def by_hand(x: torch.Tensor, dims: tuple[int, ...], eps: float = 1e-5) -> torch.Tensor:
    """(x - mean) / sqrt(var + eps), mean and biased variance taken over ``dims``."""
    mean = x.mean(dim=dims, keepdim=True)
    var = x.var(dim=dims, unbiased=False, keepdim=True)
    return (x - mean) / torch.sqrt(var + eps)


def check(case: NormCase, x: torch.Tensor) -> bool:
    """Does the module (fresh, training mode, default weight 1 and bias 0) equal ``by_hand``?"""
    module = case.make(tuple(x.shape)).train()
    with torch.no_grad():
        return torch.allclose(module(x), by_hand(x, case.reduce), atol=1e-5)


def group_mask(shape: tuple[int, ...], dims: tuple[int, ...], anchor: tuple[int, ...] | None = None) -> torch.Tensor:
    """Boolean mask of the elements that share their statistics with element ``anchor``.

    Two elements share a mean and a variance when they agree on every dimension
    that is *not* reduced.

    >>> group_mask((2, 3), (0,)).int().tolist()
    [[1, 0, 0], [1, 0, 0]]
    """
    anchor = anchor or (0,) * len(shape)
    mask = torch.ones(shape, dtype=torch.bool)
    for dim, size in enumerate(shape):
        if dim not in dims:
            keep = torch.arange(size) == anchor[dim]
            view = [1] * len(shape)
            view[dim] = size
            mask &= keep.view(view)
    return mask


if __name__ == "__main__":
    torch.manual_seed(0)
    for case in CASES:
        shape = (4, 3, 5, 6) if len(case.layout) == 4 else (4, 3, 5)
        x = torch.randn(shape) * 3 + 2
        ok = check(case, x)
        assert ok, case.name
        kept = [case.layout[d] for d in range(len(shape)) if d not in case.reduce]
        print(f"{case.name:38s} reduce over {[case.layout[d] for d in case.reduce]}, "
              f"one mean per {kept}: matches module = {ok}")
