r"""Validation of :func:`podium.engine.leveling.level`'s options and inputs.

``fixed`` starts :math:`S_j = f_j`, ``deadlines`` (latest starts :math:`S_j \le D_j`)
and a leveling ``priority`` per activity are checked against the problem here and turned
into a constrained :class:`~podium.engine.leveling_sgs.SgsModel`; :func:`float_deadlines`
gives the deadlines of "level only within float". The public names are re-exported by
:mod:`podium.engine.leveling`.

Examples
--------
>>> from podium.engine.leveling import RcpspProblem
>>> p = RcpspProblem([3, 1, 1], [[2], [2], []], [1], [[0], [0], [0]])
>>> float_deadlines(p)
{0: 0, 1: 2, 2: 3}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from podium.engine.errors import InfeasibleError, NetworkError
from podium.engine.leveling_sgs import SgsModel

if TYPE_CHECKING:
    from podium.engine.leveling import RcpspProblem

__all__ = ["float_deadlines"]

IntArray = npt.NDArray[np.int64]


def _ints(values: object, what: str, ndim: int) -> IntArray:
    """``values`` as an int64 array of ``ndim`` dimensions of whole numbers >= 0."""
    arr = np.asarray(values, dtype=np.float64)
    if arr.size == 0 and arr.ndim != ndim:
        arr = arr.reshape((0,) * ndim)
    if arr.ndim != ndim:
        raise NetworkError(f"{what} must be {ndim}-dimensional, got shape {arr.shape}")
    if (arr < 0).any() or (arr != np.round(arr)).any():
        raise NetworkError(f"{what} must be whole numbers >= 0")
    return arr.astype(np.int64)


def float_deadlines(
    problem: RcpspProblem,
    activities: Sequence[int] | None = None,
    finish: int | None = None,
) -> dict[int, int]:
    r"""Resource-free latest starts :math:`LS_j`, as ``deadlines`` for ``level``.

    "Level only within float": ``level(p, deadlines=float_deadlines(p))`` lets no
    activity start after its CPM latest start for the critical-path finish (or for
    ``finish``, a project end period). ``activities`` restricts the mapping to some
    activities (default all); "up to a date" is simply ``{j: period}``.

    >>> from podium.engine.leveling import RcpspProblem
    >>> p = RcpspProblem([3, 1, 1], [[2], [2], []], [1], [[0], [0], [0]])
    >>> float_deadlines(p, [1], finish=6)
    {1: 4}
    """
    m = problem._model
    es = m.early_starts()
    horizon = int((es + m.d).max(initial=0)) if finish is None else int(finish)
    ls = m.late_starts(horizon)
    chosen = range(problem.n) if activities is None else activities
    return {int(j): int(ls[j]) for j in chosen}


@dataclass(frozen=True)
class _Options:
    model: SgsModel
    fixed: dict[int, int]
    deadlines: dict[int, int]
    weights: IntArray | None
    impossible: str | None


def _index_map(problem: RcpspProblem, values: Mapping[int, int], what: str) -> dict[int, int]:
    out: dict[int, int] = {}
    for j, t in values.items():
        if not 0 <= int(j) < problem.n:
            raise NetworkError(f"{what}: unknown activity index {j}")
        if int(t) < 0 or int(t) != t:
            raise NetworkError(f"{what}: activity {problem.names[int(j)]!r} has period {t}")
        out[int(j)] = int(t)
    return out


def _check_fixed_capacity(problem: RcpspProblem, fix: dict[int, int]) -> None:
    """Raise :class:`InfeasibleError` when the fixed activities alone exceed a capacity
    :math:`R_k(t)` (the profile's where it has one)."""
    names = problem.names
    d = problem.durations
    top = max(t + int(d[j]) for j, t in fix.items())
    usage = np.zeros((top + 1, problem.capacities.size), dtype=np.int64)
    for j, t in fix.items():
        usage[t : t + d[j]] += problem.requests[j]
    caps = problem._model.capacity_until(top + 1)
    over = np.argwhere(usage > caps)
    if not over.size:
        return
    t, k = (int(x) for x in over[0])
    who = [
        names[j] for j, s in sorted(fix.items()) if s <= t < s + d[j] and problem.requests[j, k] > 0
    ]
    raise InfeasibleError(
        f"fixed activities {', '.join(repr(w) for w in who)} use "
        f"{usage[t, k]} units of resource {problem.resource_names[k]!r} in period "
        f"{t}, whose capacity is {caps[t, k]}"
    )


def _options(
    problem: RcpspProblem,
    fixed: Mapping[int, int] | None,
    priority: Sequence[int] | None,
    deadlines: Mapping[int, int] | None,
) -> _Options | None:
    """Validate the options of ``level`` and build the constrained model."""
    if not fixed and not deadlines and priority is None:
        return None
    fix = _index_map(problem, fixed or {}, "fixed")
    due = _index_map(problem, deadlines or {}, "deadlines")
    prio: IntArray | None = None
    weights: IntArray | None = None
    if priority is not None:
        prio = _ints(priority, "priority", 1) if len(priority) else np.zeros(0, np.int64)
        if prio.size != problem.n:
            raise NetworkError(f"priority must have {problem.n} entries, got {prio.size}")
        weights = prio - prio.min(initial=0)
    names = problem.names
    if fix:  # fixed activities alone must fit the capacities
        _check_fixed_capacity(problem, fix)
    # precedence: earliest starts with fixed starts as release dates
    base = problem._model
    es = [0] * problem.n
    why: list[int | None] = [None] * problem.n
    impossible: str | None = None
    for j in np.argsort(base.rank).tolist():
        for i, lag in base.preds[j]:
            if es[i] + lag > es[j]:
                es[j], why[j] = es[i] + lag, i
        if j in fix:
            if es[j] > fix[j]:
                pred = why[j]
                via = "" if pred is None else f" (after {names[pred]!r})"
                raise InfeasibleError(
                    f"activity {names[j]!r} is fixed to start in period {fix[j]}, but its "
                    f"predecessors let it start no earlier than period {es[j]}{via}"
                )
            es[j] = fix[j]
        if j in due and es[j] > due[j] and impossible is None:
            impossible = (
                f"activity {names[j]!r} cannot start by its deadline {due[j]}: its "
                f"earliest start is period {es[j]}"
            )
    model = SgsModel(
        problem.durations,
        problem.requests,
        problem.capacities,
        base.edges,
        fixed=fix,
        deadlines=due,
        priority=prio,
        profile=base.profile,
    )
    return _Options(model, fix, due, weights, impossible)


def _option_score(opts: _Options) -> Callable[[IntArray], tuple[int, int]]:
    """``(periods past deadlines and into fixed starts, priority-weighted starts)``."""
    due = list(opts.deadlines.items())
    into_fixed = [(i, lag, j) for i, j, lag in opts.model.edges if j in opts.fixed]
    w = opts.weights

    def score(starts: IntArray) -> tuple[int, int]:
        s = starts.tolist()
        pen = sum(max(0, s[j] - t) for j, t in due)
        pen += sum(max(0, s[i] + lag - s[j]) for i, lag, j in into_fixed)
        return pen, 0 if w is None else int((w * starts).sum())

    return score
