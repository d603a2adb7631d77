"""The demo register covers every engagement level and grid quadrant."""

from __future__ import annotations

from podium.stakeholders import selectors
from podium.stakeholders.demo import seed_stakeholders
from podium.stakeholders.models import Engagement, EngagementPlanItem
from tests.conftest import World


def test_demo_register_has_every_level_and_quadrant(world: World) -> None:
    created = seed_stakeholders(world.alpha, world.pm)
    assert {s.current_engagement for s in created} == set(Engagement.values)
    g = selectors.grid(world.alpha)
    assert all(q.stakeholders for q in g.quadrants)
    assert any(s.gap > 0 for s in created)
    assert EngagementPlanItem.objects.filter(stakeholder__program=world.alpha).count() >= 6


def test_demo_portal_stakeholders_are_linked(db: object) -> None:
    from podium.accounts.models import User
    from podium.demo import load_demo
    from podium.programs.models import Program
    from podium.stakeholders.models import Stakeholder

    load_demo()
    hdt = Program.objects.get(code="HDT")
    if not Stakeholder.objects.filter(program=hdt).exists():  # until podium.demo calls it
        seed_stakeholders(hdt, User.objects.get(username="pm.alvarez"))
    osei = User.objects.get(username="sh.osei")
    entry = selectors.stakeholder_for(osei, hdt)
    assert entry is not None and entry.group == "Clinicians"
    assert selectors.stakeholder_for(User.objects.get(username="sh.ferreira"), hdt) is not None
