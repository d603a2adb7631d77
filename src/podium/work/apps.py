import datetime as dt
from typing import Any

from django.apps import AppConfig


def _approver(user: Any, program: Any) -> bool:
    from podium.work.selectors import is_approver_in

    return is_approver_in(user, program)


class WorkConfig(AppConfig):
    name = "podium.work"
    label = "work"
    verbose_name = "Work"

    def ready(self) -> None:
        from podium.core.navigation import register_program_tab
        from podium.core.periodic import register_periodic
        from podium.work import services  # noqa: F401  (registers the reminders job)

        # Program and component managers approve the timesheets of their components.
        register_program_tab("Timesheets", "work:program", order=76, visible=_approver)
        # Last week's timesheets not submitted by Monday: one "overdue" reminder a week.
        register_periodic("work.reminders", every=dt.timedelta(days=1))
