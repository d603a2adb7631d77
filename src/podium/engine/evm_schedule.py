r"""Time-phased planned value and earned schedule (Lipke; Vanhoucke's ProTrack convention).

Time here is *working time*: :math:`w` is the number of working minutes since the
project start on one calendar (:meth:`podium.engine.calendars.Calendar.w_m`), so
nights, weekends and holidays take no room on the axis and a cost spread over an
activity's working time is linear in :math:`w`.

Planned value
-------------
Each activity :math:`i` planned from working offset :math:`s_i` to :math:`f_i` carries
three amounts: :math:`A_i` incurred at its start, :math:`L_i` accrued linearly over its
working time and :math:`Z_i` incurred at its finish. Its planned value at :math:`w` is

.. math::

    PV_i(w) = A_i\,[w > s_i] + L_i\,\mathrm{clip}\Bigl(\frac{w - s_i}{f_i - s_i}, 0, 1\Bigr)
              + Z_i\,[w \ge f_i],

and :math:`PV(w) = \sum_i PV_i(w)`. A start amount belongs to the first working minute
*after* the start (an activity starting Tuesday 08:00 has incurred nothing at Monday
17:00, the same working instant), a finish amount to the last one. An activity without
working time (:math:`f_i = s_i`, a milestone) incurs all of its amounts at
:math:`w \ge f_i`. :class:`PlannedValueCurve` evaluates :math:`PV` at many offsets at
once with sorted cumulative sums (:math:`O((n + m)\log n)` for :math:`n` activities and
:math:`m` offsets), using :math:`\sum_i r_i \max(w - a_i, 0) = w \sum_{a_i < w} r_i -
\sum_{a_i < w} r_i a_i` with :math:`r_i = L_i / (f_i - s_i)`.

Earned schedule
---------------
With the actual time :math:`AT` (working time from the start to the status date), the
planned duration :math:`PD` and the earned value :math:`EV`, the time grid of periods of
:math:`p` minutes (an hour by default) gives :math:`PV_k = PV(k p)`. Lipke's earned
schedule is

.. math::

    C = \max\{k : PV_k \le EV\}, \qquad
    ES = \Bigl(C + \frac{EV - PV_C}{PV_{C+1} - PV_C}\Bigr) p ,

and ProTrack (DSLIB's ``Tracking Overview``) reports whole periods, searched from
:math:`AT`: behind schedule (:math:`EV < PV(AT)`) the last period
:math:`k \le AT/p` with :math:`PV_k \le EV`, ahead of it (:math:`EV > PV(AT)`) the first
:math:`k \ge AT/p` with :math:`PV_k \ge EV`. Both cap :math:`ES` at :math:`PD`, and both
give :math:`ES = \min(AT, PD)` when :math:`EV = PV(AT)` (on schedule: :math:`SV = 0`
means :math:`SV(t) = 0`, also inside a stretch where nothing is planned). Then

.. math::

    SV(t) = ES - AT, \quad SPI(t) = \frac{ES}{AT}, \quad SCI(t) = SPI(t)\cdot CPI,
    \quad EAC(t)_{PF} = AT + \frac{PD - ES}{PF}\ \ (PF \in \{1, SPI(t), SCI(t)\}),

and Lipke's schedule adherence (p-factor) compares each activity's earned value with
what was planned by the time earned, :math:`ES`:

.. math:: p = \frac{\sum_i \min(PV_i(ES), EV_i)}{\sum_i PV_i(ES)} .

Ratios with a zero denominator (:math:`AT = 0`, :math:`PV(ES) = 0`, :math:`PF = 0`) are
``None``.

Examples
--------
Two activities of 8 working hours each, one after the other; the first has a fixed
cost of 100 at its start and 80 spread over its hours, the second 160 spread:

>>> import numpy as np
>>> curve = PlannedValueCurve(start=[0, 480], finish=[480, 960],
...                           at_start=[100, 0], linear=[80, 160], at_finish=[0, 0])
>>> curve.values(np.array([0, 1, 240, 480, 720, 960])).tolist()
[0.0, 100.16666666666667, 140.0, 180.0, 260.0, 340.0]
>>> es = earned_schedule(curve, ev=165.0, at=600)       # 10 h elapsed, 165 earned
>>> es.minutes, es.lipke_minutes                          # ProTrack: whole hours
(360.0, 390.0)
>>> round(es.spi_t, 4)
0.6
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from podium.engine.errors import NetworkError

__all__ = [
    "EarnedSchedule",
    "EsMethod",
    "PlannedValueCurve",
    "earned_schedule",
    "p_factor",
]

FloatArray = npt.NDArray[np.float64]
EsMethod = Literal["protrack", "lipke"]
"""``"protrack"``: whole periods searched from AT (DSLIB's figures); ``"lipke"``: the
interpolated :math:`C + (EV - PV_C)/(PV_{C+1} - PV_C)`."""


def _array(values: Sequence[float] | FloatArray, name: str) -> FloatArray:
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 1 or not np.all(np.isfinite(arr)):
        raise NetworkError(f"planned value curve: {name} must be finite numbers")
    return arr


class PlannedValueCurve:
    r"""Cumulative planned value over working minutes, :math:`PV(w) = \sum_i PV_i(w)`.

    Parameters
    ----------
    start, finish : sequence of float
        Planned start :math:`s_i` and finish :math:`f_i \ge s_i` of each activity, in
        working minutes since the project start.
    at_start, linear, at_finish : sequence of float
        :math:`A_i`, :math:`L_i`, :math:`Z_i`: the amounts incurred at the start,
        spread linearly over the working time, incurred at the finish.

    Raises
    ------
    NetworkError
        On arrays of different lengths, a finish before its start or a value that is
        not a finite number.
    """

    def __init__(
        self,
        start: Sequence[float] | FloatArray,
        finish: Sequence[float] | FloatArray,
        at_start: Sequence[float] | FloatArray,
        linear: Sequence[float] | FloatArray,
        at_finish: Sequence[float] | FloatArray,
    ) -> None:
        s, f = _array(start, "start"), _array(finish, "finish")
        a, lin, z = (
            _array(at_start, "at_start"),
            _array(linear, "linear"),
            _array(at_finish, "at_finish"),
        )
        if not len(s) == len(f) == len(a) == len(lin) == len(z):
            raise NetworkError("planned value curve: arrays of different lengths")
        if np.any(f < s):
            raise NetworkError("planned value curve: a finish lies before its start")
        self.start, self.finish = s, f
        self.at_start, self.linear, self.at_finish = a, lin, z
        span = f - s
        ramp = span > 0
        # milestones: everything at the finish
        self._a = np.where(ramp, a, 0.0)
        self._z = np.where(ramp, z, a + lin + z)
        self._r = np.where(ramp, lin / np.where(ramp, span, 1.0), 0.0)
        self.total = float(a.sum() + lin.sum() + z.sum())
        self.duration = float(f.max()) if len(f) else 0.0
        # sorted tables: start jumps (w > s), finish jumps (w >= f), ramps up at s, down at f
        self._s_sorted, self._a_cum = self._table(s, self._a)
        self._f_sorted, self._z_cum = self._table(f, self._z)
        _, self._rs_cum = self._table(s, self._r)
        _, self._rsa_cum = self._table(s, self._r * s)
        _, self._rf_cum = self._table(f, self._r)
        _, self._rfa_cum = self._table(f, self._r * f)

    @staticmethod
    def _table(keys: FloatArray, weights: FloatArray) -> tuple[FloatArray, FloatArray]:
        order = np.argsort(keys, kind="stable")
        return keys[order], np.concatenate(([0.0], np.cumsum(weights[order])))

    def __len__(self) -> int:
        return len(self.start)

    def values(self, w: FloatArray | Sequence[float]) -> FloatArray:
        """:math:`PV(w)` at each working offset in ``w`` (minutes)."""
        x = np.asarray(w, dtype=np.float64)
        i_s = np.searchsorted(self._s_sorted, x, side="left")  # s < w
        i_f = np.searchsorted(self._f_sorted, x, side="right")  # f <= w
        jumps = self._a_cum[i_s] + self._z_cum[i_f]
        up = x * self._rs_cum[i_s] - self._rsa_cum[i_s]
        down = x * self._rf_cum[i_f] - self._rfa_cum[i_f]
        out: FloatArray = jumps + up - down
        return out

    def value(self, w: float) -> float:
        """:math:`PV(w)` at one working offset."""
        return float(self.values(np.array([w]))[0])

    def per_activity(self, w: float) -> FloatArray:
        """:math:`PV_i(w)` of every activity (in input order)."""
        s, f = self.start, self.finish
        span = f - s
        frac = np.where(span > 0, np.clip((w - s) / np.where(span > 0, span, 1.0), 0.0, 1.0), 0.0)
        out: FloatArray = self._a * (w > s) + self._r * span * frac + self._z * (w >= f)
        return out


@dataclass(frozen=True, slots=True)
class EarnedSchedule:
    """Earned schedule at one status date; times in working minutes since the start.

    ``minutes`` is the ES of the chosen method (whole periods for ``"protrack"``);
    ``lipke_minutes`` Lipke's interpolated value either way. ``spi_t`` is ``None`` when
    :math:`AT \\le 0`.
    """

    minutes: float
    lipke_minutes: float
    at_minutes: float
    planned_minutes: float
    sv_t_minutes: float
    spi_t: float | None


def _clamp_es(es: float, pd: float) -> float:
    return min(max(es, 0.0), pd)


def earned_schedule(
    curve: PlannedValueCurve,
    ev: float,
    at: float,
    *,
    method: EsMethod = "protrack",
    period_minutes: int = 60,
) -> EarnedSchedule:
    r"""Earned schedule of ``ev`` at actual time ``at`` on ``curve`` (see the module).

    Parameters
    ----------
    curve : PlannedValueCurve
        The baseline's time-phased planned value.
    ev : float
        Earned value at the status date.
    at : float
        Actual time: working minutes from the project start to the status date.
    method : {"protrack", "lipke"}
        Whole periods searched from AT (DSLIB), or Lipke's interpolation.
    period_minutes : int
        The period of the time grid, 60 (an hour) by default.

    Returns
    -------
    EarnedSchedule
    """
    if period_minutes <= 0:
        raise NetworkError("earned schedule: the period must be positive")
    p = float(period_minutes)
    pd = curve.duration
    tol = 1e-9 * max(abs(curve.total), 1.0)
    n = max(math.ceil(pd / p), 0)
    grid = np.arange(n + 1, dtype=np.float64) * p
    pv = curve.values(grid)
    at_c = min(max(at, 0.0), max(pd, at))
    pv_at = curve.value(at_c) if at > 0 else 0.0
    on_schedule = at > 0 and abs(ev - pv_at) <= tol
    # Lipke: C = last period with PV_C <= EV, then interpolate
    below = np.flatnonzero(pv <= ev + tol)
    if at <= 0:
        lipke = 0.0
    elif on_schedule:
        lipke = min(at, pd)
    elif ev >= curve.total - tol:
        lipke = pd
    elif below.size == 0:
        lipke = 0.0
    else:
        c = int(below[-1])
        nxt = pv[c + 1] if c + 1 < len(pv) else curve.total
        step = nxt - pv[c]
        lipke = c * p + (p * (ev - pv[c]) / step if step > 0 else 0.0)
    lipke = _clamp_es(float(lipke), pd)
    if method == "lipke" or on_schedule or at <= 0:
        es = lipke
    elif ev < pv_at:  # behind: last whole period at or before AT with PV_k <= EV
        k = min(math.floor(at / p), n)
        ok = np.flatnonzero(pv[: k + 1] <= ev + tol)
        es = float(ok[-1]) * p if ok.size else 0.0
    else:  # ahead: first whole period at or after AT with PV_k >= EV
        k = max(math.ceil(at / p), 0)
        ok = np.flatnonzero(pv[k:] >= ev - tol)
        es = float(k + ok[0]) * p if ok.size else pd
    es = _clamp_es(float(es), pd)
    return EarnedSchedule(
        minutes=es,
        lipke_minutes=lipke,
        at_minutes=at,
        planned_minutes=pd,
        sv_t_minutes=es - at,
        spi_t=es / at if at > 0 else None,
    )


def p_factor(
    curve: PlannedValueCurve, earned: Sequence[float] | FloatArray, es: float
) -> float | None:
    r"""Lipke's schedule adherence :math:`\sum_i \min(PV_i(ES), EV_i) / \sum_i PV_i(ES)`.

    ``earned`` holds each activity's :math:`EV_i` in the curve's order; ``None`` when
    nothing was planned by :math:`ES`.

    Examples
    --------
    >>> curve = PlannedValueCurve([0, 0], [60, 60], [0, 0], [100, 100], [0, 0])
    >>> p_factor(curve, [50, 0], es=30)   # half of the work earned, all of it on one
    0.5
    """
    planned = curve.per_activity(es)
    den = float(planned.sum())
    if den <= 0:
        return None
    ev = np.asarray(earned, dtype=np.float64)
    return float(np.minimum(planned, ev).sum() / den)
