"""Load benchmark: 16 keep-alive connections against ``podium serve``.

Two parts, each in its own process (each configures Django for its own database):

``pg``      the LOAD program (50 components x 400 = 20,000 activities, see build.py) on a
            PostgreSQL database of its own (``podium_load``, created with psql and
            dropped at the end unless ``--keep``; a kept one is reused). The server is
            ``podium serve --workers W --threads T``. Scenarios:

            * reads: each connection alternates the dashboard API
              (``GET /api/v1/programs/LOAD/dashboard``, bearer token) and the program's
              dashboard page (``GET /programs/LOAD/dashboard/``, signed-in session);
            * writes: ``PATCH /api/v1/risks/<id>`` (the risk's effect text) with
              ``If-Match``, each connection on its own risks, so no 409s are expected;
            * overview: the program's overview page (``GET /programs/LOAD/``);
            * floor: ``GET /healthz`` (middleware and one query), the baseline that
              the reads are compared with (the most any request gets here).

``sqlite``  SQLite's ceiling: a smaller program (10 x 200 activities) in a SQLite file;
            the same write scenario with 1, 4, 8 and 16 connections.

For each scenario: requests/s, p50/p99 latency, errors (anything but 200) and the CPU
share of the driver itself (its CPU seconds over wall seconds x CPU count: it competes
with the server for the same cores) and of the server's processes.

Run: ``.venv/bin/python -m bench.load.run`` (both parts; a fresh build takes about a
minute of it). ``--part pg`` or ``--part sqlite`` for one; ``--seconds`` per scenario (default
15); ``--keep`` keeps ``podium_load`` for the next run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PODIUM = str(ROOT / ".venv" / "bin" / "podium")
PG_ADMIN = "postgres://postgres@127.0.0.1:5432"
DB_NAME = "podium_load"
AIM_READ_RPS, AIM_READ_P99, AIM_WRITE_P99 = 300.0, 100.0, 150.0


# -- the server ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``podium serve`` in a child process, with the environment of the benchmark."""

    def __init__(self, env: dict[str, str], workers: int, threads: int) -> None:
        self.port = free_port()
        self.cmd = [PODIUM, "serve", "--port", str(self.port), "--threads", str(threads),
                    "--workers", str(workers)]  # fmt: skip
        self.env = env
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        self.proc = subprocess.Popen(self.cmd, env=self.env, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/login/")
                conn.getresponse().read()
                conn.close()
                return self
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"the server exited: {' '.join(self.cmd)}") from None
                time.sleep(0.2)
        raise RuntimeError("the server did not answer within 60 s")

    def __exit__(self, *exc: object) -> None:
        assert self.proc is not None
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def cpu_seconds(self) -> float:
        """CPU time of the server and its worker processes so far (Linux /proc)."""
        assert self.proc is not None
        tick = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            pid, ppid = int(stat.parent.name), int(fields[1])
            if pid == self.proc.pid or ppid == self.proc.pid:
                total += (int(fields[11]) + int(fields[12])) / tick
        return total


# -- the driver ----------------------------------------------------------------------------

Request = tuple[str, str, dict[str, str], bytes | None]  # method, path, headers, body


