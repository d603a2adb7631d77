"""What a user may export from a program, and the files themselves."""

from __future__ import annotations

from typing import Any

from podium.core.errors import NotFound
from podium.exports.registry import ALL, Export, available, get_export
from podium.exports.workbook import register_workbook, registers_workbook
from podium.programs.models import Program
from podium.programs.permissions import get_program

__all__ = ["Download", "download", "exports_for"]


class Download:
    """An XLSX file ready to send."""

    CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def __init__(self, filename: str, content: bytes) -> None:
        self.filename = filename
        self.content = content


def exports_for(user: Any, program: Program) -> list[Export]:
    """The registers ``user`` may download in ``program``, in display order."""
    return available(user, program)


def download(user: Any, code: str, key: str) -> Download:
    """The XLSX of register ``key`` (or ``all``: every register the user may export, a
    sheet each) of program ``code``. NotFound for a program the user cannot see and for
    a register they may not export, exactly like a missing one."""
    program = get_program(user, code)
    if key == ALL:
        exports = available(user, program)
        if not exports:
            raise NotFound(f"Nothing to export from {code}.")
        content = registers_workbook(exports, user, program)
        return Download(f"{program.code}-registers.xlsx", content)
    export = get_export(user, program, key)
    if export is None:
        raise NotFound(f"No register {key!r} to export from {code}.")
    return Download(f"{program.code}-{export.key}.xlsx", register_workbook(export, user, program))
