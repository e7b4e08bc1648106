"""The state every page's doctests start from; conf.py's doctest_global_setup calls reset().

sphinx.ext.doctest runs all pages in one interpreter, so anything a page changes
(a seed, NumPy's or torch's print options, the default dtype, grad mode, NumPy's
floating-point error handling, the warnings filters) would change the outputs of
every later page: the full run and `make doctest FILES=page` would disagree.
The defaults are recorded on the first call, before any page has run.
"""

from __future__ import annotations

import random
import warnings

import numpy as np
import torch

_defaults: dict = {}


def reset() -> None:
    if not _defaults:
        _defaults.update(numpy_print=np.get_printoptions(), numpy_errors=np.geterr(),
                         torch_dtype=torch.get_default_dtype(), warning_filters=list(warnings.filters))
    random.seed(0)
    np.random.seed(0)
    torch.manual_seed(0)
    np.set_printoptions(**_defaults["numpy_print"])
    np.seterr(**_defaults["numpy_errors"])
    torch.set_printoptions(profile="default")  # also sci_mode back to automatic
    torch.set_default_dtype(_defaults["torch_dtype"])
    torch.set_grad_enabled(True)
    warnings.resetwarnings()
    warnings.filters.extend(_defaults["warning_filters"])
