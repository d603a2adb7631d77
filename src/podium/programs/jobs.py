"""Background jobs of the programs app."""

from __future__ import annotations

from typing import Any

from podium.core.jobs import JobContext, job_handler
from podium.programs.models import Program


@job_handler("programs.export_json")
def export_program_json(ctx: JobContext, program_id: int) -> dict[str, Any]:
    """The whole program as Podium's native JSON (this version: program, goals,
    components, members; later capabilities add their registers)."""
    program = Program.objects.select_related("manager", "sponsor").get(pk=program_id)
    ctx.progress(10, "program")
    components = list(program.components.select_related("manager").order_by("code"))
    ctx.progress(50, "components")
    members = list(program.memberships.select_related("user").order_by("user__username"))
    ctx.progress(80, "members")

    def person(user: Any) -> str | None:
        return user.username if user is not None else None

    return {
        "format": "podium.program",
        "format_version": 1,
        "program": {
            "code": program.code,
            "name": program.name,
            "vision": program.vision,
            "charter": program.charter,
            "currency": program.currency,
            "stage": program.stage,
            "start_date": program.start_date.isoformat() if program.start_date else None,
            "end_date": program.end_date.isoformat() if program.end_date else None,
            "manager": person(program.manager),
            "sponsor": person(program.sponsor),
            "goals": [
                {"title": g.title, "description": g.description} for g in program.goals.all()
            ],
        },
        "components": [
            {
                "code": c.code,
                "name": c.name,
                "kind": c.kind,
                "status": c.status,
                "description": c.description,
                "business_case": c.business_case,
                "manager": person(c.manager),
                "start_date": c.start_date.isoformat() if c.start_date else None,
                "end_date": c.end_date.isoformat() if c.end_date else None,
            }
            for c in components
        ],
        "members": [{"user": m.user.username, "role": m.role} for m in members],
    }
