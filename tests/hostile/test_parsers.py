"""Every reader refuses every hostile file with a one-line ParseError, fast and small,
without connecting anywhere; and every XML parse in Podium goes through defusedxml."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from podium.engine.errors import ParseError
from podium.interchange.registry import MAX_FILE_BYTES, read_any
from tests.hostile import generate as g
from tests.hostile.cases import SCHEDULE_FILES, Case
from tests.hostile.measure import MAX_GROWTH_MB, MAX_SECONDS, listener, measure

SRC = Path(__file__).resolve().parents[2] / "src" / "podium"


@pytest.mark.parametrize("case", SCHEDULE_FILES, ids=lambda c: c.id)
def test_reader_refuses(case: Case, record: Callable[..., None]) -> None:
    with listener() as port:
        data = case.build(port.port)
        got = measure(lambda: read_any(case.filename, data))
    assert isinstance(got.error, ParseError), got.error or got.result
    message = str(got.error)
    assert "\n" not in message and case.says.lower() in message.lower(), message
    assert got.seconds < MAX_SECONDS, got
    assert got.peak_mb < MAX_GROWTH_MB, got
    assert port.connections == 0
    if "passwd" in case.id or "xxe" in case.id:
        assert "root:" not in message
    record("read_any", case.id, got.seconds, got.peak_mb)


def test_an_oversize_file_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "huge.xer"
    with big.open("wb") as out:  # sparse: no disk or memory spent
        out.truncate(MAX_FILE_BYTES + 1)
    got = measure(lambda: read_any(big))
    assert isinstance(got.error, ParseError) and "at most 50 MB" in str(got.error)
    assert got.seconds < 0.1 and got.peak_mb < 1


def test_a_zip_directory_that_understates_sizes_is_not_trusted() -> None:
    """A bomb whose directory claims a 4 KB worksheet: zipfile inflates no more than the
    declared size, and the CRC check then refuses the part."""
    data = g.zip_bomb(1, declared=4096)
    got = measure(lambda: read_any("liar.xlsx", data))
    assert isinstance(got.error, ParseError), got.result
    assert "not a readable .xlsx workbook" in str(got.error)
    assert got.within_bounds(), got


_UNSAFE_XML = re.compile(
    r"^\s*(?:from\s+(?:xml\.(?:etree(?:\.c?ElementTree)?|dom(?:\.\w+)?|sax(?:\.\w+)?)|lxml[\w.]*)"
    r"\s+import\s+(?P<names>.+)|import\s+(?:xml\.(?:dom|sax)|lxml)\b.*)$",
    re.MULTILINE,
)
_HARMLESS = {"Element", "SubElement", "TreeBuilder", "tostring", "ElementTree", "indent", "escape",
             "quoteattr", "unescape"}  # fmt: skip


def test_every_xml_parse_goes_through_defusedxml() -> None:
    """The standard library's and lxml's parsing entry points are never imported; only
    tree building and serialising names are (the MSPDI writer, the tree builder)."""
    offenders = []
    for path in SRC.rglob("*.py"):
        for match in _UNSAFE_XML.finditer(path.read_text(encoding="utf-8")):
            names = {n.strip(" ()") for n in (match.group("names") or "PARSER").split(",")}
            names = {n.split(" as ")[0].strip() for n in names}
            if names - _HARMLESS:
                offenders.append(f"{path.relative_to(SRC)}: {match.group(0).strip()}")
    assert offenders == []


def test_mspdi_parser_forbids_dtds_entities_and_external_references() -> None:
    source = (SRC / "interchange" / "mspdi_xml.py").read_text(encoding="utf-8")
    assert "DefusedXMLParser(" in source
    for flag in ("forbid_dtd=True", "forbid_entities=True", "forbid_external=True"):
        assert flag in source


def test_openpyxl_parses_with_defusedxml() -> None:
    import openpyxl

    assert openpyxl.DEFUSEDXML is True
