"""API: the XLSX export of a register, exactly as the Exports page offers it.

``GET /api/v1/programs/{code}/register-exports`` lists the registers the caller may
export (``POST /programs/{code}/exports`` is the programs app's JSON export job);
``GET /api/v1/programs/{code}/exports/{key}.xlsx`` downloads one (``all``: every one of
them, a sheet each). A program the caller cannot see and a register they may not export
answer 404.
"""

from typing import Any

from django.http import HttpResponse
from ninja import Router, Schema

from podium.core.api import ErrorOut
from podium.core.views import AuthedRequest
from podium.exports import selectors
from podium.exports.schemas import ExportOut
from podium.programs.permissions import get_program

__all__ = ["router"]

router = Router(tags=["exports"])

READ_ERRORS: dict[int, type[Schema]] = {404: ErrorOut}


@router.get("/programs/{code}/register-exports", response={200: list[ExportOut], **READ_ERRORS})
def list_program_exports(request: AuthedRequest, code: str) -> Any:
    """The registers the caller may export from the program."""
    program = get_program(request.user, code)
    return [
        {
            "key": e.key,
            "label": e.label,
            "description": e.description,
            "url": f"/api/v1/programs/{program.code}/exports/{e.key}.xlsx",
        }
        for e in selectors.exports_for(request.user, program)
    ]


@router.get("/programs/{code}/exports/{key}.xlsx", response={200: None, **READ_ERRORS})
def download_program_export(request: AuthedRequest, code: str, key: str) -> Any:
    """One register as an XLSX workbook (``all``: every register, a sheet each)."""
    found = selectors.download(request.user, code, key)
    response = HttpResponse(found.content, content_type=found.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{found.filename}"'
    return response
