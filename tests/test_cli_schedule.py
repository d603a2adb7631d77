"""`podium schedule`, `podium import` and `podium export` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.interchange.test_xer import CALENDAR, PROJWBS, TASK_FIELDS, table, task, xer
from tests.test_cli import env, run  # noqa: F401  (fixture)

pytestmark = pytest.mark.slow

PROJECT = table(
    "PROJECT",
    ["proj_id", "proj_short_name", "clndr_id", "plan_start_date", "last_recalc_date"],
    ["1", "WARD", "10", "2024-01-08 00:00", "2024-01-08 00:00"],
)
TASKS = table(
    "TASK", TASK_FIELDS,
    task("1", "A10", hours="16"), task("2", "A20", hours="8"), task("3", "A30", "TT_FinMile", "0"),
)  # fmt: skip


def preds(*rows: tuple[str, str]) -> str:
    return table(
        "TASKPRED",
        ["task_pred_id", "task_id", "pred_task_id", "pred_type", "lag_hr_cnt"],
        *[[str(i), succ, pred, "PR_FS", "0"] for i, (pred, succ) in enumerate(rows, 1)],
    )


def write(tmp_path: Path, text: str | bytes, name: str = "ward.xer") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("cp1252") if isinstance(text, str) else text)
    return path


def test_schedule_prints_the_documented_json(env: dict[str, str], tmp_path: Path) -> None:  # noqa: F811
    path = write(tmp_path, xer(PROJECT, CALENDAR, PROJWBS, TASKS, preds(("1", "2"), ("2", "3"))))
    result = run(["schedule", str(path), "--json"], env)
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert set(body) == {"finish", "activities"}
    assert [a["id"] for a in body["activities"]] == ["A10", "A20", "A30"]
    keys = {
        "id", "name", "start", "finish", "early_start", "early_finish", "late_start",
        "late_finish", "total_float_hours", "free_float_hours", "critical", "summary",
    }  # fmt: skip
    assert all(set(a) == keys for a in body["activities"])
    assert body["finish"] == body["activities"][-1]["finish"]
    assert all(a["critical"] and a["total_float_hours"] == 0 for a in body["activities"])

    table_out = run(["schedule", str(path)], env).stdout
    assert "* A10" in table_out and "WARD" in table_out


def test_schedule_data_date_moves_remaining_work(env: dict[str, str], tmp_path: Path) -> None:  # noqa: F811
    path = write(tmp_path, xer(PROJECT, CALENDAR, PROJWBS, TASKS, preds(("1", "2"), ("2", "3"))))
    result = run(["schedule", str(path), "--json", "--data-date", "2024-01-17T08:00"], env)
    first = json.loads(result.stdout)["activities"][0]
    assert first["start"] == "2024-01-17T08:00:00"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (xer(PROJECT, CALENDAR, PROJWBS, TASKS, preds(("1", "2"), ("2", "1"))), "cycle"),
        (xer(PROJECT, CALENDAR, PROJWBS, TASKS, preds(("1", "9"))), "9"),
        (b"ERMHDR\t19.12\n%T\tPROJECT\n%F\tproj_id\n%R\t\x81\x8d\n%E\n", "ward.xer"),
        ("this is not an XER file", "ward.xer:1"),
    ],
    ids=["cycle", "unknown-predecessor", "bad-encoding", "garbage"],
)
def test_bad_files_give_one_line_and_a_non_zero_exit(
    env: dict[str, str],  # noqa: F811
    tmp_path: Path,
    content: str | bytes,
    message: str,
) -> None:
    result = run(["schedule", str(write(tmp_path, content))], env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("podium: error:"), result.stderr
    assert message in lines[0]
    assert "Traceback" not in result.stderr


def test_import_is_atomic_and_export_round_trips(env: dict[str, str], tmp_path: Path) -> None:  # noqa: F811
    assert run(["migrate", "-v", "0"], env).returncode == 0
    make = (
        "from podium.programs.services import create_program as c; "
        "c(actor=None, code='{}', name='{}')"
    )
    for code in ("WARDS", "COPY"):
        assert run(["manage", "shell", "-c", make.format(code, code)], env).returncode == 0

    cyclic = write(tmp_path, xer(PROJECT, CALENDAR, PROJWBS, TASKS, preds(("1", "2"), ("2", "1"))))
    refused = run(["import", str(cyclic), "--program", "WARDS"], env)
    assert refused.returncode == 2 and "nothing imported" in refused.stderr
    count = "from podium.schedule.models import Activity; print(Activity.objects.count())"
    assert run(["manage", "shell", "-c", count], env).stdout.split()[-1] == "0"

    good = write(tmp_path, xer(PROJECT, CALENDAR, PROJWBS, TASKS, preds(("1", "2"), ("2", "3"))))
    imported = run(["import", str(good), "--program", "WARDS", "--component", "Ward A"], env)
    assert imported.returncode == 0, imported.stderr
    assert "3 activities, 2 links" in imported.stdout

    exported = tmp_path / "wards.json"
    result = run(["export", "--program", "WARDS", "--format", "json", "-o", str(exported)], env)
    assert result.returncode == 0, result.stderr
    again = run(["import", str(exported), "--program", "COPY"], env)
    assert again.returncode == 0, again.stderr
    dates = (
        "from podium.schedule.models import Activity as A; "
        "print(sorted((a.name, a.start.isoformat(), a.finish.isoformat(), a.program.code) "
        "for a in A.objects.select_related('program')))"
    )
    rows = eval(run(["manage", "shell", "-c", dates], env).stdout.strip().splitlines()[-1])
    by_program: dict[str, list[tuple[str, str, str]]] = {}
    for name, start, finish, program in rows:
        by_program.setdefault(program, []).append((name, start, finish))
    assert by_program["WARDS"] == by_program["COPY"]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Project xmlns="http://schemas.microsoft.com/project"><Name>&lol3;</Name></Project>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Project xmlns="http://schemas.microsoft.com/project"><Name>&xxe;</Name></Project>"""


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("laughs.xml", BILLION_LAUGHS),
        ("xxe.xml", XXE),
        ("bad.xer", b"ERMHDR\t19.12\n%T\tPROJECT\n%F\tproj_id\n%R\t\x81\x8d\n%E\n"),
        ("cycle.xer", xer(PROJECT, CALENDAR, PROJWBS, TASKS, preds(("1", "2"), ("2", "1")))),
    ],
)
def test_hostile_or_broken_files_are_refused_and_store_nothing(
    env: dict[str, str],  # noqa: F811
    tmp_path: Path,
    name: str,
    content: str | bytes,
) -> None:
    assert run(["migrate", "-v", "0"], env).returncode == 0
    make = (
        "from podium.programs.services import create_program as c; "
        "c(actor=None, code='P1', name='P')"
    )
    assert run(["manage", "shell", "-c", make], env).returncode == 0
    result = run(["import", str(write(tmp_path, content, name)), "--program", "P1"], env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0] and "Traceback" not in result.stderr
    counts = (
        "from podium.schedule.models import Activity; from podium.programs.models import Component;"
        " print(Activity.objects.count(), Component.objects.count())"
    )
    assert run(["manage", "shell", "-c", counts], env).stdout.split()[-2:] == ["0", "0"]


