"""Monte Carlo schedule simulation against answers known without simulating.

Statistical tolerances: a mean within 4.5 standard errors, a variance within
4.5 · σ²·√(2/N) (the normal-theory standard error of a sample variance, conservative
for sums of triangular draws, whose kurtosis is below the normal's), a share within
4.5 binomial standard errors and an empirical CDF within the Dvoretzky–Kiefer–Wolfowitz
bound :math:`\\sqrt{\\ln(2/\\alpha)/(2N)}` at :math:`\\alpha = 10^{-6}`. With fixed seeds
the tests are deterministic; the tolerances say the answers are right for any seed.
"""

from __future__ import annotations

import doctest
import importlib
import math
from datetime import datetime

import numpy as np
import pytest

from podium.engine import Activity, Calendar, CalendarException, Link, Network, schedule
from podium.engine.calendars import to_minutes
from podium.engine.errors import NetworkError
from podium.engine.montecarlo import Correlation, Distribution, RiskEvent, simulate
from podium.engine.montecarlo_sampling import average_ranks
from podium.engine.network import ConstraintType, ScheduleOptions

START = datetime(2024, 1, 1, 8)  # a Monday
H24 = Calendar.twenty_four_hour()
N = 20_000


def _fixed(net: Network, kind: str) -> dict[str, Distribution]:
    out = {}
    for a in net.activities:
        if a.kind in ("task", "milestone") and not a.actual_finish:
            d = a.duration_minutes
            out[a.id] = Distribution(kind, d, d, d)  # type: ignore[arg-type]
    return out


def _mixed_network(**kw: object) -> Network:
    """Own calendars, an elapsed task, every link type, lags, leads and an elapsed lag,
    a start milestone, a summary with links, a constraint and a holiday."""
    night = Calendar([[(1200, 1440)]] * 5 + [(), ()], name="Night")
    std = Calendar(
        Calendar.standard().week, [CalendarException(datetime(2024, 1, 10).date())], name="Std"
    )
    acts = [
        Activity("S", kind="summary"),
        Activity("A", "Design", 960, parent="S"),
        Activity("B", "Pour", 600, elapsed=True, parent="S"),
        Activity("C", "Cure", 1200, calendar=night),
        Activity("M", "Kick-off", kind="milestone", start_milestone=True),
        Activity("D", "Build", 1440, calendar=H24),
        Activity(
            "E",
            "Fit out",
            720,
            constraint_type=ConstraintType.SNET,
            constraint_date=datetime(2024, 1, 9, 13),
        ),
        Activity("F", "Handover", kind="milestone"),
    ]
    links = [
        Link("A", "B", "SS", 240),
        Link("A", "C", "FF", -120),
        Link("B", "M"),
        Link("M", "D", "FS", 90, lag_kind="elapsed"),
        Link("C", "E", "SF", 300),
        Link("S", "E"),
        Link("D", "F"),
        Link("E", "F", "FF"),
    ]
    return Network(acts, links, START, default_calendar=std, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["triangular", "pert", "uniform", "fixed"])
@pytest.mark.parametrize("convention", ["msproject", "p6"])
def test_three_equal_points_give_the_cpm_dates_exactly(kind: str, convention: str) -> None:
    net = _mixed_network()
    opts = ScheduleOptions(convention=convention)  # type: ignore[arg-type]
    det = schedule(net, opts)
    res = simulate(
        net, _fixed(net, kind), iterations=50, seed=3, options=opts, milestones=["C", "E", "M"]
    )
    assert (res.finishes == det.project_finish_minutes).all()
    assert res.finish_percentile(10) == res.finish_percentile(90) == det.project_finish
    assert res.deterministic_finish == det.project_finish
    for aid in ("C", "E", "M"):
        assert (res.milestone_finishes[aid] == to_minutes(det[aid].finish)).all()
    assert res.criticality == {aid: float(det[aid].critical) for aid in net.ids}


