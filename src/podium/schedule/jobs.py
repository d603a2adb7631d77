"""Background jobs of the schedule app: file imports with progress."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

from podium.core.errors import PodiumError
from podium.core.jobs import JobContext, JobFailed, job_handler
from podium.engine import EngineError
from podium.interchange.registry import read_any
from podium.programs.models import Program
from podium.schedule import services


def max_import_bytes() -> int:
    """The largest schedule file imported: ``PODIUM_MAX_IMPORT_MB`` (default 50) MB."""
    return int(float(getattr(settings, "PODIUM_MAX_IMPORT_MB", 50)) * 2**20)


@job_handler("schedule.import")
def import_file(
    ctx: JobContext, program_id: int, path: str, name: str, component_name: str | None
) -> dict[str, Any]:
    """Read an uploaded file and import every project in it into the program, all or
    nothing. The upload is deleted afterwards, whatever happens."""
    program = Program.objects.get(pk=program_id)
    actor = ctx.job.created_by
    try:
        ctx.progress(5, f"reading {name}")
        projects = read_any(name, Path(path).read_bytes(), max_bytes=max_import_bytes())
        ctx.progress(40, f"storing {sum(len(p.network.activities) for p in projects)} activities")
        summaries = services.import_projects(
            actor=actor, program=program, projects=projects, component_name=component_name
        )
    except EngineError as exc:
        raise JobFailed(f"Nothing imported: {exc}") from exc
    except PodiumError as exc:
        raise JobFailed(f"Nothing imported: {name}: {exc.message}") from exc
    finally:
        Path(path).unlink(missing_ok=True)
    return {
        "imported": [
            {
                "code": s.component.code,
                "name": s.component.name,
                "activities": s.activities,
                "links": s.links,
            }
            for s in summaries
        ]
    }
