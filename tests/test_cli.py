"""The `podium` command, run as a user runs it: a separate process on a fresh database."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

import podium
from podium.core.periodic import periodic_jobs

pytestmark = pytest.mark.slow


def run(args: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "podium.cli", *args],
        env=env, input=stdin, capture_output=True, text=True, timeout=180,
    )  # fmt: skip


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PODIUM_", "DJANGO_"))}
    clean.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        PODIUM_DATA_DIR=str(tmp_path),
        SECRET_KEY="test-secret-key-for-the-cli-tests-only",
        PODIUM_TESTING="1",
    )
    return clean


def test_version_and_help(env: dict[str, str]) -> None:
    version = run(["--version"], env)
    assert version.stdout.strip() == f"podium {podium.__version__}"
    helptext = run(["--help"], env).stdout
    for command in ("demo", "serve", "migrate", "createadmin", "token", "worker"):
        assert command in helptext


def test_refuses_to_start_without_secret_key(env: dict[str, str]) -> None:
    del env["SECRET_KEY"]
    del env["PODIUM_TESTING"]
    result = run(["migrate"], env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "SECRET_KEY is not set" in lines[0]


def test_serve_refuses_an_unmigrated_database(env: dict[str, str]) -> None:
    result = run(["serve", "--port", "1"], env)
    assert result.returncode == 2
    assert "run `podium migrate` first" in result.stderr


def test_createadmin_then_token_lists_programs(env: dict[str, str]) -> None:
    assert run(["migrate", "-v", "0"], env).returncode == 0
    weak = run(["createadmin", "--username", "boss", "--password-stdin"], env, "short\n")
    assert weak.returncode == 2 and "too short" in weak.stderr

    created = run(
        ["createadmin", "--username", "boss", "--password-stdin"], env, "a-very-good-secret\n"
    )
    assert created.returncode == 0, created.stderr
    token = run(["token", "create", "boss", "--name", "ci"], env)
    assert token.returncode == 0 and token.stdout.startswith("pdm_")
    missing = run(["token", "create", "nobody"], env)
    assert missing.returncode == 2 and "no active user named 'nobody'" in missing.stderr

    # the token works against the API of a server started by `podium serve`
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "podium.cli", "serve", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        body = _get_json(f"http://127.0.0.1:{port}/api/v1/programs", token.stdout.strip())
        assert body == {"items": [], "count": 0}
    finally:
        server.terminate()
        server.wait(timeout=10)


def _get_json(url: str, token: str) -> Any:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return json.load(response)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_demo_loads_a_living_program_once(env: dict[str, str], tmp_path: Path) -> None:
    del env["DATABASE_URL"]
    del env["SECRET_KEY"]
    env.pop("EMAIL_URL", None)  # the demo's own default
    first = run(["demo", "--no-serve", "--data-dir", str(tmp_path / "demo")], env)
    assert first.returncode == 0, first.stderr
    assert "Demo program loaded." in first.stdout and "podium-demo-2026" in first.stdout
    assert (tmp_path / "demo" / "podium.sqlite3").exists()
    # The demo's e-mails (feedback notifications) go to files, not onto the console.
    assert "Subject:" not in first.stdout
    assert list((tmp_path / "demo" / "sent-mail").iterdir())
    second = run(["demo", "--no-serve", "--data-dir", str(tmp_path / "demo")], env)
    assert "Demo data already present." in second.stdout


def test_worker_process_runs_queued_jobs(env: dict[str, str]) -> None:
    del env["PODIUM_TESTING"]  # the real database queue, as in production
    assert run(["migrate", "-v", "0"], env).returncode == 0
    queue = (
        "from django.db import transaction\n"
        "from podium.programs.services import create_program\n"
        "from podium.core.jobs import start_job\n"
        "with transaction.atomic():\n"
        "    p = create_program(actor=None, code='QUEUED', name='Queued export')\n"
        "    job = start_job('programs.export_json', user=None, params={'program_id': p.pk})\n"
        "print(job.pk)\n"
    )
    queued = run(["manage", "shell", "-c", queue], env)
    assert queued.returncode == 0, queued.stderr
    job_id = int(queued.stdout.strip().splitlines()[-1])
    status = (
        f"from podium.core.models import Job; j = Job.objects.get(pk={job_id}); print(j.status)"
    )
    assert run(["manage", "shell", "-c", status], env).stdout.split()[-1] == "queued"

    worker = run(["worker", "--batch", "--interval", "0"], env)
    assert worker.returncode == 0, worker.stderr

    check = (
        f"from podium.core.models import Job; j = Job.objects.get(pk={job_id}); "
        "print(j.status, j.progress, j.result['program']['code'])"
    )
    assert run(["manage", "shell", "-c", check], env).stdout.split()[-3:] == [
        "succeeded", "100", "QUEUED",
    ]  # fmt: skip


def test_tick_starts_the_due_periodic_jobs_once(env: dict[str, str]) -> None:
    del env["PODIUM_TESTING"]  # the real database queue, as in production
    assert run(["migrate", "-v", "0"], env).returncode == 0
    first = run(["tick"], env)
    assert first.returncode == 0, first.stderr
    started = sorted(line.split()[1] for line in first.stdout.splitlines())
    # every registered periodic job, the digests and the weekly report among them
    assert started == sorted(p.kind for p in periodic_jobs())
    assert {"feedback.digest", "notifications.digest", "reports.weekly"} <= set(started)
    # Within the day nothing is due again.
    assert run(["tick"], env).stdout.strip() == "nothing due"
    worker = run(["worker", "--batch", "--interval", "0"], env)
    assert worker.returncode == 0, worker.stderr
    check = (
        "from podium.core.models import Job; "
        "print(sorted((j.kind, j.status) for j in Job.objects.all()))"
    )
    assert run(["manage", "shell", "-c", check], env).stdout.strip().splitlines()[-1] == str(
        [(kind, "succeeded") for kind in started]
    )
