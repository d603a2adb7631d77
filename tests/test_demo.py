"""The demo program a newcomer sees."""

from __future__ import annotations

from typing import Any

from podium.core.models import AuditRecord
from podium.demo import load_demo
from podium.programs.models import Program, Role
from podium.programs.permissions import visible_programs


def test_demo_is_a_living_program_with_every_role(db: Any) -> None:
    assert load_demo() is True
    hdt = Program.objects.get(code="HDT")
    assert hdt.phase == "delivery"
    statuses = dict(hdt.components.values_list("code", "status"))
    assert len(statuses) == 5
    assert {"in_delivery", "authorized", "transitioning", "proposed"} <= set(statuses.values())
    roles = set(hdt.memberships.values_list("role", flat=True))
    assert roles == set(Role.values)
    assert hdt.goals.count() == 3
    assert AuditRecord.objects.filter(program_id=hdt.pk, action="transition").count() >= 8
    stakeholder = hdt.memberships.get(role=Role.STAKEHOLDER, user__username="sh.ferreira").user
    assert list(visible_programs(stakeholder).values_list("code", flat=True)) == ["HDT"]
    # The earlier, closed program: its team (and the director of nursing) see it, the
    # FAC-ENERGY manager does not.
    epr = Program.objects.get(code="EPR-2023")
    assert epr.stage == "closed" and epr.lessons.count() >= 10
    osei = hdt.memberships.get(user__username="sh.osei").user
    assert list(visible_programs(osei).values_list("code", flat=True)) == ["EPR-2023", "HDT"]
    greene = Program.objects.get(code="FAC-ENERGY").manager
    assert "EPR-2023" not in set(visible_programs(greene).values_list("code", flat=True))
    assert load_demo() is False


def test_demo_electricians_are_shared_and_overbooked_across_programs(db: Any) -> None:
    from podium.resources.models import Resource
    from podium.resources.selectors import external_load, resource_load

    load_demo()
    hdt = Program.objects.get(code="HDT")
    elec = Resource.objects.get(program__isnull=True, code="ELEC")
    assert set(elec.skills.values_list("name", flat=True)) == {"Electrical", "Low voltage"}
    elsewhere = external_load(hdt, [elec.pk])[elec.pk]
    assert elsewhere, "FAC-ENERGY's plant-room work is load from another program"
    first = min(start for start, _, _ in elsewhere).date()
    table = resource_load(hdt, first_week=first, weeks=12)
    row = next(r for r in table.rows if r.resource.pk == elec.pk)
    assert any(w.other > 0 for w in row.weeks)
    assert any(w.peak > w.capacity for w in row.weeks), "the shared crew is overbooked"
