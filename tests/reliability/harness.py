"""Real Podium processes for the reliability tests: a database of their own, the
``podium`` command against it, a ``podium serve`` server, and plain HTTP clients.

Nothing here uses the test process's Django: the tests talk to Podium the way a
deployment does (HTTP, the CLI) and read the database with plain SQL to check it.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

REPO = Path(__file__).resolve().parents[2]
PODIUM = Path(sys.executable).with_name("podium")
SCENARIO = Path(__file__).with_name("scenario.py")
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/postgres"
ADMIN = "reladmin"


def postgres_url() -> str:
    """The PostgreSQL server to create throwaway databases on: the suite's own
    DATABASE_URL when it is PostgreSQL, else PODIUM_PG_URL, else the Makefile's default."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url
    return os.environ.get("PODIUM_PG_URL", PG_DEFAULT)


def _pg(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def postgres_reachable(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(_pg(url), connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Instance:
    """One Podium installation: its database (a SQLite file in WAL mode, or a
    temporary PostgreSQL database), data folder, settings and administrator token."""

    def __init__(self, backend: str, workdir: Path, pg_server: str = PG_DEFAULT) -> None:
        self.backend = backend
        self.workdir = workdir
        self.password = secrets.token_urlsafe(16)
        self.pg_server = pg_server
        if backend == "sqlite":
            self.sqlite_path = workdir / "podium.sqlite3"
            self.url = f"sqlite:///{self.sqlite_path}"
        else:
            self.dbname = f"podium_rel_{uuid.uuid4().hex[:10]}"
            parsed = urlparse(pg_server)
            self.url = parsed._replace(path=f"/{self.dbname}").geturl()
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("PODIUM_", "DJANGO_")) and k not in ("DATABASE_URL", "SECRET_KEY")
        }
        env.update(
            DJANGO_SETTINGS_MODULE="podium.config.settings",
            DATABASE_URL=self.url,
            SECRET_KEY=secrets.token_urlsafe(50),
            PODIUM_DATA_DIR=str(workdir / "data"),
            PODIUM_HTTPS="0",
            PODIUM_TASKS="immediate",  # jobs (imports) run inside the server's request
            EMAIL_URL="locmem",
            LOG_LEVEL="ERROR",
            PYTHONUNBUFFERED="1",
        )
        self.env = env
        self.token = ""

    # -- life cycle -------------------------------------------------------------------

    def create(self) -> None:
        (self.workdir / "data").mkdir(parents=True, exist_ok=True)
        if self.backend == "postgres":
            import psycopg

            with psycopg.connect(_pg(self.pg_server), autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.dbname}"')
        self.podium("migrate", "-v", "0")
        self.podium(
            "createadmin", "--username", ADMIN, env={"PODIUM_ADMIN_PASSWORD": self.password}
        )
        self.token = self.podium("token", "create", ADMIN, "--name", "reliability").stdout.strip()

    def drop(self) -> None:
        if self.backend == "postgres":
            import psycopg

            with psycopg.connect(_pg(self.pg_server), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')

    # -- processes --------------------------------------------------------------------

    def _env(self, extra: dict[str, str] | None) -> dict[str, str]:
        return {**self.env, **(extra or {})}

    def podium(
        self,
        *args: str,
        env: dict[str, str] | None = None,
        check: bool = True,
        timeout: float = 600,
    ) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [str(PODIUM), *args], env=self._env(env), capture_output=True, text=True,
            timeout=timeout, cwd=self.workdir,
        )  # fmt: skip
        if check and done.returncode != 0:
            raise AssertionError(f"podium {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done

    def spawn(self, *args: str) -> subprocess.Popen[bytes]:
        """Start ``podium ARGS`` without waiting (to be killed); its output goes to
        ``podium.log`` in the work folder (a pipe nobody reads would block it)."""
        with (self.workdir / "podium.log").open("ab") as log:
            return subprocess.Popen(
                [str(PODIUM), *args], env=self.env, cwd=self.workdir,
                stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip

    def log_tail(self, chars: int = 3000) -> str:
        path = self.workdir / "podium.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""

    def scenario(self, *args: str) -> Any:
        """Run a setup step of scenario.py (Django, against this database); its JSON."""
        done = subprocess.run(
            [sys.executable, str(SCENARIO), *args], env=self.env, capture_output=True,
            text=True, timeout=600, cwd=self.workdir,
        )  # fmt: skip
        if done.returncode != 0:
            raise AssertionError(f"scenario {' '.join(args)} failed:\n{done.stderr}")
        return json.loads(done.stdout)

    def settle(self, timeout: float = 120) -> None:
        """Wait until no session of a killed process is still at work in the database
        (PostgreSQL only notices a dead client when the running statement ends); its
        transaction is then rolled back, so the state read afterwards is final."""
        if self.backend != "postgres":
            return
        deadline = time.monotonic() + timeout
        while self.value(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND state <> 'idle'"
        ):
            assert time.monotonic() < deadline, "a killed process's session is still active"
            time.sleep(0.2)

    # -- plain SQL --------------------------------------------------------------------

    @contextmanager
    def _connect(self) -> Iterator[Any]:
        if self.backend == "sqlite":
            conn = sqlite3.connect(self.sqlite_path, timeout=30)
            try:
                yield conn
            finally:
                conn.close()
        else:
            import psycopg

            with psycopg.connect(_pg(self.url)) as pg:
                yield pg

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of ``sql`` (placeholders written ``%s``)."""
        if self.backend == "sqlite":
            sql = sql.replace("%s", "?")
        with self._connect() as conn:
            return [tuple(r) for r in conn.execute(sql, tuple(params)).fetchall()]

    def value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.rows(sql, params)[0][0]


class Server:
    """``podium serve`` on a free port of 127.0.0.1, in a process of its own."""

    def __init__(self, instance: Instance, threads: int = 8) -> None:
        self.instance = instance
        self.port = free_port()
        self.process = instance.spawn(
            "serve", "--host", "127.0.0.1", "--port", str(self.port), "--threads", str(threads)
        )
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise AssertionError(f"podium serve exited: {instance.log_tail()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    self.kill()
                    raise AssertionError("podium serve did not answer within 60 s") from None
                time.sleep(0.1)

    def client(self, token: str | None = None) -> Http:
        return Http(self.port, token if token is not None else self.instance.token)

    def kill(self) -> None:
        """kill -9, and reap the process."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            with suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=10)
        self.kill()


class Response:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def etag(self) -> str:
        return self.headers.get("etag", "")


class Http:
    """A keep-alive HTTP/1.1 connection to the server: JSON API calls with the bearer
    token, and browser-style form posts with a session cookie and CSRF token."""

    def __init__(self, port: int, token: str = "", timeout: float = 120) -> None:
        self.port = port
        self.token = token
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def close(self) -> None:
        self.conn.close()

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        head = dict(headers or {})
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=head)
                raw = self.conn.getresponse()
                data = raw.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # the server closed an idle keep-alive connection: reconnect once
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
                if attempt == 2:
                    raise
        for key, value in raw.getheaders():
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, data)

    def api(self, method: str, path: str, body: Any = None, **headers: str) -> Response:
        head = {"Authorization": f"Bearer {self.token}", "Accept": "application/json", **headers}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            head["Content-Type"] = "application/json"
        return self.request(method, f"/api/v1{path}", data, head)

    # -- the browser's way: session and CSRF --------------------------------------------

    def login(self, username: str, password: str) -> None:
        self.request("GET", "/login/")
        answer = self.form("/login/", {"username": username, "password": password})
        assert answer.status == 302, f"sign-in failed: {answer.status}"

    def form(
        self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]] | None = None
    ) -> Response:
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
        if not files:
            data = urlencode(fields).encode()
            ctype = "application/x-www-form-urlencoded"
        else:
            boundary = uuid.uuid4().hex
            parts = []
            for name, value in fields.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                    f"{value}\r\n".encode()
                )
            for name, (filename, content) in files.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                    f'filename="{filename}"\r\n'
                    "Content-Type: application/octet-stream\r\n\r\n".encode()
                    + content
                    + b"\r\n"
                )
            data = b"".join(parts) + f"--{boundary}--\r\n".encode()
            ctype = f"multipart/form-data; boundary={boundary}"
        return self.request("POST", path, data, {"Content-Type": ctype})


