"""Background jobs of the programs app."""

from __future__ import annotations

from typing import Any

from podium.core.jobs import JobContext, job_handler
from podium.programs.models import Program


@job_handler("programs.export_json")
def export_program_json(ctx: JobContext, program_id: int) -> dict[str, Any]:
    """The whole program as Podium's native JSON (see :mod:`podium.programs.native`):
    every register of every app, its people by username, files and history."""
    from podium.programs.native import export_program

    program = Program.objects.get(pk=program_id)
    ctx.progress(10, "program")
    return export_program(program)
