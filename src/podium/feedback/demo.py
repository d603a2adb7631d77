"""Demo feedback for the HDT program: items in every state, from the two stakeholders
with portal accounts (sh.osei, Director of Nursing; sh.ferreira, Patient council), one
anonymous, with the actions that answer them — all through the services, each step
dated as it would have happened before the demo's data date (Monday 23 November 2026).

Call :func:`seed_feedback` after the stakeholder register exists (so items carry the
submitter's stakeholder group).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from podium.accounts.models import User
from podium.feedback import services
from podium.feedback.models import FeedbackItem
from podium.programs.models import Program

__all__ = ["seed_feedback"]


def _at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=dt.UTC)


class DemoItem(NamedTuple):
    who: str
    component: str | None
    category: str
    rating: int | None
    text: str
    submitted: str
    state: str  # the state it ends in
    action: str | None  # the action that answers it (shared by title)
    anonymous: bool = False
    reason: str = ""


ITEMS = [
    DemoItem("sh.osei", "EHR", "communication", 2,
             "Night-shift nurses did not hear about the EHR training dates in time.",
             "2026-09-07", "closed", "Post training dates on every ward board"),
    DemoItem("sh.ferreira", "PORTAL", "quality", 3,
             "The booking pages are hard to read on a phone with large text.",
             "2026-09-21", "verified", "Accessibility review of the booking pages"),
    DemoItem("sh.osei", "NET", "schedule", 2,
             "Wi-Fi in ward 4 drops every afternoon since the new access points.",
             "2026-10-05", "implemented", "Re-survey ward 4 Wi-Fi"),
    DemoItem("sh.ferreira", "PORTAL", "communication", 4,
             "Please tell patients which clinics will be bookable online first.",
             "2026-10-19", "planned", "Publish the portal roll-out order"),
    DemoItem("sh.osei", "EHR", "benefits", None,
             "How will we know the EHR actually reduces transcription errors?",
             "2026-11-09", "acknowledged", None),
    DemoItem("sh.ferreira", None, "other", 4,
             "The newsletter about the program is useful — more of it, please.",
             "2026-11-19", "new", None),
    DemoItem("sh.osei", "EHR", "cost", 1,
             "Agency staff cover for the training days is coming out of ward budgets.",
             "2026-10-12", "planned", "Fund training backfill centrally", anonymous=True),
    DemoItem("sh.ferreira", "PORTAL", "quality", 2,
             "Add a chat bot to the portal instead of the phone line.",
             "2026-10-01", "declined", None,
             reason="The phone line stays: many of our patients do not use apps. A chat "
                    "option is on the list for after go-live."),
]  # fmt: skip


def _day(value: str, days: int) -> dt.datetime:
    return _at(value) + dt.timedelta(days=days)


def seed_feedback(program: Program, pm: User) -> list[FeedbackItem]:
    """Feedback in every state for ``program`` (HDT). Unknown users or components are
    skipped; anonymous feedback is switched on for the program."""
    services.save_service_target(actor=pm, program=program, allow_anonymous=True)
    components = {c.code: c for c in program.components.all()}
    users = {u.username: u for u in User.objects.filter(memberships__program=program)}
    owner = users.get("tm.lindqvist") or pm
    actions: dict[str, Any] = {}
    created = []
    for d in ITEMS:
        person = users.get(d.who)
        if person is None:
            continue
        item = services.submit_feedback(
            actor=None, program=program, submitted_by=person, text=d.text, category=d.category,
            rating=d.rating, component=components.get(d.component or ""),
            anonymous=d.anonymous, at=_at(d.submitted),
        )  # fmt: skip
        start = d.submitted
        if d.state == "declined":
            item = services.decline(actor=pm, item=item, reason=d.reason, at=_day(start, 3))
        elif d.state != "new":
            item = services.acknowledge(actor=pm, item=item, at=_day(start, 2))
        if d.state in ("planned", "implemented", "verified", "closed") and d.action:
            action = actions.get(d.action)
            if action is None:
                action = services.create_action(
                    actor=pm, program=program, title=d.action, owner=owner,
                    component=components.get(d.component or ""),
                    due_date=(_day(start, 28)).date(),
                )  # fmt: skip
                actions[d.action] = action
            item = services.plan(actor=pm, item=item, actions=[action], at=_day(start, 4))
        if d.state in ("implemented", "verified", "closed") and d.action:
            services.update_action(
                actor=pm, action=actions[d.action], status="done", at=_day(start, 14)
            )
            item = FeedbackItem.objects.get(pk=item.pk)
        if d.state in ("verified", "closed"):
            item = services.verify(actor=person, item=item, at=_day(start, 17))
        if d.state == "closed":
            item = services.close(actor=pm, item=item, at=_day(start, 18))
        created.append(item)
    return created