def test_fixed_durations_with_progress_and_a_data_date_give_the_cpm_finish() -> None:
    base = _mixed_network()
    acts = list(base.activities)
    acts[1] = Activity(
        "A", "Design", 960, parent="S", actual_start=START, actual_finish=datetime(2024, 1, 2, 12)
    )
    acts[3] = Activity(
        "C", "Cure", 1200, calendar=acts[3].calendar, actual_start=datetime(2024, 1, 2, 20),
        remaining_minutes=500,
    )  # fmt: skip
    for progress in ("retained_logic", "progress_override"):
        net = Network(
            acts, base.links, START, base.default_calendar, data_date=datetime(2024, 1, 4, 8)
        )
        opts = ScheduleOptions(progress=progress)  # type: ignore[arg-type]
        res = simulate(net, _fixed(net, "triangular"), iterations=5, options=opts)
        assert (res.finishes == schedule(net, opts).project_finish_minutes).all()


def test_remaining_work_is_scaled_by_the_sampled_duration() -> None:
    """A task half done (480 of 960 left): a sampled duration of 1,920 leaves 960."""
    started = Activity("A", "Build", 960, actual_start=START, remaining_minutes=480)
    net = Network([started, Activity("B", "Test", 480)], [Link("A", "B")], START,
                  data_date=datetime(2024, 1, 2, 8))  # fmt: skip
    twice = Network([Activity("A", "Build", 960, actual_start=START, remaining_minutes=960),
                     Activity("B", "Test", 480)], [Link("A", "B")], START,
                    data_date=datetime(2024, 1, 2, 8))  # fmt: skip
    res = simulate(net, {"A": Distribution("fixed", 1920, 1920, 1920)}, iterations=4)
    assert res.finish_percentile(50) == schedule(twice).project_finish
    assert res.finish_percentile(50) > res.deterministic_finish


@pytest.mark.parametrize(
    ("kind", "a", "m", "b"),
    [("triangular", 600, 900, 2100), ("pert", 600, 900, 2100), ("uniform", 600, 0, 2100)],
)
def test_chain_of_independent_durations_has_the_analytic_mean_and_variance(
    kind: str, a: float, m: float, b: float
) -> None:
    n = 12
    if kind == "uniform":
        m = a
        mean, var = (a + b) / 2, (b - a) ** 2 / 12
        dist = Distribution("uniform", a, a, b)
    elif kind == "triangular":
        mean = (a + m + b) / 3
        var = (a * a + m * m + b * b - a * m - a * b - m * b) / 18
        dist = Distribution("triangular", a, m, b)
    else:
        mean = (a + 4 * m + b) / 6
        var = (mean - a) * (b - mean) / 7
        dist = Distribution("pert", a, m, b)
    var += 1 / 12  # each duration is rounded to whole minutes
    cal = Calendar.standard()
    acts = [Activity(f"T{i}", duration_minutes=int(m or a)) for i in range(n)]
    links = [Link(f"T{i}", f"T{i + 1}") for i in range(n - 1)]
    net = Network(acts, links, START, default_calendar=cal)
    res = simulate(net, {x.id: dist for x in acts}, iterations=N, seed=11)
    # working minutes from the project start: the sum of the durations
    total = np.array([cal.w_m(int(t)) for t in res.finishes]) - cal.w_m(to_minutes(START))
    assert abs(total.mean() - n * mean) <= 4.5 * math.sqrt(n * var / N)
    assert abs(total.var(ddof=1) - n * var) <= 4.5 * n * var * math.sqrt(2 / N)


def _tri_cdf(t: np.ndarray, a: float, m: float, b: float) -> np.ndarray:
    t = np.clip(t, a, b)
    return np.where(
        t <= m, (t - a) ** 2 / ((b - a) * (m - a)), 1 - (b - t) ** 2 / ((b - a) * (b - m))
    )


