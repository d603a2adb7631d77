"""Crash atomicity: ``kill -9`` of the CLI or the server at random points of a large
import and of the acceptance of a leveling result leaves no partial program, and the
retried operation succeeds.

Every scenario first runs the operation once without a kill to measure how long it
takes (and, for leveling, to record the state an acceptance must produce); then, for
each run, it starts the operation, kills the process after a delay drawn from a seeded
RNG over that duration (a little beyond, so some runs finish first), and checks the
database with plain SQL: either the old state or exactly the new one. When the old state
is left, the operation is retried and must succeed with exactly the new state.

- CLI import: ``podium import plan.json --program P`` (a generated JSON schedule of
  PODIUM_CRASH_ACTIVITIES activities, default 500, with links, resources and
  assignments) into an empty program: afterwards 0 or exactly all components,
  activities, links, resources, assignments and the import's audit record.
- Server import: the same file uploaded to the program's import page
  (``/programs/P/schedule/import/``) of ``podium serve``; imports run inside the server
  process (PODIUM_TASKS=immediate), so killing the server interrupts them.
- Leveling acceptance: accepting a ready leveling result on
  ``/programs/P/resources/leveling/N/decide/`` (holds replaced, program recomputed, one
  audit record): afterwards the previous schedule (digest of every activity's hold,
  dates and float) with the run still ready, or the accepted one with the run accepted
  and audited.

Runs per scenario: PODIUM_CRASH_RUNS (default 3; ``make fuzz`` uses 50 runs of 2000
activities). The seed is PODIUM_CRASH_SEED (default 12).
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import statistics
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.reliability.harness import (
    ADMIN,
    Http,
    Instance,
    Response,
    Server,
    program_counts,
    schedule_document,
    schedule_state,
)

# one worker runs them all: they share one server installation per database
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("reliability")]

RUNS = int(os.environ.get("PODIUM_CRASH_RUNS", "3"))
ACTIVITIES = int(os.environ.get("PODIUM_CRASH_ACTIVITIES", "500"))
SEED = int(os.environ.get("PODIUM_CRASH_SEED", "12"))
EMPTY = dict.fromkeys(
    ("components", "activities", "links", "resources", "assignments", "imports", "scheduled"), 0
)


class Plan:
    def __init__(self, folder: Path) -> None:
        self.data, counts = schedule_document(ACTIVITIES)
        self.path = folder / "plan.json"
        self.path.write_bytes(self.data)
        self.full = {
            **counts, "components": 1, "imports": 1, "scheduled": counts["activities"],
        }  # fmt: skip


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    return Plan(tmp_path_factory.mktemp("plan"))


class Tally:
    """What the runs of one scenario gave, printed at the end."""

    def __init__(self, name: str, backend: str) -> None:
        self.name = name
        self.backend = backend
        self.interrupted = 0  # old state left: retried
        self.finished = 0  # the operation was through before the kill
        self.partial = 0
        self.seconds: list[float] = []  # uninterrupted operations: measurement, retries

    def report(self) -> None:
        print(
            f"\n[{self.backend}] {self.name}: {self.interrupted + self.finished} kill -9 runs, "
            f"{self.interrupted} interrupted and retried, {self.finished} finished before the "
            f"kill, {self.partial} partial; median operation "
            f"{statistics.median(self.seconds):.1f} s"
        )


def _timed(action: Callable[[], Any]) -> tuple[Any, float]:
    began = time.monotonic()
    result = action()
    return result, time.monotonic() - began


class Browser:
    """A signed-in administrator's session, carried over server restarts."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.server = Server(instance)
        self.http = self.server.client()
        self.http.login(ADMIN, instance.password)

    def restart(self) -> None:
        self.server.kill()
        self.http.close()
        cookies = self.http.cookies
        self.server = Server(self.instance)
        self.http = self.server.client()
        self.http.cookies = cookies
        assert self.http.request("GET", "/programs/").status == 200  # warm, signed in

    def post_killed(self, delay: float, post: Callable[[Http], Response]) -> Response | None:
        """Send ``post`` and kill -9 the server ``delay`` seconds later; its answer, if it
        came first. The server is restarted."""
        answer: list[Response] = []

        def send() -> None:
            with contextlib.suppress(OSError):  # the connection dies with the server
                answer.append(post(self.http))

        thread = threading.Thread(target=send)
        thread.start()
        thread.join(timeout=delay)
        os.kill(self.server.process.pid, signal.SIGKILL)
        thread.join()
        self.instance.settle()
        self.restart()
        return answer[0] if answer else None

    def stop(self) -> None:
        self.http.close()
        self.server.stop()


def _import_upload(code: str, plan: Plan) -> Callable[[Http], Response]:
    return lambda http: http.form(
        f"/programs/{code}/schedule/import/", {"component_name": ""},
        {"file": ("plan.json", plan.data)},
    )  # fmt: skip


