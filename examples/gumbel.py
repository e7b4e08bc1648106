"""Gumbel-max 采样、Gumbel-Softmax（含直通估计）和高斯重参数化的 PyTorch 实现。

页面 docs/sampling/reparameterization-gumbel-softmax.md 从这里导入::

    from examples.gumbel import gumbel_softmax, gumbel_max_sample

与 torch.nn.functional.gumbel_softmax 的区别只有两处：噪声按教科书公式
G = -log(-log U) 由均匀分布变换得到，并且可以传入 torch.Generator，
让两次调用用上同一份噪声（页面用它比较 hard=True 与 hard=False 的梯度）。

直接运行 ``python examples/gumbel.py`` 会打印一次统计检验和一次梯度检查。
"""

from __future__ import annotations

import torch
from torch import Tensor, nn


def sample_gumbel(shape, *, dtype=torch.float32, device=None, generator=None) -> Tensor:
    """标准 Gumbel(0, 1) 噪声：G = -log(-log U)，U ~ Uniform(0, 1)。

    torch.rand 的取值范围是 [0, 1)，可能恰好取到 0，此时 -log(-log 0) = -inf。
    把 U 截到 dtype 能表示的最小正数，整条变换就始终有限。
    """
    u = torch.rand(shape, dtype=dtype, device=device, generator=generator)
    u = u.clamp(min=torch.finfo(dtype).tiny)
    return -torch.log(-torch.log(u))


def _noise_like(logits: Tensor, generator) -> Tensor:
    # 噪声与 logits 同 dtype、同设备（备忘录的 tens_type(*shape) 总是落在 CPU float32 上）
    return sample_gumbel(logits.shape, dtype=logits.dtype, device=logits.device, generator=generator)


def gumbel_max_sample(logits: Tensor, dim: int = -1, generator=None) -> Tensor:
    """Gumbel-max：argmax(logits + G) 恰好服从 Categorical(softmax(logits))。返回类别下标。"""
    return torch.argmax(logits + _noise_like(logits, generator), dim=dim)


def gumbel_softmax(logits: Tensor, tau: float = 1.0, hard: bool = False, dim: int = -1,
                   generator=None) -> Tensor:
    """从 Gumbel-Softmax（Concrete）分布采样；hard=True 时用直通估计输出 one-hot。

    logits 是未归一化的对数概率（不是概率）。tau 是温度，必须为正：
    tau 越小，软样本越接近 one-hot，梯度方差也越大。
    hard=True 时前向输出 one-hot 向量，反向传播的梯度与软样本完全相同。
    """
    if not tau > 0:
        raise ValueError(f"tau must be positive, got {tau}")
    y_soft = torch.softmax((logits + _noise_like(logits, generator)) / tau, dim=dim)
    if not hard:
        return y_soft
    index = y_soft.argmax(dim=dim, keepdim=True)
    y_hard = torch.zeros_like(y_soft).scatter_(dim, index, 1.0)
    # 前向：y_hard - y_soft + y_soft = y_hard；反向：只有最后一项 y_soft 带梯度
    return y_hard - y_soft.detach() + y_soft


class GumbelSoftmax(nn.Module):
    """备忘录里 Keras 层的 PyTorch 版本：把 logits 变成 Gumbel-Softmax 样本。"""

    def __init__(self, tau: float = 1.0, hard: bool = False, dim: int = -1):
        super().__init__()
        if not tau > 0:
            raise ValueError(f"tau must be positive, got {tau}")
        self.tau, self.hard, self.dim = tau, hard, dim

    def forward(self, logits: Tensor) -> Tensor:
        return gumbel_softmax(logits, tau=self.tau, hard=self.hard, dim=self.dim)

    def extra_repr(self) -> str:
        return f"tau={self.tau}, hard={self.hard}, dim={self.dim}"


def reparameterized_normal(mu: Tensor, sigma: Tensor, generator=None) -> Tensor:
    """高斯重参数化：z = mu + sigma * eps，eps ~ N(0, 1) 与参数无关。"""
    shape = torch.broadcast_shapes(mu.shape, sigma.shape)
    eps = torch.randn(shape, dtype=mu.dtype, device=mu.device, generator=generator)
    return mu + sigma * eps


def main() -> None:
    torch.manual_seed(0)
    probs = torch.tensor([0.5, 0.3, 0.2])
    logits = probs.log()
    n = 100_000
    draws = gumbel_max_sample(logits.expand(n, 3))
    freq = torch.bincount(draws, minlength=3) / n
    print("softmax(logits)       :", [round(p, 3) for p in probs.tolist()])
    print("Gumbel-max frequencies:", [round(f, 3) for f in freq.tolist()])

    hard = gumbel_softmax(logits.expand(n, 3), tau=0.5, hard=True)
    print("hard=True mean        :", [round(f, 3) for f in hard.mean(0).tolist()])
    soft = gumbel_softmax(logits.expand(n, 3), tau=1.0)
    print("soft (tau=1) mean     :", [round(f, 3) for f in soft.mean(0).tolist()])

    logits = logits.clone().requires_grad_()
    y = gumbel_softmax(logits, tau=0.5, hard=True)
    (y * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
    print("one hard sample       :", y.tolist())
    print("gradient on logits    :", [round(g, 4) for g in logits.grad.tolist()])


if __name__ == "__main__":
    main()