def test_two_parallel_paths_give_the_distribution_of_the_maximum() -> None:
    acts = [
        Activity("P", kind="milestone"),
        Activity("A", "Path A", 2000),
        Activity("B", "Path B", 2000),
        Activity("Q", kind="milestone"),
    ]
    links = [Link("P", "A"), Link("P", "B"), Link("A", "Q"), Link("B", "Q")]
    net = Network(acts, links, START, default_calendar=H24)
    dists = {
        "A": Distribution("uniform", 1000, 1000, 3000),
        "B": Distribution("triangular", 1500, 2000, 2500),
    }
    res = simulate(net, dists, iterations=N, seed=5)
    x = res.finishes - to_minutes(START)
    grid = np.arange(1000, 3001, 50, dtype=float)
    # durations are rounded to whole minutes: P(round(max) <= t) = F(t + 0.5)
    fa = np.clip((grid + 0.5 - 1000) / 2000, 0, 1)
    expected = fa * _tri_cdf(grid + 0.5, 1500, 2000, 2500)
    empirical = np.searchsorted(np.sort(x), grid, side="right") / N
    assert np.abs(empirical - expected).max() <= math.sqrt(math.log(2e6) / (2 * N))
    # A drives the finish when A > B: P = E[F_B(A)]
    u = np.linspace(1000, 3000, 200_001)
    p_a = float(_tri_cdf(u, 1500, 2000, 2500).mean())
    tol = 4.5 * math.sqrt(p_a * (1 - p_a) / N) + 0.002  # + ties at whole minutes
    assert abs(res.criticality["A"] - p_a) <= tol
    assert abs(res.criticality["B"] - (1 - p_a)) <= tol
    assert res.criticality["P"] == res.criticality["Q"] == 1.0


def test_a_risk_event_shifts_the_right_share_of_iterations() -> None:
    cal = Calendar.standard()
    net = Network([Activity("A", "Build", 960), Activity("B", "Test", 480)],
                  [Link("A", "B")], START, default_calendar=cal)  # fmt: skip
    p = 0.3
    risk = RiskEvent(
        "R1", p, ("A",), delay=Distribution("fixed", 480, 480, 480),
        cost=Distribution("fixed", 5000, 5000, 5000),
    )  # fmt: skip
    res = simulate(net, {}, risks=[risk], iterations=N, seed=2)
    det = to_minutes(res.deterministic_finish)
    late = res.finishes != det
    assert abs(late.mean() - p) <= 4.5 * math.sqrt(p * (1 - p) / N)
    # every hit iteration is exactly one working day later
    assert set(res.finishes[late].tolist()) == {cal.add_work_m(det, 480)}
    assert res.cost is not None
    assert np.array_equal(res.cost > 0, late)
    assert res.cost_percentile(100) == 5000.0
    assert res.sensitivity["A"] > 0.9


def test_the_same_seed_gives_the_same_result_and_another_seed_does_not() -> None:
    net = _mixed_network()
    dists = {
        "A": Distribution("triangular", 600, 960, 1800),
        "D": Distribution("pert", 1000, 1440, 3000),
        "E": Distribution("lognormal", 0, 720, 1400),
    }
    corr = [Correlation("A", "D", 0.5)]
    costs = {"A": Distribution("uniform", 100, 100, 300)}
    one = simulate(net, dists, costs=costs, correlations=corr, iterations=3000, seed=42)
    two = simulate(net, dists, costs=costs, correlations=corr, iterations=3000, seed=42)
    other = simulate(net, dists, costs=costs, correlations=corr, iterations=3000, seed=43)
    assert np.array_equal(one.finishes, two.finishes)
    assert one.cost is not None and two.cost is not None and other.cost is not None
    assert np.array_equal(one.cost, two.cost)
    assert one.criticality == two.criticality and one.sensitivity == two.sensitivity
    assert not np.array_equal(one.finishes, other.finishes)


def test_requested_rank_correlations_are_achieved() -> None:
    acts = [Activity(x, duration_minutes=960) for x in "ABC"]
    net = Network(acts, [], START, default_calendar=H24)
    dists = {x: Distribution("triangular", 480, 960, 2400) for x in "ABC"}
    corr = [Correlation("A", "B", 0.7), Correlation("B", "C", -0.4)]
    res = simulate(net, dists, correlations=corr, iterations=N, seed=9)
    assert res.sampled_durations is not None
    r = np.corrcoef(average_ranks(res.sampled_durations))
    rows = {x: i for i, x in enumerate(res.sampled)}
    assert abs(r[rows["A"], rows["B"]] - 0.7) < 0.03
    assert abs(r[rows["B"], rows["C"]] + 0.4) < 0.03
    # uncorrelated pairs stay near 0, and the marginals keep their mean
    assert abs(r[rows["A"], rows["C"]]) < 0.03
    assert abs(res.sampled_durations.mean() - 3840 / 3) < 10


