"""The arithmetic of benefits, on plain values: the target at a date, the status of a
measurement, and the share of a realization profile a delay pushes past a horizon.

A **profile** is the baseline point followed by the targets, as ``[(date, value), …]``
sorted by date. Between two points the KPI is planned to move linearly (by calendar
day); before the first point it is the first value, after the last point the last.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

__all__ = [
    "Point",
    "delay_share",
    "gain_at",
    "shortfall_pct",
    "status_for",
    "target_at",
]

Point = tuple[dt.date, float]

NOT_MEASURED, ON_TRACK, AT_RISK, OFF_TRACK = "not_measured", "on_track", "at_risk", "off_track"


def target_at(profile: Sequence[Point], day: dt.date) -> float | None:
    """The planned KPI value on ``day``: linear between the profile's points, constant
    before the first and after the last; None for an empty profile.

    >>> target_at([(dt.date(2026, 1, 1), 0.0), (dt.date(2026, 1, 11), 10.0)],
    ...           dt.date(2026, 1, 4))
    3.0
    """
    if not profile:
        return None
    if day <= profile[0][0]:
        return profile[0][1]
    for (d0, v0), (d1, v1) in itertools.pairwise(profile):
        if day <= d1:
            span = (d1 - d0).days
            return v1 if span == 0 else v0 + (v1 - v0) * (day - d0).days / span
    return profile[-1][1]


def shortfall_pct(target: float, actual: float, baseline: float, higher_is_better: bool) -> float:
    """How far ``actual`` falls behind ``target``, in percent of ``|target|`` (of
    ``|baseline|`` when the target is 0, of one KPI unit when both are 0); negative when
    the measurement beats the target."""
    behind = (target - actual) if higher_is_better else (actual - target)
    scale = abs(target) or abs(baseline) or 1.0
    return 100.0 * behind / scale


def status_for(
    profile: Sequence[Point],
    measurement: Point | None,
    *,
    higher_is_better: bool,
    at_risk_pct: float,
    off_track_pct: float,
) -> tuple[str, float | None]:
    """(status, shortfall %) of the latest ``measurement`` against the profile
    (baseline first). Without a measurement or without any target (a profile of only
    the baseline) the status is ``not_measured``.

    >>> profile = [(dt.date(2026, 1, 1), 100.0), (dt.date(2026, 12, 31), 200.0)]
    >>> status_for(profile, (dt.date(2026, 12, 31), 180.0), higher_is_better=True,
    ...            at_risk_pct=5, off_track_pct=15)
    ('at_risk', 10.0)
    """
    if measurement is None or len(profile) < 2:
        return NOT_MEASURED, None
    day, actual = measurement
    target = target_at(profile, day)
    assert target is not None
    shortfall = shortfall_pct(target, actual, profile[0][1], higher_is_better)
    if shortfall > off_track_pct:
        return OFF_TRACK, shortfall
    if shortfall > at_risk_pct:
        return AT_RISK, shortfall
    return ON_TRACK, shortfall


def gain_at(profile: Sequence[Point], day: dt.date, higher_is_better: bool) -> float:
    """The planned improvement over the baseline on ``day`` (≥ 0 for a profile that
    improves)."""
    value = target_at(profile, day)
    if value is None:
        return 0.0
    gain = value - profile[0][1]
    return gain if higher_is_better else -gain


def delay_share(
    profile: Sequence[Point], shift_days: int, horizon: dt.date, higher_is_better: bool
) -> float:
    """The share (0–1) of a benefit's planned improvement that a delay of the whole
    profile by ``shift_days`` pushes past ``horizon``.

    With ``g(t)`` the planned improvement over the baseline at ``t`` and ``G`` the
    improvement at the profile's last target::

        share = (g(H) − g(H − shift)) / G          (0 when G ≤ 0 or shift ≤ 0)

    i.e. the improvement the original profile reaches by the horizon ``H`` minus what the
    shifted profile reaches by then, as a share of the whole planned improvement.

    >>> p = [(dt.date(2027, 1, 1), 0.0), (dt.date(2027, 12, 31), 100.0)]
    >>> delay_share(p, 0, dt.date(2027, 12, 31), True)
    0.0
    """
    if shift_days <= 0 or len(profile) < 2:
        return 0.0
    total = gain_at(profile, profile[-1][0], higher_is_better)
    if total <= 0:
        return 0.0
    before = gain_at(profile, horizon, higher_is_better)
    after = gain_at(profile, horizon - dt.timedelta(days=shift_days), higher_is_better)
    return max(0.0, min(1.0, (before - after) / total))
