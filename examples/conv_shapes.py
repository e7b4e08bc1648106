"""Shape arithmetic of nn.Conv1d / nn.Conv2d, checked against PyTorch.

Used by docs/layers/conv1d-conv2d.md (doctests) and by
examples/figures/conv_window.py (the sliding-window figure), so the page, the
figure and the real module all agree on one formula.

Run ``python examples/conv_shapes.py`` to print the formula next to the length
that ``nn.Conv1d`` really produces for several settings.
"""

from __future__ import annotations

from math import prod


def conv_out_len(l_in: int, kernel_size: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """Output length along one spatial dimension (the formula in the PyTorch docs).

    L_out = floor((L_in + 2*padding - dilation*(kernel_size - 1) - 1) / stride) + 1

    >>> conv_out_len(10, 5, stride=2)
    3
    >>> conv_out_len(7, 3, padding=1)
    7
    """
    return (l_in + 2 * padding - dilation * (kernel_size - 1) - 1) // stride + 1


def conv_param_count(in_channels: int, out_channels: int, kernel_size: int | tuple[int, ...],
                     groups: int = 1, bias: bool = True) -> int:
    """Number of learnable numbers in a ConvNd: out_channels kernels of shape (in/groups, *k).

    >>> conv_param_count(300, 500, 5)
    750500
    >>> conv_param_count(3, 16, (3, 3))
    448
    """
    k = prod(kernel_size) if isinstance(kernel_size, tuple) else kernel_size
    return out_channels * (in_channels // groups) * k + (out_channels if bias else 0)


def receptive_indices(l_in: int, kernel_size: int, stride: int = 1, padding: int = 0,
                      dilation: int = 1) -> list[list[int]]:
    """For each output position, the input positions its kernel touches.

    Positions are in the coordinates of the unpadded input: a negative index or
    one >= l_in falls on the zero padding.

    >>> receptive_indices(5, 3, stride=2, padding=1)
    [[-1, 0, 1], [1, 2, 3], [3, 4, 5]]
    """
    n_out = conv_out_len(l_in, kernel_size, stride, padding, dilation)
    return [[t * stride - padding + j * dilation for j in range(kernel_size)] for t in range(n_out)]


# (L_in, kernel_size, stride, padding, dilation): the settings the page and __main__ check.
SETTINGS = [
    (10, 5, 2, 0, 1),
    (10, 3, 1, 0, 1),
    (10, 3, 1, 1, 1),
    (10, 3, 2, 1, 1),
    (10, 3, 1, 0, 2),
    (11, 4, 3, 2, 2),
]


def torch_out_len(l_in: int, kernel_size: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """The length nn.Conv1d really produces for the same setting."""
    import torch
    from torch import nn

    conv = nn.Conv1d(1, 1, kernel_size, stride=stride, padding=padding, dilation=dilation)
    with torch.no_grad():
        return conv(torch.zeros(1, 1, l_in)).shape[-1]


if __name__ == "__main__":
    print(" L_in  k  s  p  d   formula  nn.Conv1d")
    for setting in SETTINGS:
        formula, real = conv_out_len(*setting), torch_out_len(*setting)
        assert formula == real, (setting, formula, real)
        print("{:5d} {:2d} {:2d} {:2d} {:2d}".format(*setting), f"{formula:9d} {real:10d}")
    print("Conv1d(300, 500, 5) parameters:", conv_param_count(300, 500, 5))