def test_sensitivity_and_drivers_rank_the_uncertain_critical_activity_first() -> None:
    acts = [Activity("A", "Wide", 960), Activity("B", "Narrow", 960),
            Activity("C", "Side", 60)]  # fmt: skip
    net = Network(acts, [Link("A", "B")], START, default_calendar=H24)
    dists = {
        "A": Distribution("triangular", 480, 960, 3000),
        "B": Distribution("triangular", 900, 960, 1020),
        "C": Distribution("triangular", 30, 60, 90),
    }
    res = simulate(net, dists, iterations=5000, seed=1, target=datetime(2024, 1, 2, 14))
    sens = res.sensitivity
    assert sens["A"] > 0.9 > sens["B"] > 0.05
    assert abs(sens["C"]) < 0.1
    assert res.criticality["C"] == 0.0
    assert [d[0] for d in res.drivers(80, top=2)] == ["A", "B"]
    on_time = float((res.finishes <= to_minutes(datetime(2024, 1, 2, 14))).mean())
    assert res.probability_on_time == on_time and 0 < on_time < 1


def test_lognormal_is_given_by_its_median_and_p90() -> None:
    net = Network([Activity("A", duration_minutes=1000)], [], START, default_calendar=H24)
    res = simulate(net, {"A": Distribution("lognormal", 0, 1000, 2000)}, iterations=N, seed=4)
    x = res.finishes - to_minutes(START)
    assert abs((x <= 1000).mean() - 0.5) < 0.015
    assert abs((x <= 2000).mean() - 0.9) < 0.01


def test_summaries_histogram_and_s_curve_agree_with_the_finishes() -> None:
    net = _mixed_network()
    res = simulate(net, {"D": Distribution("uniform", 600, 600, 6000)}, iterations=2000, seed=6)
    hist = res.histogram(bins=20)
    assert sum(c for _, _, c in hist) == 2000
    curve = res.cumulative(points=30)
    shares = [s for _, s in curve]
    assert shares == sorted(shares) and shares[-1] == 1.0
    assert res.finish_percentile(0) <= res.finish_mean <= res.finish_percentile(100)
    assert res.finish_percentile(50) <= res.finish_percentile(80) <= res.finish_percentile(90)


def test_progress_is_reported_from_zero_to_one() -> None:
    net = _mixed_network()
    seen: list[float] = []
    simulate(net, {"A": Distribution("uniform", 480, 480, 960)}, iterations=100,
             progress=seen.append)  # fmt: skip
    assert seen[-1] == 1.0 and seen == sorted(seen) and len(seen) > 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"durations": {"X": Distribution("fixed", 1, 1, 1)}}, "unknown activity 'X'"),
        ({"milestones": ["X"]}, "unknown activity 'X'"),
        ({"risks": [RiskEvent("R", 0.5, ("X",))]}, "unknown activity 'X'"),
        ({"iterations": 0}, "at least 1"),
        (
            {
                "durations": {x: Distribution("uniform", 1, 1, 9) for x in "ADE"},
                "correlations": [
                    Correlation("A", "D", 0.9), Correlation("A", "E", 0.9),
                    Correlation("D", "E", -0.9),
                ],
            },
            "not positive definite",
        ),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_a_message(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"durations": {}} | kwargs
    with pytest.raises(NetworkError, match=message):
        simulate(_mixed_network(), **args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("triangular", 5, 4, 9), "low <= mode <= high"),
        (("lognormal", 0, 0, 9), "0 < median"),
        (("beta", 1, 2, 3), "unknown distribution"),
    ],
)
def test_invalid_distributions_are_refused(args: tuple[object, ...], message: str) -> None:
    with pytest.raises(NetworkError, match=message):
        Distribution(*args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "name",
    [
        "podium.engine.montecarlo",
        "podium.engine.montecarlo_sampling",
        "podium.engine.montecarlo_pass",
    ],
)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0
