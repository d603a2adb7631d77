r"""Sampling for :mod:`podium.engine.montecarlo`: distributions, rank correlation, ranks.

Distributions (``a`` = ``low``, ``m`` = ``mode``, ``b`` = ``high``):

* ``"fixed"``: always ``m``.
* ``"triangular"``: density rising linearly from ``a`` to ``m`` and falling to ``b``;
  mean :math:`(a + m + b)/3`, variance
  :math:`(a^2 + m^2 + b^2 - am - ab - mb)/18`.
* ``"pert"``: PERT-beta with :math:`\lambda = 4`, i.e.
  :math:`a + (b - a)\,X`, :math:`X \sim \mathrm{Beta}(\alpha, \beta)`,
  :math:`\alpha = 1 + \lambda (m - a)/(b - a)`, :math:`\beta = 1 + \lambda (b - m)/(b - a)`;
  mean :math:`(a + 4m + b)/6`.
* ``"uniform"``: uniform on :math:`[a, b]`.
* ``"lognormal"``: given by its median ``m`` and 90th percentile ``b``:
  :math:`\ln X \sim N(\mu, \sigma^2)`, :math:`\mu = \ln m`,
  :math:`\sigma = \ln(b/m)/z_{0.9}` with :math:`z_{0.9} = 1.2816`; ``a`` is ignored.

A distribution whose three points coincide is sampled as ``"fixed"``, so "all three
points equal" reproduces the deterministic duration exactly.

Correlation follows Iman & Conover (1982), "A distribution-free approach to inducing
rank correlation among input variables", *Communications in Statistics — Simulation and
Computation* 11(3), 311–334: draw each variable independently, build a score matrix
whose columns have the target rank correlation :math:`C` (van der Waerden scores
:math:`\Phi^{-1}(k/(N+1))`, randomly permuted per column, decorrelated by the Cholesky
factor of their own correlation and recorrelated by the Cholesky factor of :math:`C`),
then reorder each variable's samples so their ranks follow the score columns. The
marginals are untouched; the achieved Spearman correlation is close to :math:`C`.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(1)
>>> x = sample(Distribution("triangular", 10, 20, 60), 100_000, rng)
>>> round(float(x.mean()), 0)
30.0
>>> sample(Distribution("pert", 5, 5, 5), 3, rng).tolist()
[5.0, 5.0, 5.0]
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from podium.engine.errors import NetworkError

__all__ = [
    "PERT_LAMBDA",
    "Distribution",
    "average_ranks",
    "iman_conover",
    "normal_ppf",
    "sample",
]

F64 = npt.NDArray[np.float64]
DistributionKind = Literal["fixed", "triangular", "pert", "uniform", "lognormal"]
PERT_LAMBDA = 4.0
_Z90 = 1.2815515655446004  # standard normal 90th percentile
_KINDS = ("fixed", "triangular", "pert", "uniform", "lognormal")


@dataclass(frozen=True)
class Distribution:
    """A duration (or cost) distribution. Durations in working minutes of the activity's
    calendar (or elapsed minutes for elapsed activities); costs in currency units.

    ``mode`` is the most likely value (lognormal: the median), ``high`` the pessimistic
    value (lognormal: the 90th percentile). Validated when built:
    :math:`low \\le mode \\le high`; lognormal needs :math:`0 < mode \\le high`.
    """

    kind: DistributionKind
    low: float
    mode: float  # most likely (lognormal: median)
    high: float  # (lognormal: the 90th percentile)

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise NetworkError(f"unknown distribution {self.kind!r}")
        values = (self.low, self.mode, self.high)
        if not all(math.isfinite(v) for v in values):
            raise NetworkError(f"{self.kind} distribution: values must be finite")
        if self.kind == "lognormal":
            if not 0 < self.mode <= self.high:
                raise NetworkError("lognormal distribution needs 0 < median <= p90")
        elif self.kind != "fixed" and not self.low <= self.mode <= self.high:
            raise NetworkError(f"{self.kind} distribution: need low <= mode <= high, got {values}")

    @property
    def is_fixed(self) -> bool:
        """Whether every sample is ``mode`` (fixed, or the points coincide)."""
        if self.kind == "fixed":
            return True
        if self.kind == "lognormal":
            return self.mode == self.high
        return self.low == self.high

    @property
    def mean(self) -> float:
        """The distribution's mean."""
        a, m, b = self.low, self.mode, self.high
        if self.is_fixed:
            return m
        if self.kind == "triangular":
            return (a + m + b) / 3
        if self.kind == "pert":
            return (a + PERT_LAMBDA * m + b) / (PERT_LAMBDA + 2)
        if self.kind == "uniform":
            return (a + b) / 2
        sigma = math.log(b / m) / _Z90
        return m * math.exp(sigma * sigma / 2)


def sample(dist: Distribution, size: int, rng: np.random.Generator) -> F64:
    """``size`` independent draws of ``dist`` (see the module notes)."""
    a, m, b = float(dist.low), float(dist.mode), float(dist.high)
    if dist.is_fixed:
        return np.full(size, m)
    if dist.kind == "triangular":
        return rng.triangular(a, m, b, size)
    if dist.kind == "uniform":
        return rng.uniform(a, b, size)
    if dist.kind == "pert":
        alpha = 1 + PERT_LAMBDA * (m - a) / (b - a)
        beta = 1 + PERT_LAMBDA * (b - m) / (b - a)
        out: F64 = rng.beta(alpha, beta, size)
        out *= b - a
        out += a
        return out
    return rng.lognormal(math.log(m), math.log(b / m) / _Z90, size)


