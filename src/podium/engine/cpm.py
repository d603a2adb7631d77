r"""Critical-path scheduling: the :func:`schedule` facade.

:func:`schedule` runs a forward pass (early dates), a backward pass (late dates) and
derives the floats:

.. math::

    EF_j = ES_j \oplus_c d_j, \qquad LS_j = LF_j \ominus_c d_j, \qquad
    TF_j = W_c(LF_j) - W_c(EF_j), \qquad
    FF_i = \min\bigl(TF_i, \min_{i \to j} \text{slack}(i \to j)\bigr)

with every link satisfied by both the early and the late dates, e.g. for FS
:math:`ES_j \ge EF_i \oplus lag` and :math:`LF_i \le LS_j \ominus lag`. An activity is
critical when :math:`TF \le` ``critical_float_minutes``.

Two implementations give the same answer: a vectorised numpy path
(:mod:`podium.engine.cpm_fast`) for a single calendar with working-time lags and no
constraints or progress, and the general path (:mod:`podium.engine.cpm_general`).

Examples
--------
>>> from datetime import datetime
>>> from podium.engine.network import Activity, Link, Network
>>> net = Network(
...     activities=[Activity("A", "Design", 960), Activity("B", "Build", 480),
...                 Activity("C", "Test", 240)],
...     links=[Link("A", "C"), Link("B", "C")],
...     project_start=datetime(2024, 1, 1, 8),
... )
>>> result = schedule(net)
>>> result.project_finish
datetime.datetime(2024, 1, 3, 12, 0)
>>> result["B"].total_float_minutes, result["B"].critical
(480, False)
>>> result.longest_path()
['A', 'C']
"""

from __future__ import annotations

from podium.engine.cpm_fast import fast_path_reason, schedule_fast
from podium.engine.cpm_general import schedule_general
from podium.engine.errors import EngineError
from podium.engine.network import Network, ScheduleOptions
from podium.engine.results import ActivityResult, ScheduleResult

__all__ = ["ActivityResult", "ScheduleResult", "schedule"]


def schedule(network: Network, options: ScheduleOptions | None = None) -> ScheduleResult:
    """Compute early/late dates, floats and the critical path of ``network``.

    Parameters
    ----------
    network : Network
        The validated network.
    options : ScheduleOptions, optional
        Overrides ``network.options``.

    Returns
    -------
    ScheduleResult

    Raises
    ------
    CycleError
        The links form a cycle; the message names its activities.
    InfeasibleError
        A calendar has no working time where some work must happen.
    EngineError
        ``options.fast_path=True`` on a network the fast path cannot schedule.
    """
    opts = network.options if options is None else options
    if opts.fast_path is False:
        return schedule_general(network, opts)
    reason = fast_path_reason(network, opts)
    if reason is None:
        return schedule_fast(network, opts)
    if opts.fast_path:
        raise EngineError(f"the fast path cannot schedule this network: {reason}")
    return schedule_general(network, opts)
