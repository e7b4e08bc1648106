"""One small instance of every distribution class in torch.distributions.

Pages that make a claim about "every distribution with a discrete support" (or any
other property) sweep ``one_of_each()`` instead of trying one example, and check with
``distribution_classes()`` that the sweep misses no class: a distribution added to
torch.distributions makes that check fail until it has an entry here.

The wrappers get a discrete base (``Independent`` of ``Bernoulli``, a ``MixtureSameFamily``
of ``Poisson``), so they are counted among the discrete ones; their support and sample
dtype follow the base. Used by docs/sampling/non-differentiable-ops.md.
Run ``python examples/distribution_zoo.py`` to print the table.
"""

from __future__ import annotations

import inspect
import warnings

import torch
import torch.distributions as D

BASE_CLASSES = ("Distribution", "ExponentialFamily")  # abstract bases: no samples of their own


def distribution_classes() -> list[str]:
    """Names of the concrete distribution classes that torch.distributions exports."""
    return sorted(name for name, obj in vars(D).items()
                  if inspect.isclass(obj) and issubclass(obj, D.Distribution) and name not in BASE_CLASSES)


def one_of_each() -> dict[str, D.Distribution]:
    """A valid instance of every class in ``distribution_classes()``, by class name."""
    one = torch.tensor(1.0)
    p = torch.tensor([0.2, 0.3, 0.5])
    return {
        "Bernoulli": D.Bernoulli(probs=0.3),
        "Beta": D.Beta(one, one),
        "Binomial": D.Binomial(10, probs=0.3),
        "Categorical": D.Categorical(probs=p),
        "Cauchy": D.Cauchy(0.0, 1.0),
        "Chi2": D.Chi2(one),
        "ContinuousBernoulli": D.ContinuousBernoulli(probs=0.3),
        "Dirichlet": D.Dirichlet(torch.ones(3)),
        "Exponential": D.Exponential(one),
        "FisherSnedecor": D.FisherSnedecor(one, one),
        "Gamma": D.Gamma(one, one),
        "GeneralizedPareto": D.GeneralizedPareto(0.0, 1.0, 0.1),
        "Geometric": D.Geometric(probs=0.3),
        "Gumbel": D.Gumbel(0.0, 1.0),
        "HalfCauchy": D.HalfCauchy(one),
        "HalfNormal": D.HalfNormal(one),
        "Independent": D.Independent(D.Bernoulli(probs=p), 1),
        "InverseGamma": D.InverseGamma(one, one),
        "Kumaraswamy": D.Kumaraswamy(one, one),
        "LKJCholesky": D.LKJCholesky(2, 1.0),
        "Laplace": D.Laplace(0.0, 1.0),
        "LogNormal": D.LogNormal(0.0, 1.0),
        "LogisticNormal": D.LogisticNormal(torch.zeros(2), torch.ones(2)),
        "LowRankMultivariateNormal": D.LowRankMultivariateNormal(torch.zeros(2), torch.ones(2, 1), torch.ones(2)),
        "MixtureSameFamily": D.MixtureSameFamily(D.Categorical(probs=p), D.Poisson(torch.tensor([1.0, 2.0, 3.0]))),
        "Multinomial": D.Multinomial(10, probs=p),
        "MultivariateNormal": D.MultivariateNormal(torch.zeros(2), torch.eye(2)),
        "NegativeBinomial": D.NegativeBinomial(5, probs=0.3),
        "Normal": D.Normal(0.0, 1.0),
        "OneHotCategorical": D.OneHotCategorical(probs=p),
        "OneHotCategoricalStraightThrough": D.OneHotCategoricalStraightThrough(probs=p),
        "Pareto": D.Pareto(one, one),
        "Poisson": D.Poisson(one),
        "RelaxedBernoulli": D.RelaxedBernoulli(one, probs=0.3),
        "RelaxedOneHotCategorical": D.RelaxedOneHotCategorical(one, probs=p),
        "StudentT": D.StudentT(one),
        "TransformedDistribution": D.TransformedDistribution(D.Normal(0.0, 1.0), [D.transforms.ExpTransform()]),
        "Uniform": D.Uniform(0.0, 1.0),
        "VonMises": D.VonMises(0.0, 1.0),
        "Weibull": D.Weibull(one, one),
        "Wishart": D.Wishart(torch.tensor(4.0), torch.eye(2)),
    }


if __name__ == "__main__":
    torch.manual_seed(0)
    zoo = one_of_each()
    assert sorted(zoo) == distribution_classes(), "a class of torch.distributions has no instance here"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Wishart warns "Singular sample detected" on every sample (pytorch/pytorch#122021)
        samples = {name: dist.sample() for name, dist in zoo.items()}
    for name, dist in zoo.items():
        kind = "discrete" if dist.support.is_discrete else "continuous"
        print(f"{name:34} {kind:10} sample dtype {samples[name].dtype}, has_rsample={dist.has_rsample}")