def normal_ppf(p: F64) -> F64:
    r"""Standard normal quantile :math:`\Phi^{-1}(p)` for :math:`0 < p < 1`.

    Acklam's rational approximation (relative error below :math:`1.2 \cdot 10^{-9}`),
    enough for rank scores.
    """
    a = (-39.69683028665376, 220.9460984245205, -275.9285104469687,
         138.3577518672690, -30.66479806614716, 2.506628277459239)  # fmt: skip
    b = (-54.47609879822406, 161.5858368580409, -155.6989798598866,
         66.80131188771972, -13.28068155288572)  # fmt: skip
    c = (-7.784894002430293e-03, -0.3223964580411365, -2.400758277161838,
         -2.549732539343734, 4.374664141464968, 2.938163982698783)  # fmt: skip
    d = (7.784695709041462e-03, 0.3224671290700398, 2.445134137142996, 3.754408661907416)
    p = np.asarray(p, dtype=np.float64)
    out = np.empty_like(p)
    lo = p < 0.02425
    hi = p > 1 - 0.02425
    mid = ~(lo | hi)
    q = p[mid] - 0.5
    r = q * q
    num = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
    den = ((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1
    out[mid] = num / den
    for mask, sign in ((lo, 1.0), (hi, -1.0)):
        pp = p[mask] if sign > 0 else 1 - p[mask]
        s = np.sqrt(-2 * np.log(pp))
        num = ((((c[0] * s + c[1]) * s + c[2]) * s + c[3]) * s + c[4]) * s + c[5]
        den = (((d[0] * s + d[1]) * s + d[2]) * s + d[3]) * s + 1
        out[mask] = sign * num / den
    return out


def iman_conover(samples: F64, target: F64, rng: np.random.Generator) -> F64:
    r"""Reorder the columns of ``samples`` (``N`` draws × ``k`` variables) so their rank
    correlation approaches ``target`` (``k`` × ``k``), Iman & Conover (1982).

    With van der Waerden scores :math:`S` (each column a random permutation of
    :math:`\Phi^{-1}(i/(N+1))`), :math:`E` their correlation, :math:`E = QQ^T` and
    :math:`C = PP^T` (Cholesky), the target scores are :math:`T = S (Q^{-1})^T P^T`;
    each column of ``samples`` is sorted and placed in the rank order of the matching
    column of :math:`T`.

    Raises
    ------
    NetworkError
        ``target`` is not a valid correlation matrix (not positive definite).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.random((20_000, 2))
    >>> y = iman_conover(x, np.array([[1.0, 0.7], [0.7, 1.0]]), rng)
    >>> r = average_ranks(y.T)
    >>> round(float(np.corrcoef(r)[0, 1]), 1)
    0.7
    >>> sorted(y[:, 0]) == sorted(x[:, 0])
    True
    """
    n, k = samples.shape
    try:
        p = np.linalg.cholesky(target)
    except np.linalg.LinAlgError:
        raise NetworkError(
            "the requested correlations are inconsistent (the matrix is not positive definite)"
        ) from None
    base = normal_ppf(np.arange(1, n + 1) / (n + 1))
    scores = np.empty((n, k))
    for j in range(k):
        scores[:, j] = rng.permutation(base)
    e = np.corrcoef(scores, rowvar=False) if k > 1 else np.ones((1, 1))
    q = np.linalg.cholesky(e)
    t = scores @ np.linalg.inv(q).T @ p.T
    out = np.empty_like(samples)
    for j in range(k):
        order = np.argsort(t[:, j], kind="stable")
        out[order, j] = np.sort(samples[:, j])
    return out


def average_ranks(x: npt.NDArray[np.float64] | npt.NDArray[np.int64]) -> F64:
    """Ranks ``1..N`` along the last axis, ties sharing their average rank.

    Integer rows with a small range (durations in minutes) are ranked by counting, in
    :math:`O(N + \\text{range})`; others by sorting.

    Examples
    --------
    >>> average_ranks(np.array([[3, 1, 3, 2]])).tolist()
    [[3.5, 1.0, 3.5, 2.0]]
    """
    rows = np.atleast_2d(x)
    n = rows.shape[-1]
    out = np.empty(rows.shape, dtype=np.float64)
    for i, row in enumerate(rows):
        if np.issubdtype(row.dtype, np.integer):
            lo, hi = int(row.min()), int(row.max())
            if hi - lo <= 8 * n:
                v = row - lo
                counts = np.bincount(v, minlength=hi - lo + 1)
                below = np.cumsum(counts) - counts
                out[i] = (below + (counts + 1) / 2)[v]
                continue
        order = np.argsort(row, kind="stable")
        srt = row[order]
        starts = np.flatnonzero(np.r_[True, srt[1:] != srt[:-1]])
        ends = np.r_[starts[1:], n]
        avg = (starts + ends + 1) / 2
        out[i, order] = np.repeat(avg, ends - starts)
    return out
