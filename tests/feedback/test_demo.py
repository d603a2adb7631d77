"""The demo feedback: every state, one anonymous item, steps dated in the past."""

from __future__ import annotations

from podium.accounts.models import User
from podium.feedback.demo import seed_feedback
from podium.feedback.models import FeedbackState
from podium.programs import services as program_services
from podium.programs.models import Role
from tests.conftest import World, make_user


def test_demo_feedback_covers_every_state(world: World) -> None:
    for name in ("sh.osei", "sh.ferreira"):
        user: User = make_user(name)
        program_services.add_member(
            actor=world.pm, program=world.alpha, user=user, role=Role.STAKEHOLDER
        )
    items = seed_feedback(world.alpha, world.pm)
    assert {i.state for i in items} == set(FeedbackState.values)
    assert sum(i.anonymous for i in items) == 1
    closed = next(i for i in items if i.state == "closed")
    assert closed.submitted_at < closed.acknowledged_at < closed.closed_at
    assert [e.action for e in closed.events.all()] == [
        "submit",
        "acknowledge",
        "plan",
        "implement",
        "verify",
        "close",
    ]
