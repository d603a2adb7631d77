"""The demo program's change request awaiting decision: closed-loop medication needs
ten more working days on the EHR's pharmacy interface, which must also be stable a week
before system test starts, and extra licences."""

from __future__ import annotations

from podium.accounts.models import User
from podium.changes import services
from podium.changes.models import ChangeRequest
from podium.finance.models import CostAccount
from podium.programs.models import Program
from podium.schedule.models import Activity

__all__ = ["install"]

# Activity codes of the demo EHR schedule (podium.demo_schedule: "<phase>.<task>").
PHARMACY_INTERFACE = "3.6"  # Interfaces: pharmacy, 20 days, not started at the data date
SYSTEM_TEST = "5.1"  # System test


def install(program: Program, pm: User) -> ChangeRequest:
    """Draft and submit the change request (its impact is computed on submission); the
    EHR component's manager asks when there is one, else ``pm``."""
    ehr = program.components.get(code="EHR")
    requester = ehr.manager or pm
    acts = {a.code: a for a in Activity.objects.filter(component=ehr)}
    cr = services.create_change_request(
        actor=requester, program=program,
        title="Closed-loop medication: extend the pharmacy interface",
        description=(
            "Interfaces: pharmacy from 20 to 30 working days, finished a week before "
            "system test starts; licences for the closed-loop medication features."
        ),
        justification=(
            "Design review found closed-loop medication administration missing from the "
            "vendor's base module; pharmacy asked for a stable interface before testing."
        ),
        components=[ehr.pk],
    )  # fmt: skip
    add = services.add_line
    add(actor=requester, cr=cr, kind="duration", activity=acts[PHARMACY_INTERFACE].pk,
        new_duration_days="30", reason="Closed-loop medication administration")  # fmt: skip
    add(actor=requester, cr=cr, kind="add_link", predecessor=acts[PHARMACY_INTERFACE].pk,
        successor=acts[SYSTEM_TEST].pk, link_type="FS", lag_days="5",
        reason="Pharmacy needs a stable interface before testing")  # fmt: skip
    account = CostAccount.objects.filter(program=program, component=ehr).order_by("code")
    material = account.filter(code="EHR-MAT").first() or account.first()
    if material is not None:
        add(actor=requester, cr=cr, kind="cost", cost_account=material.pk, amount="120000",
            reason="Closed-loop medication licences")  # fmt: skip
    cr.refresh_from_db()
    return services.submit(actor=requester, cr=cr, expected_version=cr.version)