def test_cli_import_killed(instance: Instance, plan: Plan) -> None:
    tally = Tally(f"CLI import of {ACTIVITIES} activities", instance.backend)
    first, *codes = instance.scenario("programs", "CLI", str(RUNS + 1))
    _, seconds = _timed(lambda: instance.podium("import", str(plan.path), "--program", first))
    assert program_counts(instance, first) == plan.full
    tally.seconds.append(seconds)
    rng = random.Random(SEED)
    for code in codes:
        process = instance.spawn("import", str(plan.path), "--program", code)
        try:
            process.wait(timeout=rng.uniform(0, seconds * 1.1))
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
        returncode = process.wait()
        instance.settle()
        counts = program_counts(instance, code)
        if counts not in (EMPTY, plan.full):
            tally.partial += 1
        assert counts in (EMPTY, plan.full), f"partial program {code}: {counts}"
        if counts == plan.full:
            tally.finished += 1
            continue
        assert returncode != 0, instance.log_tail()  # it did not finish: it was killed
        tally.interrupted += 1
        _, took = _timed(lambda c=code: instance.podium("import", str(plan.path), "--program", c))
        tally.seconds.append(took)
        assert program_counts(instance, code) == plan.full
    tally.report()
    assert tally.partial == 0


def test_server_import_killed(instance: Instance, plan: Plan) -> None:
    tally = Tally(f"server import of {ACTIVITIES} activities", instance.backend)
    first, *codes = instance.scenario("programs", "WEB", str(RUNS + 1))
    browser = Browser(instance)
    try:
        answer, seconds = _timed(lambda: _import_upload(first, plan)(browser.http))
        assert answer.status == 302 and "/jobs/" in answer.headers["location"]
        assert program_counts(instance, first) == plan.full
        tally.seconds.append(seconds)
        rng = random.Random(SEED + 1)
        for code in codes:
            delay = rng.uniform(0, seconds * 1.1)
            answer = browser.post_killed(delay, _import_upload(code, plan))
            counts = program_counts(instance, code)
            if counts not in (EMPTY, plan.full):
                tally.partial += 1
            assert counts in (EMPTY, plan.full), f"partial program {code}: {counts}"
            if counts == plan.full:
                tally.finished += 1
                continue
            assert answer is None  # no answer came: the server died mid-import
            tally.interrupted += 1
            retry, took = _timed(lambda c=code: _import_upload(c, plan)(browser.http))
            tally.seconds.append(took)
            assert retry.status == 302 and "/jobs/" in retry.headers["location"]
            assert program_counts(instance, code) == plan.full
    finally:
        browser.stop()
    tally.report()
    assert tally.partial == 0


def test_leveling_acceptance_killed(instance: Instance, plan: Plan) -> None:
    tally = Tally(f"leveling acceptance ({ACTIVITIES} activities)", instance.backend)
    (code,) = instance.scenario("programs", "LEV", "1")
    instance.podium("import", str(plan.path), "--program", code)
    # runs alternate two sets of moves: A, B, A, B, ...; the first two set the references
    runs = instance.scenario("leveling-runs", code, str(RUNS + 2))

    def accept(run: int) -> Callable[[Http], Response]:
        return lambda http: http.form(
            f"/programs/{code}/resources/leveling/{run}/decide/", {"decision": "accept"}
        )

    browser = Browser(instance)
    try:
        reference = []
        for run in runs[:2]:
            answer, seconds = _timed(lambda r=run: accept(r)(browser.http))
            assert answer.status == 302
            state = schedule_state(instance, code)
            assert state["runs"][run] == "accepted" and run in state["audited"]
            reference.append(state["digest"])
            tally.seconds.append(seconds)
        assert reference[0] != reference[1]
        rng = random.Random(SEED + 2)
        for n, run in enumerate(runs[2:]):
            expected = reference[n % 2]
            before = schedule_state(instance, code)
            assert before["digest"] == reference[(n + 1) % 2]
            browser.post_killed(rng.uniform(0, seconds * 1.1), accept(run))
            after = schedule_state(instance, code)
            status = after["runs"][run]
            old = (
                status == "ready"
                and after["digest"] == before["digest"]
                and after["audited"] == before["audited"]
            )
            new = (
                status == "accepted"
                and after["digest"] == expected
                and after["audited"] == sorted([*before["audited"], run])
            )
            if not (old or new):
                tally.partial += 1
            assert old or new, f"partial leveling acceptance of run {run}: {after}"
            if new:
                tally.finished += 1
                continue
            tally.interrupted += 1
            answer, took = _timed(lambda r=run: accept(r)(browser.http))
            tally.seconds.append(took)
            assert answer.status == 302
            retried = schedule_state(instance, code)
            assert retried["runs"][run] == "accepted"
            assert retried["digest"] == expected
            assert run in retried["audited"]
    finally:
        browser.stop()
    tally.report()
    assert tally.partial == 0
