"""The demo's updates: last week's and this week's, submitted by each manager, with
colours that move between the two weeks."""

from __future__ import annotations

from podium.programs.services import create_component
from podium.updates import selectors
from podium.updates.demo import seed_updates
from podium.updates.models import ComponentUpdate
from tests.conftest import World
from tests.updates.conftest import LAST_WEEK, THIS_WEEK, in_delivery


def test_seed_updates_files_two_weeks_per_managed_component(world: World) -> None:
    ehr = create_component(actor=world.pm, program=world.alpha, code="EHR", name="EHR",
                           manager=world.cm)  # fmt: skip
    portal = create_component(actor=world.pm, program=world.alpha, code="PORTAL",
                              name="Portal", manager=world.pm)  # fmt: skip
    create_component(actor=world.pm, program=world.alpha, code="DESK", name="Desk")
    in_delivery(ehr, portal)

    seed_updates(world.alpha, world.pm, {"cm.okafor": world.cm, "pm.alvarez": world.pm})

    updates = ComponentUpdate.objects.order_by("component__code", "period")
    assert [(u.component.code, u.period, u.status) for u in updates] == [
        ("EHR", LAST_WEEK, "submitted"), ("EHR", THIS_WEEK, "submitted"),
        ("PORTAL", LAST_WEEK, "submitted"), ("PORTAL", THIS_WEEK, "submitted"),
    ]  # fmt: skip
    assert updates[0].submitted_by == world.cm
    view = selectors.overview(world.pm, world.alpha)
    ehr_column = next(c for c in view.columns if c.component.code == "EHR")
    overall = ehr_column.cells[0]
    assert overall.change == "Amber → Red" and overall.trend == "worse"
    portal_column = next(c for c in view.columns if c.component.code == "PORTAL")
    assert portal_column.cells[0].trend == "better"
