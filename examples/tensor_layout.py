"""Where each element of a tensor is stored: the storage index behind every entry.

A tensor is a storage plus (storage_offset, shape, stride). Element ``t[i, j, ...]``
is read from storage index ``storage_offset + i*stride[0] + j*stride[1] + ...``.
``storage_offsets(t)`` computes that index for every element, which makes the
difference between ``expand()`` (stride 0: many entries, one storage slot) and
``repeat()`` (a fresh copy, one slot per entry) visible.

Used by docs/tensors/expand-vs-repeat.md and examples/figures/expand_vs_repeat.py.
Run ``python examples/tensor_layout.py`` to print both layouts.
"""

from __future__ import annotations

import torch


def storage_offsets(t: torch.Tensor) -> torch.Tensor:
    """A LongTensor shaped like ``t``: the storage index each element is read from."""
    offsets = torch.full(tuple(t.shape), t.storage_offset(), dtype=torch.long)
    for dim, (size, stride) in enumerate(zip(t.shape, t.stride())):
        shape = [1] * t.dim()
        shape[dim] = size
        offsets = offsets + torch.arange(size).view(shape) * stride
    return offsets


def storage_numel(t: torch.Tensor) -> int:
    """How many elements the storage behind ``t`` holds (not ``t.numel()``)."""
    return t.untyped_storage().nbytes() // t.element_size()


def column() -> torch.Tensor:
    """The 3x1 tensor that the page and the figure expand and repeat."""
    return torch.tensor([[1], [2], [3]])


if __name__ == "__main__":
    x = column()
    for name, t in (("x.expand(3, 4)", x.expand(3, 4)), ("x.repeat(1, 4)", x.repeat(1, 4))):
        shared = t.data_ptr() == x.data_ptr()
        print(f"{name}: shape={tuple(t.shape)} stride={t.stride()} "
              f"storage elements={storage_numel(t)} shares x's memory={shared}")
        print(storage_offsets(t))
