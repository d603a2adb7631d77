"""Demo discussions for the HDT program: a week of threads on a risk, a deliverable, an
activity, the open change request and a benefit, with @mentions between the program
manager, the component managers and the team — written through the services (so the
mentioned people are notified), each dated over the last seven days.

Call :func:`seed_discussions` at the end of the demo loader, once the registers and the
change request exist; an object that is missing is skipped, and so is a comment whose
author is not in ``users`` (or may not write on that object).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from django.utils import timezone

from podium.accounts.models import User
from podium.discussions.access import can_comment
from podium.discussions.services import post_comment
from podium.programs.models import Program

__all__ = ["seed_discussions"]


class Line(NamedTuple):
    who: str
    days_ago: int
    time: str  # "HH:MM"
    text: str


THREADS: dict[str, list[Line]] = {
    "risk": [
        Line("cm.okafor", 6, "09:12",
             "The vendor has confirmed interface-engine licences for **wave 1 only**. "
             "@pm.alvarez can we take this to Thursday's board? If wave 2 slips, the "
             "pharmacy go-live moves with it."),
        Line("pm.alvarez", 6, "11:40",
             "Yes, it goes on the agenda. @tm.lindqvist please add the vendor's letter to "
             "the mitigation action so the board sees the date they committed to."),
        Line("tm.lindqvist", 5, "08:55",
             "Done. The letter promises the wave 2 keys by **15 January**; it is linked "
             "from the mitigation action."),
    ],
    "deliverable": [
        Line("cm.brandt", 5, "14:05",
             "Accessibility review is back: 7 findings, 2 blocking\n\n"
             "- contrast on the booking confirmation\n"
             "- focus order in the date picker\n\n"
             "@tm.haddad can you take the date picker?"),
        Line("tm.haddad", 4, "10:20",
             "On it, the fix is in this sprint. I'll ask the patient council to re-test "
             "with large text, since they raised it in their feedback."),
        Line("pm.alvarez", 4, "16:30",
             "Thanks both. Let's keep the acceptance date: @sh.ferreira, could the council "
             "look at the fixed pages at its next meeting?"),
    ],
    "activity": [
        Line("tm.lindqvist", 4, "07:45",
             "Trial load of the allergy records finished overnight: 98.7% matched. The rest "
             "are free-text entries from the old ward system. @cm.okafor I'd like two extra "
             "days for the manual review before we call it done."),
        Line("cm.okafor", 3, "09:30",
             "Agreed. Report the remaining duration in My work so the schedule picks it up. "
             "@tm.kowalski can you pair with Erik on Thursday?"),
        Line("tm.kowalski", 3, "13:10", "Yes, Thursday works. I'll bring the ward 4 sample."),
    ],
    "changerequest": [
        Line("pm.alvarez", 3, "15:00",
             "The impact looks acceptable on the schedule, but the licence line needs a "
             "finance sign-off. @cm.okafor please attach the vendor's quote before the board."),
        Line("cm.okafor", 2, "10:05",
             "Quote is in: the vendor holds the price until the end of December."),
        Line("cm.brandt", 2, "11:50",
             "From the portal side: the pharmacy interface also carries repeat-prescription "
             "requests in phase 2, so the extra ten days help us too."),
    ],
    "benefit": [
        Line("pm.alvarez", 2, "09:00",
             "The transcription-error baseline comes from the 2025 incident reports. "
             "@cm.singh can the data platform produce it monthly from the EHR audit log once "
             "wave 1 is live?"),
        Line("cm.singh", 1, "14:15",
             "Yes, it is in the first reporting sprint. Until then the quality team keeps "
             "the manual count."),
        Line("sh.osei", 1, "16:40",
             "Nursing will help with the manual count: ward managers already collect it for "
             "the monthly safety huddle."),
    ],
}  # fmt: skip


def _when(line: Line) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=line.days_ago)
    hour, minute = (int(p) for p in line.time.split(":"))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _objects(program: Program) -> dict[str, Any]:
    from podium.benefits.models import Benefit
    from podium.changes.models import ChangeRequest, State
    from podium.delivery.models import Deliverable
    from podium.risks.models import Risk
    from podium.schedule.models import Activity

    def first(qs: Any, *preferred: Any) -> Any:
        for narrowed in preferred:
            found = narrowed.first()
            if found is not None:
                return found
        return qs.first()

    risks = Risk.objects.filter(program=program).order_by("code")
    deliverables = Deliverable.objects.filter(program=program).order_by("code")
    activities = Activity.objects.filter(program=program).exclude(kind="summary")
    requests = ChangeRequest.objects.filter(program=program).order_by("-number")
    open_states = [State.SUBMITTED, State.DRAFT]
    return {
        "risk": first(risks, risks.filter(component__code="EHR", status="open")),
        "deliverable": first(deliverables, deliverables.filter(component__code="PORTAL")),
        "activity": first(
            activities.order_by("component__code", "order", "id"),
            activities.filter(component__code="EHR", name__icontains="migrat").order_by("id"),
        ),
        "changerequest": first(requests, requests.filter(state__in=open_states)),
        "benefit": Benefit.objects.filter(program=program).order_by("code").first(),
    }


def seed_discussions(program: Program, pm: User, users: dict[str, User]) -> None:
    """A week of threads on five objects of ``program`` (``pm`` writes the lines of
    pm.alvarez when ``users`` lacks them)."""
    people = {"pm.alvarez": pm, **users}
    for kind, obj in _objects(program).items():
        if obj is None:
            continue
        for line in THREADS[kind]:
            author = people.get(line.who)
            if author is None or not can_comment(author, obj):
                continue
            post_comment(actor=author, obj=obj, body=line.text, at=_when(line))
