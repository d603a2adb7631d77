from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "podium.exports"
    label = "exports"
    verbose_name = "Register exports"

    def ready(self) -> None:
        from podium.core.navigation import register_program_tab
        from podium.exports import registers as r
        from podium.exports.registry import register_export

        register_program_tab("Exports", "exports:index", order=95)

        member = r.every_member
        for order, (key, label, rows, visible, description) in enumerate((
            ("activities", "Activities", r.activity_rows, member,
             "The schedule: every activity with its dates, float and progress."),
            ("resources", "Resources", r.resource_rows, member,
             "The resource pool (and organisation resources in use); rates for managers."),
            ("assignments", "Assignments", r.assignment_rows, member,
             "Which resource works on which activity, and how much."),
            ("risks", "Risks", r.risk_rows, member,
             "The risk register; cost impact for managers."),
            ("issues", "Issues", r.issue_rows, member, "The issue register."),
            ("deliverables", "Deliverables", r.deliverable_rows, member,
             "Deliverables with their status and acceptance."),
            ("benefits", "Benefits", r.benefit_rows, member,
             "The benefits register; expected value for managers."),
            ("stakeholders", "Stakeholders", r.stakeholder_rows, r.reads_stakeholders,
             "The stakeholder register with power, interest and engagement."),
            ("feedback", "Feedback", r.feedback_rows, member,
             "Feedback items you may read (stakeholders: their own)."),
            ("decisions", "Decisions", r.decision_rows, r.reads_governance,
             "The governance decision log."),
            ("lessons", "Lessons", r.lesson_rows, member, "The program's lessons learned."),
            ("change-requests", "Change requests", r.change_request_rows, r.reads_changes,
             "Change requests and their decisions; cost change for managers."),
        )):  # fmt: skip
            register_export(key, label, rows, visible, order=order, description=description)
