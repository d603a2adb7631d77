import datetime as dt

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "podium.reports"
    label = "reports"
    verbose_name = "Status reports and calendar feeds"

    def ready(self) -> None:
        from podium.core.audit import register_private_types
        from podium.core.navigation import register_program_tab
        from podium.core.periodic import register_periodic
        from podium.programs.permissions import can_change_program
        from podium.reports import jobs  # noqa: F401  (registers the weekly job)

        register_program_tab("Status report", "reports:report", order=5)
        register_periodic("reports.weekly", every=dt.timedelta(days=7))
        # who made a calendar URL (never the token) is for the program's managers only
        register_private_types("reports.calendarfeed", visible=can_change_program)
