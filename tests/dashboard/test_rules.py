"""The dashboard's RAG rules: each dimension's thresholds, grey without data."""

from __future__ import annotations

from podium.dashboard import rules


def test_schedule_spi_t_thresholds_are_the_performance_pages() -> None:
    assert rules.schedule_rating(0.95, None, None).rag == "green"
    assert rules.schedule_rating(0.94, None, None).rag == "amber"
    assert rules.schedule_rating(0.90, None, None).rag == "amber"
    assert rules.schedule_rating(0.89, None, None).rag == "red"


def test_schedule_float_and_milestone_slip() -> None:
    assert rules.schedule_rating(None, 5, None).rag == "green"
    assert rules.schedule_rating(None, 4.9, None).rag == "amber"
    assert rules.schedule_rating(None, -0.5, None).rag == "red"
    assert rules.schedule_rating(None, None, 5).rag == "green"
    assert rules.schedule_rating(None, None, 5.5).rag == "amber"
    assert rules.schedule_rating(None, None, 20).rag == "amber"
    assert rules.schedule_rating(None, None, 21).rag == "red"
    # the worst signal wins
    assert rules.schedule_rating(0.99, 10, 25).rag == "red"
    rating = rules.schedule_rating(0.93, 10, 3, "2029-03-01")
    assert rating.rag == "amber"
    assert "SPI(t) 0.93" in rating.headline and "finish 2029-03-01" in rating.headline


def test_schedule_without_data_is_grey_and_the_rule_names_thresholds() -> None:
    rating = rules.schedule_rating(None, None, None)
    assert rating.rag == "grey"
    assert "0.95" in rating.rule and "0.90" in rating.rule and "20 days" in rating.rule


def test_cost_cpi_and_eac_against_bac() -> None:
    assert rules.cost_rating(1.0, 1000, 1000).rag == "green"
    assert rules.cost_rating(0.92, 1000, 1000).rag == "amber"
    assert rules.cost_rating(0.85, 1000, 1000).rag == "red"
    assert rules.cost_rating(1.0, 1050, 1000).rag == "green"
    assert rules.cost_rating(1.0, 1060, 1000).rag == "amber"
    assert rules.cost_rating(1.0, 1101, 1000).rag == "red"
    assert rules.cost_rating(None, None, 0).rag == "grey"
    rating = rules.cost_rating(0.92, 1200, 1000, "EUR")
    assert rating.rag == "red" and "EAC 1,200 EUR of BAC 1,000 EUR" in rating.headline
    assert "0.95" in rating.rule and "110%" in rating.rule


def test_deliverables_late_and_rejected() -> None:
    assert rules.deliverables_rating(0, [], 0).rag == "grey"
    assert rules.deliverables_rating(3, [], 0).rag == "green"
    assert rules.deliverables_rating(3, [14], 0).rag == "amber"
    assert rules.deliverables_rating(3, [15], 0).rag == "red"
    assert rules.deliverables_rating(3, [], 1).rag == "red"
    assert "14 days" in rules.deliverables_rating(3, [], 0).rule


def test_benefits_by_status() -> None:
    base = {"not_measured": 0, "on_track": 0, "at_risk": 0, "off_track": 0}
    assert rules.benefits_rating(base).rag == "grey"
    assert rules.benefits_rating({**base, "not_measured": 2}).rag == "grey"
    assert rules.benefits_rating({**base, "on_track": 2}).rag == "green"
    assert rules.benefits_rating({**base, "on_track": 2, "at_risk": 1}).rag == "amber"
    assert rules.benefits_rating({**base, "at_risk": 1, "off_track": 1}).rag == "red"


def test_risks_high_without_response_and_escalated() -> None:
    assert rules.risks_rating(0, 0, 0, 0, 0).rag == "grey"
    assert rules.risks_rating(3, 0, 0, 0, 0).rag == "green"  # all closed
    assert rules.risks_rating(3, 2, 0, 0, 0).rag == "green"
    assert rules.risks_rating(3, 2, 1, 0, 0).rag == "amber"
    assert rules.risks_rating(3, 2, 0, 0, 1).rag == "amber"
    assert rules.risks_rating(3, 2, 1, 1, 0).rag == "red"
    assert "above 12" in rules.risks_rating(0, 0, 0, 0, 0).rule


def test_worst() -> None:
    assert rules.worst("grey", "green") == "green"
    assert rules.worst("green", "amber", "grey") == "amber"
    assert rules.worst("red", "amber") == "red"
    assert rules.worst() == "grey"
