import datetime as dt
from typing import Any

from django.apps import AppConfig


def _sees_all(user: Any, program: Any) -> bool:
    from podium.meetings.access import can_see_all

    return can_see_all(user, program)


class MeetingsConfig(AppConfig):
    name = "podium.meetings"
    label = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        from podium.core.audit import register_private_types
        from podium.core.navigation import register_program_tab
        from podium.core.periodic import register_periodic
        from podium.meetings import services  # noqa: F401  (registers the overdue job)

        # Every member sees the Meetings tab; a stakeholder finds there the meetings
        # they are invited to.
        register_program_tab("Meetings", "meetings:list", order=84)
        # A stakeholder sees only the meetings they are invited to: the audit records of
        # meetings stay out of the program history for those who are only stakeholders.
        register_private_types(
            "meetings.meeting",
            "meetings.meetingattendee",
            "meetings.agendaitem",
            "meetings.actionitem",
            "meetings.meetingdecision",
            visible=_sees_all,
        )
        # Owners of overdue meeting actions are told once a day.
        register_periodic("meetings.overdue_actions", every=dt.timedelta(days=1))