# -- a large schedule file ----------------------------------------------------------------


def schedule_document(activities: int, seed: int = 7) -> tuple[bytes, dict[str, int]]:
    """A Podium JSON schedule with ``activities`` activities, about 1.6 links per
    activity, 12 resources and one or two assignments per task; and the counts an
    import of it must store."""
    rng = random.Random(seed)
    acts = []
    for i in range(activities):
        milestone = i % 97 == 0
        acts.append({
            "id": f"A{i:05d}", "name": f"Activity {i}",
            "duration_minutes": 0 if milestone else 60 * rng.randint(1, 40),
            "kind": "milestone" if milestone else "task",
        })  # fmt: skip
    pairs: set[tuple[int, int]] = set()
    for i in range(1, activities):
        pairs.add((max(0, i - rng.randint(1, 12)), i))
        if rng.random() < 0.6:
            pairs.add((rng.randrange(0, i), i))
    links = [
        {"pred": f"A{p:05d}", "succ": f"A{s:05d}", "type": "FS", "lag_minutes": 0}
        for p, s in sorted(pairs)
    ]
    resources = [
        {"id": f"R{k:02d}", "name": f"Role {k}", "kind": "work", "max_units": 2.0}
        for k in range(12)
    ]
    assignments = []
    for i, act in enumerate(acts):
        if act["kind"] == "milestone":
            continue
        for k in rng.sample(range(12), rng.randint(1, 2)):
            assignments.append({"activity_id": f"A{i:05d}", "resource_id": f"R{k:02d}",
                                "units": 1.0})  # fmt: skip
    doc = {
        "format": "podium-schedule", "version": 1, "name": "Reliability plan",
        "project_start": "2026-01-05T08:00:00", "data_date": None,
        "default_calendar": "Standard",
        "calendars": {"Standard": {"week": [*[[[480, 720], [780, 1020]]] * 5, [], []]}},
        "activities": acts, "links": links,
        "resources": resources, "assignments": assignments,
    }  # fmt: skip
    expected = {
        "activities": len(acts),
        "links": len(links),
        "resources": len(resources),
        "assignments": len(assignments),
    }
    return json.dumps(doc).encode(), expected


