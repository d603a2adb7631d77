"""Register changes: who may make them, validation, audit, versions, CSV import."""

from __future__ import annotations

import pytest

from podium.core.errors import PermissionDenied, ValidationFailed, VersionConflict
from podium.core.models import AuditRecord
from podium.stakeholders import selectors, services
from podium.stakeholders.models import EngagementPlanItem, Stakeholder
from tests.conftest import World
from tests.stakeholders.conftest import Register


def test_create_update_delete_are_audited(world: World) -> None:
    s = services.create_stakeholder(
        actor=world.pm, program=world.alpha, name=" Patients' council ", kind="group", power=2,
        interest=4,
    )  # fmt: skip
    assert s.name == "Patients' council" and s.version == 1
    s = services.update_stakeholder(
        actor=world.admin, stakeholder=s, expected_version=1, current_engagement="supportive"
    )
    assert s.version == 2 and s.current_engagement == "supportive"
    pk = s.pk
    services.delete_stakeholder(actor=world.pm, stakeholder=s, expected_version=2)
    assert not Stakeholder.objects.filter(pk=pk).exists()
    actions = list(
        AuditRecord.objects.filter(object_type="stakeholders.stakeholder", object_id=str(pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "delete"]


def test_only_program_manager_and_admin_change_the_register(
    world: World, register: Register
) -> None:
    for user in (world.cm, world.team, world.viewer, world.stakeholder):
        with pytest.raises(PermissionDenied):
            services.create_stakeholder(actor=user, program=world.alpha, name="X")
        with pytest.raises(PermissionDenied):
            services.update_stakeholder(
                actor=user, stakeholder=register.press, expected_version=None, power=2
            )
        with pytest.raises(PermissionDenied):
            services.add_plan_item(actor=user, stakeholder=register.press, what="Brief")
    with pytest.raises(PermissionDenied):
        services.create_stakeholder(actor=world.pm_b, program=world.alpha, name="X")
    assert Stakeholder.objects.filter(program=world.alpha).count() == 5


def test_validation_names_the_field(world: World) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.create_stakeholder(actor=world.pm, program=world.alpha, name="X", power=6)
    assert "power" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        services.create_stakeholder(
            actor=world.pm, program=world.alpha, name="X", current_engagement="hostile"
        )
    assert "current_engagement" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        services.create_stakeholder(actor=world.pm, program=world.alpha, name="  ")
    assert "name" in exc.value.errors


def test_linked_user_must_be_a_member(world: World, register: Register) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.create_stakeholder(
            actor=world.pm, program=world.alpha, name="Out", user=world.outsider
        )
    assert "user" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        services.update_stakeholder(
            actor=world.pm, stakeholder=register.press, expected_version=None, user=world.pm_b
        )
    assert "user" in exc.value.errors
    assert selectors.stakeholder_for(world.stakeholder, world.alpha) == register.sponsor
    linked = services.update_stakeholder(
        actor=world.pm, stakeholder=register.press, expected_version=None, user=world.viewer
    )
    assert linked.user == world.viewer
    assert selectors.stakeholder_for(world.viewer, world.alpha) == register.press
    unlinked = services.update_stakeholder(
        actor=world.pm, stakeholder=linked, expected_version=None, user=None
    )
    assert unlinked.user is None
    assert selectors.stakeholder_for(world.team, world.alpha) is None


def test_stale_version_is_refused(world: World, register: Register) -> None:
    services.update_stakeholder(
        actor=world.pm, stakeholder=register.press, expected_version=1, power=2
    )
    with pytest.raises(VersionConflict):
        services.update_stakeholder(
            actor=world.pm, stakeholder=register.press, expected_version=1, power=3
        )
    assert Stakeholder.objects.get(pk=register.press.pk).power == 2


def test_gap_is_desired_minus_current(register: Register) -> None:
    assert register.surgeons.gap == 2  # resistant → supportive
    assert register.board.gap == 2  # unaware → neutral
    assert register.press.gap == 0


def test_plan_items(world: World, register: Register) -> None:
    item = services.add_plan_item(
        actor=world.pm, stakeholder=register.surgeons, what="Clinical design review",
        how="Workshop", frequency="monthly", owner=world.cm,
    )  # fmt: skip
    item = services.update_plan_item(
        actor=world.pm, item=item, expected_version=1, frequency="fortnightly"
    )
    assert item.frequency == "fortnightly" and item.version == 2
    with pytest.raises(ValidationFailed) as exc:
        services.add_plan_item(
            actor=world.pm, stakeholder=register.surgeons, what="x", owner=world.outsider
        )
    assert "owner" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        services.add_plan_item(
            actor=world.pm, stakeholder=register.surgeons, what="x", frequency="daily"
        )
    assert "frequency" in exc.value.errors
    services.remove_plan_item(actor=world.pm, item=item)
    assert not EngagementPlanItem.objects.exists()
    assert AuditRecord.objects.filter(object_type="stakeholders.engagementplanitem").count() == 3


def test_grid_and_engagement_summary(world: World, register: Register) -> None:
    g = selectors.grid(world.alpha)
    assert [s.name for s in g.manage_closely.stakeholders] == ["Surgeons", "Sam Sponsor"]
    assert [s.name for s in g.keep_satisfied.stakeholders] == ["Hospital board"]
    assert [s.name for s in g.keep_informed.stakeholders] == ["Ward nurses"]
    assert [s.name for s in g.monitor.stakeholders] == ["Local press"]
    summary = {row["level"]: (row["current"], row["desired"]) for row in
               selectors.engagement_summary(world.alpha)}  # fmt: skip
    assert summary == {
        "unaware": (1, 0), "resistant": (1, 0), "neutral": (1, 1), "supportive": (1, 3),
        "leading": (1, 1),
    }  # fmt: skip
    rows = {r.stakeholder.name: r.cells for r in selectors.engagement_matrix(world.alpha)}
    assert rows["Surgeons"] == ["", "C", "", "D", ""]
    assert rows["Local press"] == ["", "", "", "CD", ""]


def test_list_filters(world: World, register: Register) -> None:
    def names(**filters: str) -> list[str]:
        return [s.name for s in selectors.stakeholder_list(world.alpha, **filters)]

    assert names(group="Clinicians") == ["Surgeons", "Ward nurses"]
    assert names(engagement="unaware") == ["Hospital board"]
    assert names(engagement="gap") == ["Hospital board", "Surgeons", "Ward nurses"]
    assert names(q="gazette") == ["Local press"]


CSV_OK = (
    "name,kind,organization,role,group,power,interest,current_engagement,desired_engagement,email\n"
    "Ward nurses,group,City Hospital,,Clinicians,2,5,neutral,supportive,\n"
    "Dr Jane Roe,person,City Hospital,Chief of surgery,Clinicians,5,4,resistant,supportive,"
    "jane@example.org\n"
)


def test_csv_import_adds_every_line(world: World) -> None:
    created = services.import_stakeholders_csv(
        actor=world.pm, program=world.alpha, data=CSV_OK.encode("utf-8-sig")
    )
    assert [s.name for s in created] == ["Ward nurses", "Dr Jane Roe"]
    roe = created[1]
    assert (roe.power, roe.interest, roe.current_engagement, roe.email) == (
        5, 4, "resistant", "jane@example.org",
    )  # fmt: skip


def test_csv_bad_power_on_line_3_names_line_and_column_and_stores_nothing(
    world: World,
) -> None:
    data = CSV_OK.replace("Chief of surgery,Clinicians,5,", "Chief of surgery,Clinicians,9,")
    with pytest.raises(ValidationFailed) as exc:
        services.import_stakeholders_csv(actor=world.pm, program=world.alpha, data=data)
    message = exc.value.errors["file"][0]
    assert "Line 3" in message and "power" in message
    assert not Stakeholder.objects.filter(program=world.alpha).exists()


def test_csv_bad_engagement_and_email_name_their_column(world: World) -> None:
    data = CSV_OK.replace("neutral,supportive,\n", "neutral,eager,\n")
    with pytest.raises(ValidationFailed) as exc:
        services.import_stakeholders_csv(actor=world.pm, program=world.alpha, data=data)
    assert exc.value.errors["file"][0].startswith("Line 2, column desired_engagement")
    data = CSV_OK.replace("jane@example.org", "not-an-address")
    with pytest.raises(ValidationFailed) as exc:
        services.import_stakeholders_csv(actor=world.pm, program=world.alpha, data=data)
    assert exc.value.errors["file"][0].startswith("Line 3, column email")
    assert not Stakeholder.objects.exists()


def test_csv_refuses_unknown_columns_and_non_managers(world: World) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.import_stakeholders_csv(
            actor=world.pm, program=world.alpha, data="name,mood\nX,happy\n"
        )
    assert "mood" in exc.value.errors["file"][0]
    with pytest.raises(PermissionDenied):
        services.import_stakeholders_csv(actor=world.team, program=world.alpha, data=CSV_OK)
