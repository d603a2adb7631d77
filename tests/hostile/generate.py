"""Hostile files built in memory for the tests: nothing big is ever committed.

Every function returns the file's bytes; the XML ones are MSPDI-shaped (root
``Project`` in the MS Project namespace) so that only the attack is wrong with them.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib

NS = "http://schemas.microsoft.com/project"


def _mspdi(doctype: str, body: str) -> bytes:
    return (
        f'<?xml version="1.0"?>\n{doctype}\n<Project xmlns="{NS}">'
        f"<Name>{body}</Name><StartDate>2026-01-05T08:00:00</StartDate></Project>\n"
    ).encode()


def billion_laughs(levels: int = 10) -> bytes:
    """Ten entities, each ten of the one before: 10**10 ``lol`` once expanded."""
    entities = ['<!ENTITY lol0 "lol">']
    entities += [
        f'<!ENTITY lol{i} "{"".join(f"&lol{i - 1};" for _ in range(10))}">'
        for i in range(1, levels)
    ]
    return _mspdi(f"<!DOCTYPE Project [{''.join(entities)}]>", f"&lol{levels - 1};")


def quadratic_blowup(entity_kb: int = 100, references: int = 20_000) -> bytes:
    """One 100 KB entity referenced 20,000 times: 2 GB of text from a 180 KB file."""
    entity = "a" * (entity_kb * 1024)
    return _mspdi(f'<!DOCTYPE Project [<!ENTITY a "{entity}">]>', "&a;" * references)


def xxe_file(path: str = "/etc/passwd") -> bytes:
    return _mspdi(f'<!DOCTYPE Project [<!ENTITY x SYSTEM "file://{path}">]>', "&x;")


def xxe_http(port: int) -> bytes:
    return _mspdi(f'<!DOCTYPE Project [<!ENTITY x SYSTEM "http://127.0.0.1:{port}/x">]>', "&x;")


def external_dtd(port: int) -> bytes:
    return _mspdi(f'<!DOCTYPE Project SYSTEM "http://127.0.0.1:{port}/project.dtd">', "plan")


def parameter_entity(port: int) -> bytes:
    """An external parameter entity, the out-of-band XXE variant."""
    return _mspdi(
        f'<!DOCTYPE Project [<!ENTITY % p SYSTEM "http://127.0.0.1:{port}/p.dtd"> %p;]>', "plan"
    )


# --------------------------------------------------------------------------- XLSX
def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def zip_bomb(gigabytes: int = 4, declared: int | None = None) -> bytes:
    """An .xlsx of about 4 MB whose worksheet expands to ``gigabytes`` GB of zeros: a real
    deflate stream with a correct CRC and ZIP64 sizes, beside a valid workbook skeleton.
    ``declared`` makes the zip directory lie about the worksheet's size."""
    chunk = b"\0" * (1 << 20)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)  # dictionary reset: repeatable
    count = gigabytes * 1024
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    entries = [_deflated(name, data) for name, data in _xlsx_skeleton().items()]
    stream = block * count + comp.flush(zlib.Z_FINISH)
    size = count * len(chunk) if declared is None else declared
    entries.append((b"xl/worksheets/sheet1.xml", stream, crc, size))
    return _raw_zip(entries)


def _deflated(name: str, data: bytes) -> tuple[bytes, bytes, int, int]:
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    return name.encode(), comp.compress(data) + comp.flush(), zlib.crc32(data), len(data)


def _raw_zip(entries: list[tuple[bytes, bytes, int, int]]) -> bytes:
    """A ZIP64 archive of already deflated members (zipfile cannot write those)."""
    out = io.BytesIO()
    central = io.BytesIO()
    big = 0xFFFFFFFF  # "see the ZIP64 extra field"
    for name, stream, crc, size in entries:
        offset = out.tell()
        extra = struct.pack("<HHQQ", 1, 16, size, len(stream))
        head = struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 45, 0, 8, 0, 0, crc, big, big, len(name), len(extra)
        )
        out.write(head + name + extra + stream)
        extra = struct.pack("<HHQQQ", 1, 24, size, len(stream), offset)
        head = struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, 8, 0, 0, crc, big, big,
            len(name), len(extra), 0, 0, 0, 0, big,
        )  # fmt: skip
        central.write(head + name + extra)
    start, directory, n = out.tell(), central.getvalue(), len(entries)
    out.write(directory)
    out.write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, n, n, len(directory), start))
    out.write(struct.pack("<IIQI", 0x07064B50, 0, start + len(directory), 1))
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, len(directory), start, 0))
    return out.getvalue()