@dataclass
class Result:
    name: str
    connections: int
    seconds: float
    latencies: list[float] = field(default_factory=list)  # ms, successful requests
    errors: dict[str, int] = field(default_factory=dict)
    driver_cpu: float = 0.0  # share of all cores
    server_cpu: float = 0.0

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds

    def pct(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def line(self) -> str:
        errors = sum(self.errors.values())
        detail = f" {self.errors}" if errors else ""
        return (
            f"{self.name:<28} {self.connections:>3} conn  {self.rps:7.1f} req/s  "
            f"p50 {self.pct(0.5):6.1f} ms  p99 {self.pct(0.99):6.1f} ms  errors {errors}{detail}  "
            f"driver CPU {self.driver_cpu:4.0%}  server CPU {self.server_cpu:4.0%}"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "connections": self.connections, "rps": round(self.rps, 1),
            "p50_ms": round(self.pct(0.5), 1), "p99_ms": round(self.pct(0.99), 1),
            "requests": len(self.latencies), "errors": self.errors,
            "driver_cpu": round(self.driver_cpu, 3), "server_cpu": round(self.server_cpu, 3),
        }  # fmt: skip


def drive(
    name: str,
    server: Server,
    connections: int,
    seconds: float,
    next_request: Callable[[int, int], Request],
    on_response: Callable[[int, http.client.HTTPResponse], None] | None = None,
) -> Result:
    """``connections`` threads, each with one keep-alive connection, sending
    ``next_request(connection, n)`` back to back for ``seconds``."""
    result = Result(name, connections, seconds)
    lock = threading.Lock()
    start = threading.Barrier(connections + 1)
    stop_at = [0.0]

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        mine: list[float] = []
        errors: dict[str, int] = {}
        start.wait()
        n = 0
        while time.perf_counter() < stop_at[0]:
            method, path, headers, body = next_request(index, n)
            n += 1
            began = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
                continue
            elapsed = (time.perf_counter() - began) * 1000
            if response.status == 200:
                mine.append(elapsed)
            else:
                errors[str(response.status)] = errors.get(str(response.status), 0) + 1
            if on_response is not None:
                on_response(index, response)
        conn.close()
        with lock:
            result.latencies.extend(mine)
            for key, count in errors.items():
                result.errors[key] = result.errors.get(key, 0) + count

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for t in threads:
        t.start()
    cpu0, server0 = resource.getrusage(resource.RUSAGE_SELF), server.cpu_seconds()
    began = time.perf_counter()
    stop_at[0] = began + seconds
    start.wait()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    cpu1, server1 = resource.getrusage(resource.RUSAGE_SELF), server.cpu_seconds()
    cores = os.cpu_count() or 1
    result.seconds = wall
    used = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    result.driver_cpu = used / wall / cores
    result.server_cpu = (server1 - server0) / wall / cores
    return result


# -- scenarios -----------------------------------------------------------------------------


def credentials() -> tuple[str, str]:
    """A bearer token and a signed-in session cookie of LOAD's manager."""
    from bench.load.build import USERNAME
    from django.test import Client

    from podium.accounts.models import User
    from podium.accounts.services import create_token

    user = User.objects.get(username=USERNAME)
    _, token = create_token(actor=None, user=user, name="load bench")
    client = Client()
    client.force_login(user)
    return token, str(client.cookies["sessionid"].value)


def reads(server: Server, token: str, cookie: str, connections: int, seconds: float) -> Result:
    """Each connection alternates the dashboard API and the program's dashboard page."""
    from bench.load.build import CODE

    api = ("GET", f"/api/v1/programs/{CODE}/dashboard", {"Authorization": f"Bearer {token}"}, None)
    page = ("GET", f"/programs/{CODE}/dashboard/", {"Cookie": f"sessionid={cookie}"}, None)
    return drive(
        "reads (dashboard API + page)", server, connections, seconds,
        lambda i, n: api if (i + n) % 2 == 0 else page,
    )  # fmt: skip


def overview(server: Server, cookie: str, connections: int, seconds: float) -> Result:
    """The program's overview page (stage, components, members, recent changes)."""
    from bench.load.build import CODE

    page = ("GET", f"/programs/{CODE}/", {"Cookie": f"sessionid={cookie}"}, None)
    return drive("reads (overview page)", server, connections, seconds, lambda i, n: page)


def floor(server: Server, connections: int, seconds: float) -> Result:
    """The baseline of the same run: ``/healthz`` (the whole middleware stack and one
    query, no template, no sign-in). No page can be served faster than this here, so
    the reads' ratio to it says how much of the machine the dashboard itself takes."""
    ping = ("GET", "/healthz", {}, None)
    return drive("floor (GET /healthz)", server, connections, seconds, lambda i, n: ping)


def warm_up(server: Server, token: str, cookie: str, limit: float = 180.0) -> float:
    """Send reads until every connection gets answers within a second: each server
    process computes the dashboard of the big program once (seconds), then caches it."""
    began = time.perf_counter()
    while time.perf_counter() - began < limit:
        r = reads(server, token, cookie, 16, 2)
        if r.latencies and not r.errors and r.pct(1.0) < 1000:
            break
    return time.perf_counter() - began


def writes(
    server: Server, token: str, connections: int, seconds: float, label: str = "writes"
) -> Result:
    """PATCH the effect text of risks; connection i edits the risks with index = i mod
    connections, with If-Match from the last ETag it saw."""
    from bench.load.build import CODE

    from podium.risks.models import Risk

    risks = list(
        Risk.objects.filter(program__code=CODE).order_by("pk").values_list("pk", "version")
    )
    versions = dict(risks)
    mine = [
        [pk for k, (pk, _) in enumerate(risks) if k % connections == i] for i in range(connections)
    ]
    last: dict[int, int] = {}

    def request(i: int, n: int) -> Request:
        pk = mine[i][n % len(mine[i])]
        last[i] = pk
        body = json.dumps({"effect": f"Late by {n} days (connection {i})"}).encode()
        headers = {
            "Authorization": f"Bearer {token}", "Content-Type": "application/json",
            "If-Match": f'"{versions[pk]}"',
        }  # fmt: skip
        return ("PATCH", f"/api/v1/risks/{pk}", headers, body)

    def seen(i: int, response: http.client.HTTPResponse) -> None:
        etag = response.getheader("ETag")
        if etag:
            versions[last[i]] = int(etag.strip('"'))

    return drive(f"{label} (PATCH risk)", server, connections, seconds, request, seen)


# -- the parts -----------------------------------------------------------------------------


def psql(sql: str) -> str:
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-tAc", sql],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return out.stdout.strip()


def server_env(url: str, data_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url, PODIUM_DATA_DIR=data_dir, SECRET_KEY=os.environ["SECRET_KEY"],
        PODIUM_HTTPS="0", EMAIL_URL="locmem", PODIUM_TASKS="immediate", LOG_LEVEL="ERROR",
    )  # fmt: skip
    env.pop("PODIUM_DEBUG", None)
    return env


def part_pg(args: argparse.Namespace) -> dict[str, Any]:
    from bench.load import build

    url = f"{PG_ADMIN}/{DB_NAME}"
    if psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'") != "1":
        psql(f"CREATE DATABASE {DB_NAME}")
    report: dict[str, Any] = {"database": "postgresql", "results": []}
    try:
        build.configure(url)
        built = build.existing() or build.build(args.components, args.per_component)
        report["built"] = built
        print(f"LOAD: {built['activities']} activities, {built['links']} links "
              f"(built in {built['build_s']:.0f} s; 0 = reused)", flush=True)  # fmt: skip
        token, cookie = credentials()
        from django.db import connection

        connection.close()
        with tempfile.TemporaryDirectory() as data_dir:
            env = server_env(url, data_dir)
            with Server(env, args.workers, args.threads) as server:
                warm = warm_up(server, token, cookie)
                print(f"warm-up (each server process computes the dashboard once): {warm:.0f} s",
                      flush=True)  # fmt: skip
                overview(server, cookie, 4, 1)
                results = [
                    reads(server, token, cookie, args.connections, args.seconds),
                    writes(server, token, args.connections, args.seconds),
                    overview(server, cookie, args.connections, args.seconds),
                    floor(server, args.connections, args.seconds),
                ]
                for r in results:
                    print(r.line(), flush=True)
                print(
                    f"reads / floor: {results[0].rps / results[-1].rps:.2f}; "
                    f"overview / floor: {results[2].rps / results[-1].rps:.2f}",
                    flush=True,
                )
                report["results"] = [r.as_dict() for r in results]
                report["server"] = f"podium serve --workers {args.workers} --threads {args.threads}"
    finally:
        from django.db import connection

        connection.close()
        if not args.keep:
            psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    return report


def part_sqlite(args: argparse.Namespace) -> dict[str, Any]:
    from bench.load import build

    report: dict[str, Any] = {"database": "sqlite", "results": []}
    with tempfile.TemporaryDirectory() as data_dir:
        url = f"sqlite:///{data_dir}/podium.sqlite3"
        os.environ["PODIUM_DATA_DIR"] = data_dir
        build.configure(url)
        built = build.build(components=10, per_component=200)
        report["built"] = built
        print(f"SQLite: {built['activities']} activities (built in {built['build_s']:.0f} s)")
        token, _ = credentials()
        from django.db import connection

        connection.close()
        env = server_env(url, data_dir)
        with Server(env, args.workers, args.threads) as server:
            writes(server, token, 16, 3, "warm-up")  # every server process, once
            for n in (1, 4, 8, 16):
                r = writes(server, token, n, args.sqlite_seconds, f"SQLite writes x{n}")
                print(r.line(), flush=True)
                report["results"].append(r.as_dict())
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=["pg", "sqlite", "all"], default="all")
    parser.add_argument("--seconds", type=float, default=15.0, help="per scenario (default 15)")
    parser.add_argument("--sqlite-seconds", type=float, default=8.0, help="per step (default 8)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3, help="server processes (default 3)")
    parser.add_argument("--threads", type=int, default=4, help="threads per process (default 4)")
    parser.add_argument("--components", type=int, default=50)
    parser.add_argument("--per-component", type=int, default=400)
    parser.add_argument("--keep", action="store_true", help=f"keep {DB_NAME} for the next run")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    os.environ.setdefault("SECRET_KEY", "load-bench-" + os.urandom(16).hex())
    sys.path.insert(0, str(ROOT))
    if args.part == "all":
        reports = []
        for part in ("pg", "sqlite"):
            forwarded = [a for a in (argv if argv is not None else sys.argv[1:])]
            with tempfile.NamedTemporaryFile(suffix=".json") as out:
                subprocess.run(
                    [sys.executable, "-m", "bench.load.run", *forwarded, "--part", part,
                     "--json", out.name],
                    check=True, cwd=ROOT,
                )  # fmt: skip
                reports.append(json.loads(Path(out.name).read_text() or "{}"))
        report: Any = reports
    else:
        began = time.perf_counter()
        report = part_pg(args) if args.part == "pg" else part_sqlite(args)
        report["total_s"] = round(time.perf_counter() - began, 1)
        print(f"({args.part}: {report['total_s']:.0f} s in all)")
        _aims(report)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))
    return 0


def _aims(report: dict[str, Any]) -> None:
    if report["database"] != "postgresql" or not report["results"]:
        return
    r, w = report["results"][:2]
    ok_r = r["rps"] >= AIM_READ_RPS and r["p99_ms"] <= AIM_READ_P99
    ok_w = w["p99_ms"] <= AIM_WRITE_P99
    print(
        f"aim reads >= {AIM_READ_RPS:.0f} req/s with p99 <= {AIM_READ_P99:.0f} ms: "
        f"{'met' if ok_r else 'NOT met'}; writes p99 <= {AIM_WRITE_P99:.0f} ms: "
        f"{'met' if ok_w else 'NOT met'}"
    )


if __name__ == "__main__":
    sys.exit(main())
