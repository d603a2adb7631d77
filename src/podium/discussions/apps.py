from typing import Any

from django.apps import AppConfig


def _reads_every_thread(user: Any, program: Any) -> bool:
    from podium.discussions.targets import sees_every_kind

    return sees_every_kind(user, program)


class DiscussionsConfig(AppConfig):
    name = "podium.discussions"
    label = "discussions"
    verbose_name = "Discussions"

    def ready(self) -> None:
        from podium.core.audit import register_private_types
        from podium.core.navigation import register_program_tab

        # The program's activity feed: changes and comments (group "Reports").
        register_program_tab("Activity feed", "discussions:activity", order=86)
        # A comment's audit record carries its text: it stays out of the program's
        # history for whoever may not read every thread of the program (a stakeholder
        # must not read the team's comments on feedback or change requests there).
        register_private_types(
            "discussions.comment",
            "discussions.commentattachment",
            visible=_reads_every_thread,
        )
