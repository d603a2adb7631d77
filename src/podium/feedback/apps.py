import datetime as dt
from typing import Any

from django.apps import AppConfig


def _is_stakeholder(user: Any, program: Any) -> bool:
    from podium.programs.models import Role
    from podium.programs.permissions import roles_in

    return Role.STAKEHOLDER in roles_in(user, program)


def _is_team(user: Any, program: Any) -> bool:
    from podium.feedback.access import is_team_side

    return is_team_side(user, program)


class FeedbackConfig(AppConfig):
    name = "podium.feedback"
    label = "feedback"
    verbose_name = "Stakeholder feedback"

    def ready(self) -> None:
        from podium.core.audit import register_private_types
        from podium.core.navigation import register_program_tab
        from podium.core.periodic import register_periodic
        from podium.feedback import services  # noqa: F401  (registers the digest job)
        from podium.feedback.views_reports import register_tabs

        # Feedback text is private to its submitter and the team: its audit records stay
        # out of the whole-program history for those who are only stakeholders.
        register_private_types(
            "feedback.feedbackitem",
            "feedback.feedbackattachment",
            "feedback.feedbackaction",
            visible=_is_team,
        )

        # The team's triage list: everyone but those who are only stakeholders.
        register_program_tab("Feedback", "feedback:triage", order=72, visible=_is_team)
        # The stakeholder portal of the program.
        register_program_tab("My feedback", "feedback:mine", order=73, visible=_is_stakeholder)
        # "Feedback monitoring" (team side) and "You said, we did" (every member).
        register_tabs()
        # The program managers' digest of new and overdue feedback, once a day.
        register_periodic("feedback.digest", every=dt.timedelta(days=1))