def dimension_bomb() -> bytes:
    """A tiny .xlsx whose sheet declares (and reaches) the largest possible range, which
    openpyxl's read-only mode fills with blank cells: 17 billion of them."""
    sheet = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>ID</t></is></c></row>'
        b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'
    )
    return _zip({**_xlsx_skeleton(), "xl/worksheets/sheet1.xml": sheet})


def xlsx_many_members(count: int = 5_000) -> bytes:
    """A zip with thousands of tiny members (a central-directory bomb)."""
    return _zip({f"xl/junk/{i}.xml": b"<a/>" for i in range(count)})


def xlsx_billion_laughs() -> bytes:
    """An .xlsx whose worksheet XML declares exponential entities."""
    entities = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{i} "{"".join(f"&l{i - 1};" for _ in range(10))}">' for i in range(1, 10)
    ]
    sheet = (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [{"".join(entities)}]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&l9;</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()
    return _zip({**_xlsx_skeleton(), "xl/worksheets/sheet1.xml": sheet})


def _xlsx_skeleton() -> dict[str, bytes]:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006"
    return {
        "[Content_Types].xml": (
            f'<?xml version="1.0"?><Types xmlns="{pkg}/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.worksheet+xml"/></Types>'
        ).encode(),
        "_rels/.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{pkg}/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ).encode(),
        "xl/workbook.xml": (
            f'<?xml version="1.0"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="Baseline Schedule" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{pkg}/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ).encode(),
    }


def not_a_zip() -> bytes:
    return b"PK\x03\x04 this only looks like a zip" + os.urandom(256)


def zip_without_workbook() -> bytes:
    return _zip({"hello.txt": b"no workbook here"})


# --------------------------------------------------------------------------- XER
_XER_HEAD = "ERMHDR\t19.12\t2026-01-05\tProject\tadmin\tadmin\tdbxDatabaseNoName\tProject\tUSD\n"


def xer_truncated() -> bytes:
    """Cut in the middle of the TASK table: no ``%E`` end marker."""
    return (
        _XER_HEAD + "%T\tPROJECT\n%F\tproj_id\tproj_short_name\n%R\t1\tP1\n"
        "%T\tTASK\n%F\ttask_id\tproj_id\ttask_code\n%R\t10\t1\tA"
    ).encode()


def xer_wrong_columns() -> bytes:
    return (
        _XER_HEAD + "%T\tPROJECT\n%F\tproj_id\tproj_short_name\n%R\t1\tP1\textra\tvalues\n%E\n"
    ).encode()


def xer_binary_junk() -> bytes:
    return b"ERMHDR\t19.12\n" + bytes(range(256)) * 64 + b"\x00\xff" * 512


def xer_invalid_encoding() -> bytes:
    """0x81 has no character in Windows-1252 and starts no valid UTF-8 sequence."""
    return (_XER_HEAD + "%T\tPROJECT\n%F\tproj_id\tproj_short_name\n").encode() + (
        b"%R\t1\tP\x81\x8d\x8f\x90\x9d\n%E\n"
    )


def binary_junk(size: int = 64 * 1024) -> bytes:
    return os.urandom(size)


# --------------------------------------------------------------------------- CSV
def csv_nul(header: str) -> bytes:
    return f"{header}\n".encode() + b"a\x00b," * 10 + b"\n"


def csv_unterminated(header: str) -> bytes:
    return f'{header}\n"never closed,1,2\nmore text\n'.encode()


def csv_huge_field(header: str, size: int = 256 * 1024) -> bytes:
    """One quoted field larger than ``csv.field_size_limit()`` (128 KB by default)."""
    return f'{header}\n"'.encode() + b"x" * size + b'",1\n'


def csv_wrong_encoding(header: str) -> bytes:
    return header.encode("utf-16") + "\nwrong,encoding\n".encode("utf-16")
