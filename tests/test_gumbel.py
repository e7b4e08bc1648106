"""examples/gumbel.py: exact Gumbel-max samples, straight-through gradients, reparameterisation."""

from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from examples.gumbel import (
    GumbelSoftmax,
    gumbel_max_sample,
    gumbel_softmax,
    reparameterized_normal,
    sample_gumbel,
)

ROOT = Path(__file__).resolve().parents[1]

PROBS = torch.tensor([0.5, 0.3, 0.2])
N = 200_000


def test_gumbel_noise_is_finite_and_has_the_gumbel_moments():
    g = sample_gumbel((N,), generator=torch.Generator().manual_seed(0))
    assert torch.isfinite(g).all()
    # Gumbel(0, 1): mean = Euler-Mascheroni constant, variance = pi^2 / 6
    assert abs(g.mean().item() - 0.5772) < 0.01
    assert abs(g.var().item() - torch.pi ** 2 / 6) < 0.02


def test_noise_follows_dtype_of_logits():
    logits = torch.zeros(4, 3, dtype=torch.float64)
    assert gumbel_softmax(logits).dtype == torch.float64


def test_gumbel_max_frequencies_match_softmax():
    k = gumbel_max_sample(PROBS.log().expand(N, 3), generator=torch.Generator().manual_seed(1))
    freq = torch.bincount(k, minlength=3) / N
    assert torch.allclose(freq, PROBS, atol=0.005)


@pytest.mark.parametrize("tau", [0.1, 0.5, 1.0, 5.0])
def test_soft_samples_are_distributions_along_dim(tau):
    y = gumbel_softmax(torch.randn(2, 5, 3), tau=tau, dim=-1)
    assert torch.allclose(y.sum(-1), torch.ones(2, 5))
    assert (y >= 0).all()


def test_hard_samples_are_one_hot_and_follow_softmax():
    y = gumbel_softmax(PROBS.log().expand(N, 3), tau=0.5, hard=True,
                       generator=torch.Generator().manual_seed(2))
    assert set(y.unique().tolist()) == {0.0, 1.0}
    assert (y.sum(-1) == 1).all()
    assert torch.allclose(y.mean(0), PROBS, atol=0.005)


def test_hard_gradient_equals_soft_gradient_for_the_same_noise():
    w = torch.tensor([1.0, -2.0, 3.0, 0.5])
    grads = []
    for hard in (True, False):
        logits = torch.tensor([0.2, -1.0, 0.7, 0.0], requires_grad=True)
        y = gumbel_softmax(logits, tau=0.7, hard=hard, generator=torch.Generator().manual_seed(3))
        (y * w).sum().backward()
        grads.append(logits.grad)
    assert grads[0].abs().sum() > 0
    assert torch.equal(grads[0], grads[1])


def test_same_distribution_as_torch_gumbel_softmax():
    logits = PROBS.log().expand(N, 3)
    torch.manual_seed(4)
    ours = gumbel_softmax(logits, tau=1.0).mean(0)
    theirs = F.gumbel_softmax(logits, tau=1.0).mean(0)
    assert torch.allclose(ours, theirs, atol=0.005)
    assert not torch.allclose(ours, PROBS, atol=0.02)  # the relaxation is biased for tau > 0


@pytest.mark.parametrize("tau", [0, -1.0])
def test_non_positive_temperature_is_rejected(tau):
    with pytest.raises(ValueError, match="tau must be positive"):
        gumbel_softmax(torch.zeros(3), tau=tau)
    with pytest.raises(ValueError, match="tau must be positive"):
        GumbelSoftmax(tau=tau)


def test_module_wraps_the_function():
    layer = GumbelSoftmax(tau=0.5, hard=True)
    y = layer(torch.zeros(8, 4))
    assert (y.sum(-1) == 1).all()
    assert repr(layer) == "GumbelSoftmax(tau=0.5, hard=True, dim=-1)"


def test_reparameterized_normal_gradients():
    mu = torch.tensor(1.0, requires_grad=True)
    sigma = torch.tensor(2.0, requires_grad=True)
    z = reparameterized_normal(mu.expand(N), sigma.expand(N), generator=torch.Generator().manual_seed(5))
    assert abs(z.mean().item() - 1.0) < 0.02 and abs(z.std().item() - 2.0) < 0.02
    (z ** 2).mean().backward()  # d/dmu, d/dsigma of mu^2 + sigma^2
    assert abs(mu.grad.item() - 2.0) < 0.05 and abs(sigma.grad.item() - 4.0) < 0.05