def program_counts(instance: Instance, code: str) -> dict[str, int]:
    """What a program holds: components, activities, links, resources, assignments and
    import audit records (plain SQL, read after the fact)."""
    pid = instance.rows("SELECT id FROM programs_program WHERE code = %s", [code])[0][0]
    q = {
        "components": "SELECT count(*) FROM programs_component WHERE program_id = %s",
        "activities": "SELECT count(*) FROM schedule_activity WHERE program_id = %s",
        "links": "SELECT count(*) FROM schedule_link WHERE program_id = %s",
        "resources": "SELECT count(*) FROM resources_resource WHERE program_id = %s",
        "assignments": "SELECT count(*) FROM resources_assignment a JOIN schedule_activity s"
        " ON s.id = a.activity_id WHERE s.program_id = %s",
        "imports": "SELECT count(*) FROM core_auditrecord WHERE program_id = %s"
        " AND action = 'import'",
        "scheduled": "SELECT count(*) FROM schedule_activity WHERE program_id = %s"
        " AND start IS NOT NULL",
    }
    return {key: int(instance.value(sql, [pid])) for key, sql in q.items()}


def schedule_state(instance: Instance, code: str) -> dict[str, Any]:
    """A program's schedule as leveling leaves it: a digest of every activity's hold and
    dates, the leveling runs' statuses and the runs with an audit record."""
    import hashlib

    pid = instance.rows("SELECT id FROM programs_program WHERE code = %s", [code])[0][0]
    digest = hashlib.sha256()
    rows = instance.rows(
        "SELECT id, leveled_start, start, finish, total_float_minutes FROM schedule_activity"
        " WHERE program_id = %s ORDER BY id",
        [pid],
    )
    for row in rows:
        digest.update(repr(row).encode())
    runs = instance.rows(
        "SELECT id, status FROM resources_levelingrun WHERE program_id = %s", [pid]
    )
    audited = instance.rows(
        "SELECT object_id FROM core_auditrecord WHERE program_id = %s"
        " AND object_type = 'resources.levelingrun'",
        [pid],
    )
    return {
        "digest": digest.hexdigest(),
        "held": sum(1 for r in rows if r[1] is not None),
        "runs": {int(pk): status for pk, status in runs},
        "audited": sorted(int(r[0]) for r in audited),
    }
