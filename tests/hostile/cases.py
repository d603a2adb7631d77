"""The hostile cases, by the kind of file an entry point reads.

``build(port)`` makes the file (``port`` is a local listener the file may point at);
``says`` is a phrase the refusal must contain, so it names the problem.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tests.hostile import generate as g


@dataclass(frozen=True)
class Case:
    id: str
    filename: str
    build: Callable[[int], bytes]
    says: str
    network: bool = False  # points at the listener: nothing may connect

    def __repr__(self) -> str:
        return self.id


XML = [
    Case("billion-laughs", "plan.xml", lambda _: g.billion_laughs(), "DTD"),
    Case("quadratic-blowup", "plan.xml", lambda _: g.quadratic_blowup(), "DTD"),
    Case("xxe-file", "plan.xml", lambda _: g.xxe_file(), "DTD"),
    Case("xxe-http", "plan.xml", g.xxe_http, "DTD", network=True),
    Case("external-dtd", "plan.xml", g.external_dtd, "DTD", network=True),
    Case("parameter-entity", "plan.xml", g.parameter_entity, "DTD", network=True),
]
XLSX = [
    Case("zip-bomb", "plan.xlsx", lambda _: g.zip_bomb(), "zip bomb"),
    Case("zip-many-parts", "plan.xlsx", lambda _: g.xlsx_many_members(), "parts in the zip"),
    Case("xlsx-billion-laughs", "plan.xlsx", lambda _: g.xlsx_billion_laughs(), "DTD"),
    Case("xlsx-dimension-bomb", "plan.xlsx", lambda _: g.dimension_bomb(), "cells"),
    Case("xlsx-not-a-zip", "plan.xlsx", lambda _: g.not_a_zip(), "not a zip"),
    Case("xlsx-no-workbook", "plan.xlsx", lambda _: g.zip_without_workbook(), "no workbook"),
]
XER = [
    Case("xer-truncated", "plan.xer", lambda _: g.xer_truncated(), "truncated"),
    Case("xer-wrong-columns", "plan.xer", lambda _: g.xer_wrong_columns(), "fields"),
    Case("xer-binary-junk", "plan.xer", lambda _: g.xer_binary_junk(), "decode"),
    Case("xer-invalid-encoding", "plan.xer", lambda _: g.xer_invalid_encoding(), "decode"),
]
_SCHEDULE_CSV = "id,name,duration"
SCHEDULE_CSV = [
    Case("csv-nul", "plan.csv", lambda _: g.csv_nul(_SCHEDULE_CSV), "NUL"),
    Case("csv-unterminated", "plan.csv", lambda _: g.csv_unterminated(_SCHEDULE_CSV), "CSV"),
    Case("csv-huge-field", "plan.csv", lambda _: g.csv_huge_field(_SCHEDULE_CSV), "field limit"),
    Case("csv-wrong-encoding", "plan.csv", lambda _: g.csv_wrong_encoding(_SCHEDULE_CSV), "UTF-8"),
    Case("csv-server-path", "plan.csv", lambda _: b"/etc/passwd", "unknown column '/etc/passwd'"),
]
OTHER = [
    Case("json-deep-nesting", "plan.json", lambda _: b"[" * 100_000 + b"]" * 100_000, "JSON"),
    Case("json-long-number", "plan.json", lambda _: b'{"a": ' + b"9" * 100_000 + b"}", "JSON"),
    Case("json-binary-junk", "plan.json", lambda _: g.binary_junk(), "UTF-8"),
    Case("psplib-binary-junk", "plan.sm", lambda _: b"\x00" * 4096, "NUL"),
    Case("psplib-server-path", "plan.sm", lambda _: b"/etc/passwd", "not found"),
]
SCHEDULE_FILES = XML + XLSX + XER + SCHEDULE_CSV + OTHER


def csv_cases(header: str) -> list[Case]:
    """The malformed CSV files for an import that expects ``header``."""
    return [
        Case("csv-nul", "data.csv", lambda _: g.csv_nul(header), "NUL"),
        Case("csv-unterminated", "data.csv", lambda _: g.csv_unterminated(header), "CSV"),
        Case("csv-huge-field", "data.csv", lambda _: g.csv_huge_field(header), "field limit"),
        Case("csv-wrong-encoding", "data.csv", lambda _: g.csv_wrong_encoding(header), "text"),
        Case("csv-binary-junk", "data.csv", lambda _: g.binary_junk(), ""),
        Case("csv-billion-laughs", "data.csv", lambda _: g.billion_laughs(), ""),
    ]