PSPLIB_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "psplib" / "j30"


@pytest.mark.skipif(not PSPLIB_DIR.exists(), reason="../shared/data/psplib is not present")
def test_level_prints_the_documented_json_for_psplib(env: dict[str, str]) -> None:  # noqa: F811
    result = run(["level", str(PSPLIB_DIR / "j301_1.sm"), "--json", "--time-limit", "5"], env)
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert list(body) == ["makespan", "lower_bound", "status", "starts", "seconds"]
    assert (body["makespan"], body["lower_bound"], body["status"]) == (43, 43, "optimal")
    assert list(body["starts"]) == [str(j) for j in range(1, 33)]


def test_level_names_the_activity_and_resource_of_an_impossible_demand(
    env: dict[str, str],  # noqa: F811
    tmp_path: Path,
) -> None:
    text = (PSPLIB_DIR / "j301_1.sm").read_text() if PSPLIB_DIR.exists() else None
    if text is None:
        pytest.skip("../shared/data/psplib is not present")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("RESOURCEAVAILABILITIES"))
    lines[at + 2] = "   1   1   1   1"  # every capacity 1: most jobs now ask for more
    path = tmp_path / "tight.sm"
    path.write_text("\n".join(lines) + "\n")
    result = run(["level", str(path), "--json"], env)
    assert result.returncode == 2
    assert "requests" in result.stderr and "capacity" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
