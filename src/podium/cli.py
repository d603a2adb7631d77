"""The ``podium`` command: one entry point for running and administering Podium."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import podium


def _datetime(text: str) -> Any:
    import datetime as dt

    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (use 2024-03-01T08:00)") from None


class CommandError(Exception):
    """A one-line error the command prints before exiting non-zero."""


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podium.config.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        raise CommandError(str(exc)) from exc


def _call(name: str, *args: str, **options: Any) -> None:
    from django.core.management import call_command

    call_command(name, *args, **options)


def cmd_migrate(args: argparse.Namespace) -> None:
    _setup_django()
    _call("migrate", interactive=False, verbosity=args.verbosity)


def _serve(host: str, port: int, threads: int) -> None:
    from waitress import serve

    from podium.config.wsgi import application
    from podium.core.middleware import max_request_bytes

    serve(
        application, host=host, port=port, threads=threads, ident="podium",
        max_request_body_size=max_request_bytes(),
    )  # fmt: skip


def _serve_processes(host: str, port: int, workers: int, threads: int) -> None:
    """``workers`` processes of ``threads`` threads each (gunicorn's gthread workers):
    a Python process runs Python code on one core at a time, so several processes are
    how one machine uses all its cores."""
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError:
        raise CommandError(
            "--workers above 1 needs gunicorn (pip install gunicorn); "
            "or run several `podium serve --workers 1` behind the proxy"
        ) from None
    from podium.config.wsgi import application

    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "keepalive": 30,  # seconds an idle keep-alive connection (from the proxy) stays open
        "timeout": 120,  # a worker silent this long is restarted
        "graceful_timeout": 30,
        "proc_name": "podium",
    }

    class Podium(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    Podium().run()


def cmd_serve(args: argparse.Namespace) -> None:
    os.environ.setdefault("ALLOWED_HOSTS", f"{args.host},127.0.0.1,localhost")
    _setup_django()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise CommandError("the database is not migrated: run `podium migrate` first")
    connection.close()  # not shared with the worker processes forked below
    print(f"Podium {podium.__version__} on http://{args.host}:{args.port}/", flush=True)
    if args.workers > 1:
        _serve_processes(args.host, args.port, args.workers, args.threads)
    else:
        _serve(args.host, args.port, args.threads)


def cmd_demo(args: argparse.Namespace) -> None:
    os.environ["PODIUM_DEMO"] = "1"
    if args.data_dir:
        os.environ["PODIUM_DATA_DIR"] = str(Path(args.data_dir).resolve())
    os.environ.setdefault("ALLOWED_HOSTS", f"{args.host},127.0.0.1,localhost")
    _setup_django()
    from django.conf import settings

    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    _call("migrate", interactive=False, verbosity=0)

    from podium.demo import DEMO_PASSWORD, load_demo

    created = load_demo()
    print("Demo program loaded." if created else "Demo data already present.", flush=True)
    print(
        f"\nPodium demo: http://{args.host}:{args.port}/\n"
        f"Sign in as any of these users, password {DEMO_PASSWORD!r}:\n"
        "  admin (PMO administrator), pm.alvarez (program manager),\n"
        "  cm.okafor (component manager), tm.lindqvist (team member),\n"
        "  sh.nakamura (stakeholder, sponsor's office)\n"
        f"Data: {settings.DATABASES['default']['NAME']}\n"
        + (
            f"E-mails it sends are written to {settings.EMAIL_FILE_PATH}/\n"
            if getattr(settings, "EMAIL_FILE_PATH", None)
            else ""
        ),
        flush=True,
    )
    if args.no_serve:
        return
    from podium.core.jobs import start_worker_thread
    from podium.core.periodic import start_scheduler_thread

    start_worker_thread()
    start_scheduler_thread()
    _serve(args.host, args.port, threads=8)


def cmd_worker(args: argparse.Namespace) -> None:
    _setup_django()
    if not args.batch and not args.no_scheduler:
        from podium.core.periodic import start_scheduler_thread

        start_scheduler_thread()
    _call("db_worker", queue_name="default", interval=args.interval, batch=args.batch)


def cmd_tick(args: argparse.Namespace) -> None:
    """Start the periodic jobs that are due (digests, scheduled reports), for cron."""
    _setup_django()
    from podium.core.periodic import tick

    jobs = tick()
    for job in jobs:
        print(f"started {job.kind} (job {job.pk})")
    if not jobs:
        print("nothing due")


def cmd_createadmin(args: argparse.Namespace) -> None:
    _setup_django()
    from podium.accounts.services import create_user
    from podium.core.errors import PodiumError

    username = args.username or (input("Username: ") if sys.stdin.isatty() else "")
    if not username:
        raise CommandError("give --username (no terminal to ask on)")
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif os.environ.get("PODIUM_ADMIN_PASSWORD"):
        password = os.environ["PODIUM_ADMIN_PASSWORD"]
    elif sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password (again): ") != password:
            raise CommandError("the two passwords differ")
    else:
        raise CommandError("give --password-stdin or PODIUM_ADMIN_PASSWORD (no terminal)")
    try:
        user = create_user(
            actor=None, username=username, password=password, email=args.email, is_staff=True
        )
    except PodiumError as exc:
        raise CommandError(exc.message) from exc
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    print(f"Administrator {user.username!r} created.")


def cmd_token_create(args: argparse.Namespace) -> None:
    _setup_django()
    from podium.accounts.models import User
    from podium.accounts.services import create_token

    user = User.objects.filter(username=args.username, is_active=True).first()
    if user is None:
        raise CommandError(f"no active user named {args.username!r}")
    _, raw = create_token(actor=None, user=user, name=args.name, days=args.days)
    print(raw)


def _iso(value: Any) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


def cmd_schedule(args: argparse.Namespace) -> None:
    """Schedule a file with the options it declares; no database involved."""
    import dataclasses
    import json

    from podium.engine import EngineError, schedule
    from podium.interchange.registry import read_any

    try:
        projects = read_any(args.file)
        results = []
        for project in projects:
            network = project.network
            if args.data_date:
                network = dataclasses.replace(network, data_date=args.data_date)
            results.append((project, schedule(network)))
    except EngineError as exc:  # ParseError and CycleError included
        raise CommandError(_with_file(args.file, exc)) from exc
    rows = [
        {
            "id": res.id,
            "name": res.name,
            "start": _iso(res.start),
            "finish": _iso(res.finish),
            "early_start": _iso(res.early_start),
            "early_finish": _iso(res.early_finish),
            "late_start": _iso(res.late_start),
            "late_finish": _iso(res.late_finish),
            "total_float_hours": _hours(res.total_float_minutes),
            "free_float_hours": _hours(res.free_float_minutes),
            "critical": bool(res.critical),
            "summary": res.summary,
        }
        for _, result in results
        for res in result
    ]
    finish = max((r.project_finish for _, r in results), default=None)
    if args.json:
        print(json.dumps({"finish": _iso(finish), "activities": rows}, ensure_ascii=False))
        return
    for project, result in results:
        print(f"{project.name} — {len(result)} activities, finish {_iso(result.project_finish)}")
    print(f"{'':1} {'id':<12} {'name':<40} {'start':<19} {'finish':<19} {'TF h':>8}")
    for row in rows:
        mark = "*" if row["critical"] else " "
        tf = "" if row["total_float_hours"] is None else f"{row['total_float_hours']:g}"
        name = str(row["name"])[:40]
        print(f"{mark} {row['id']:<12} {name:<40} {row['start']:<19} {row['finish']:<19} {tf:>8}")
    print("(* = critical)")


def _with_file(path: str, exc: Exception) -> str:
    """Errors that do not name the file yet (a cycle, say) get its name in front."""
    from podium.engine import ParseError

    return str(exc) if isinstance(exc, ParseError) else f"{path}: {exc}"


def cmd_level(args: argparse.Namespace) -> None:
    """Resource-constrained scheduling of a PSPLIB, DSLIB or MSPDI file."""
    import json
    import time

    from podium.engine import EngineError
    from podium.engine.leveling import Progress, RcpspProblem, check_feasible, level

    started = time.monotonic()
    show = sys.stderr.isatty() and not args.json

    def bar(p: Progress) -> None:
        if show and time.monotonic() - started > 1:
            done = min(1.0, p.seconds / max(args.time_limit, 0.01))
            filled = int(done * 30)
            print(
                f"\r[{'#' * filled}{' ' * (30 - filled)}] {p.seconds:5.1f}s "
                f"makespan {p.makespan} bound {p.lower_bound} ({p.phase})   ",
                end="", file=sys.stderr, flush=True,
            )  # fmt: skip

    try:
        if args.file.lower().endswith(".sm"):
            from podium.interchange.psplib import read_psplib_arrays

            problem = RcpspProblem.from_psplib(read_psplib_arrays(args.file))
        else:
            from podium.interchange.registry import read_any

            projects = read_any(args.file)
            if len(projects) != 1:
                raise CommandError(f"{args.file}: level one project at a time")
            problem = _problem_from_file(projects[0])
        result = level(problem, time_limit=args.time_limit, workers=args.workers, progress=bar)
    except EngineError as exc:
        raise CommandError(_with_file(args.file, exc)) from exc
    if show:
        print(file=sys.stderr)
    problems = check_feasible(problem, result.starts)
    if problems:  # never expected: the solver's answer is checked independently
        raise CommandError(f"{args.file}: infeasible result: {problems[0]}")
    starts = {name: int(s) for name, s in zip(problem.names, result.starts, strict=True)}
    if args.json:
        print(json.dumps({
            "makespan": int(result.makespan),
            "lower_bound": int(result.lower_bound),
            "status": result.status,
            "starts": starts,
            "seconds": round(result.seconds, 3),
        }))  # fmt: skip
        return
    print(
        f"makespan {result.makespan} (lower bound {result.lower_bound}, {result.status}) "
        f"in {result.seconds:.2f} s by {result.solver}"
    )
    for i, name in enumerate(problem.names):
        delay = result.delays.get(i)
        why = ""
        if delay is not None and delay.delay > 0:
            held = ", ".join(problem.names[b] for b in delay.blocking[:5])
            res = ", ".join(problem.resource_names[k] for k in delay.resources)
            why = f"  delayed {delay.delay}: {res or 'predecessors'} ({held})"
        print(f"{name:>8} start {int(result.starts[i]):>6}{why}")


def _problem_from_file(project: Any) -> Any:
    """A file's network and assignments as a leveling problem in working hours."""
    import math

    from podium.engine.leveling import RcpspProblem

    acts = [a for a in project.network.activities if a.kind != "summary"]
    index = {a.id: i for i, a in enumerate(acts)}
    durations = [math.ceil(a.duration_minutes / 60) for a in acts]
    resources = [r for r in project.resources if r.kind == "work"]
    rindex = {r.id: k for k, r in enumerate(resources)}
    capacities = [max(1, round(r.max_units * 10)) for r in resources]
    requests = [[0] * len(resources) for _ in acts]
    for asg in project.assignments:
        if asg.activity_id in index and asg.resource_id in rindex:
            k = rindex[asg.resource_id]
            requests[index[asg.activity_id]][k] = min(capacities[k], round(asg.units * 10))
    links = [
        (index[ln.pred], index[ln.succ], ln.type, round(ln.lag_minutes / 60))
        for ln in project.network.links
        if ln.pred in index and ln.succ in index
    ]
    return RcpspProblem.from_links(
        durations, links, capacities, requests,
        names=[a.id for a in acts], resource_names=[r.id for r in resources],
    )  # fmt: skip


def cmd_evm(args: argparse.Namespace) -> None:
    """Earned value and earned schedule of a DSLIB workbook's tracking periods."""
    import json

    from podium.engine import EngineError
    from podium.interchange.dslib import read_dslib_workbook
    from podium.interchange.dslib_evm import evm_statuses

    try:
        workbook = read_dslib_workbook(args.file)
        if not workbook.tracking:
            raise CommandError(f"{args.file}: no tracking periods (TP sheets) to evaluate")
        statuses = evm_statuses(workbook)
    except EngineError as exc:
        raise CommandError(_with_file(args.file, exc)) from exc
    periods: list[dict[str, Any]] = [
        {
            "status_date": _iso(st.status_date),
            "pv": st.project.pv,
            "ev": st.project.ev,
            "ac": st.project.ac,
            "sv": st.project.sv,
            "cv": st.project.cv,
            "spi": st.project.spi,
            "cpi": st.project.cpi,
            "es": _iso(st.schedule.es),
            "sv_t_hours": st.schedule.sv_t_hours,
            "spi_t": st.schedule.spi_t,
            "p_factor": st.schedule.p_factor,
            "eac_t_pf1": _iso(st.schedule.eac_t_pf1),
            "eac_t_pfspi": _iso(st.schedule.eac_t_spi_t),
            "eac_t_pfsci": _iso(st.schedule.eac_t_sci_t),
        }
        for st in statuses
    ]
    if args.json:
        print(json.dumps({"periods": periods}, ensure_ascii=False))
        return

    def num(x: float | None, fmt: str) -> str:
        return "-" if x is None else format(x, fmt)

    print(f"{workbook.project.name} — {len(periods)} tracking periods")
    print(
        f"{'status date':<16} {'PV':>13} {'EV':>13} {'AC':>13} {'SPI':>6} {'CPI':>6} "
        f"{'ES':<16} {'SV(t) h':>8} {'SPI(t)':>6} {'p':>6} {'EAC(t) PF=1':<16}"
    )
    for row in periods:
        print(
            f"{str(row['status_date'])[:16]:<16} {row['pv']:>13,.2f} {row['ev']:>13,.2f} "
            f"{row['ac']:>13,.2f} {num(row['spi'], '.3f'):>6} {num(row['cpi'], '.3f'):>6} "
            f"{str(row['es'])[:16]:<16} {row['sv_t_hours']:>8g} {num(row['spi_t'], '.3f'):>6} "
            f"{num(row['p_factor'], '.3f'):>6} {str(row['eac_t_pf1'])[:16]:<16}"
        )


def _estimates(path: str) -> tuple[Any, dict[str, Any]]:
    """The one project of ``path`` and its duration estimates (activity id ->
    Distribution): a DSLIB workbook's Risk Analysis sheet (triangular), native JSON's
    ``estimate`` fields; other formats carry none."""
    from podium.engine.montecarlo import Distribution
    from podium.interchange.registry import detect_format, read_any

    fmt = detect_format(path)
    if fmt == "dslib":
        from podium.interchange.dslib import read_dslib_workbook

        workbook = read_dslib_workbook(path)
        project = workbook.project
        kinds = {a.id: a.kind for a in project.network.activities}
        dists = {
            aid: Distribution(
                "triangular", e.optimistic_minutes, e.most_likely_minutes, e.pessimistic_minutes
            )
            for aid, e in workbook.risk.items()
            if kinds.get(aid) == "task"
        }
        return project, dists
    projects = read_any(path)
    if len(projects) != 1:
        raise CommandError(f"{path}: simulate one project at a time ({len(projects)} in the file)")
    if fmt == "json":
        from podium.interchange.native import read_native_estimates

        return projects[0], read_native_estimates(Path(path).read_bytes(), file=path)
    return projects[0], {}


def cmd_simulate(args: argparse.Namespace) -> None:
    """Monte Carlo schedule risk analysis of a file's duration estimates."""
    import json
    import time

    from podium.engine import EngineError
    from podium.engine.montecarlo import simulate

    if args.iterations < 1:
        raise CommandError("--iterations must be at least 1")
    started = time.monotonic()
    show = sys.stderr.isatty() and not args.json

    def bar(share: float) -> None:
        if show and time.monotonic() - started > 0.5:
            filled = int(share * 30)
            print(
                f"\r[{'#' * filled}{' ' * (30 - filled)}] {share:4.0%} of {args.iterations} "
                "iterations   ",
                end="", file=sys.stderr, flush=True,
            )  # fmt: skip

    try:
        project, dists = _estimates(args.file)
        result = simulate(
            project.network, dists, iterations=args.iterations, seed=args.seed, progress=bar
        )
        sensitivity = result.sensitivity
    except EngineError as exc:
        raise CommandError(_with_file(args.file, exc)) from exc
    if show:
        print(file=sys.stderr)
    finish = {f"p{p}": _iso(result.finish_percentile(p)) for p in (10, 50, 80, 90)}
    finish["mean"] = _iso(result.finish_mean)
    if args.json:
        print(json.dumps({
            "iterations": result.iterations,
            "finish": finish,
            "criticality": {k: round(v, 4) for k, v in result.criticality.items()},
            "sensitivity": {k: round(v, 4) for k, v in sensitivity.items()},
        }, ensure_ascii=False))  # fmt: skip
        return
    if not dists:
        print("no duration estimates in the file: every iteration is the CPM schedule")
    print(
        f"{project.name} — {len(project.network.activities)} activities, "
        f"{len(dists)} with estimates, {result.iterations} iterations (seed {args.seed})"
    )
    print(f"deterministic finish {_iso(result.deterministic_finish)}")
    for key, value in finish.items():
        print(f"{key.upper():>5} {value}")
    top = sorted(sensitivity, key=lambda k: -abs(sensitivity[k]))[:10]
    top = [k for k in top if sensitivity[k] != 0]
    if top:
        names = {a.id: a.name for a in project.network.activities}
        print(f"{'id':<12} {'name':<40} {'sensitivity':>11} {'criticality':>11}")
        for k in top:
            print(
                f"{k:<12} {names[k][:40]:<40} {sensitivity[k]:>11.2f} "
                f"{result.criticality[k]:>11.2f}"
            )


def _hours(minutes: int | None) -> float | None:
    return None if minutes is None else round(minutes / 60, 4)


def _program(code: str) -> Any:
    from podium.programs.models import Program

    program = Program.objects.filter(code=code.upper()).first()
    if program is None:
        raise CommandError(f"no program {code!r}")
    return program


def cmd_import(args: argparse.Namespace) -> None:
    _setup_django()
    from django.db import transaction

    from podium.core.errors import PodiumError
    from podium.engine import EngineError
    from podium.interchange.registry import read_any
    from podium.schedule.services import import_project

    program = _program(args.program)
    try:
        projects = read_any(args.file)
        with transaction.atomic():
            for project in projects:
                name = args.component
                if name and len(projects) > 1:
                    name = f"{name} — {project.name}"
                summary = import_project(
                    actor=None, program=program, project=project, component_name=name
                )
                print(
                    f"{summary.component.code}: {summary.activities} activities, "
                    f"{summary.links} links, {summary.calendars} calendars"
                    + (", baseline" if summary.baseline else "")
                )
    except EngineError as exc:
        raise CommandError(f"{_with_file(args.file, exc)} (nothing imported)") from exc
    except PodiumError as exc:
        raise CommandError(f"{args.file}: {exc.message} (nothing imported)") from exc


def cmd_export(args: argparse.Namespace) -> None:
    _setup_django()
    from podium.engine import schedule
    from podium.schedule.convert import project_file_for

    program = _program(args.program)
    component = None
    if args.component:
        component = program.components.filter(code=args.component.upper()).first()
        if component is None:
            raise CommandError(f"no component {args.component!r} in {program.code}")
    project = project_file_for(program, component)
    if args.format == "mspdi":
        from podium.interchange.mspdi import write_mspdi

        data = write_mspdi(project, schedule(project.network))
    else:
        from podium.interchange.native import write_native

        data = write_native(project).encode()
    if args.output:
        Path(args.output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)


def cmd_backup(args: argparse.Namespace) -> None:
    """A consistent backup of every table and the uploaded files into one zip file."""
    import time

    _setup_django()
    from podium.core.backup import BackupError, backup

    started = time.monotonic()
    try:
        manifest = backup(args.file, progress=lambda line: print(f"  {line}", flush=True))
    except BackupError as exc:
        raise CommandError(str(exc)) from exc
    rows = sum(t["rows"] for t in manifest["tables"].values())
    size = Path(args.file).stat().st_size
    print(
        f"Backup {args.file}: {len(manifest['tables'])} tables, {rows} rows, "
        f"{len(manifest['media'])} files, {size / 1e6:.1f} MB in {time.monotonic() - started:.1f} s"
    )


def cmd_restore(args: argparse.Namespace) -> None:
    """Restore a backup into an empty database; the checksums are checked before commit."""
    _setup_django()
    from podium.core.backup import BackupError, restore

    try:
        manifest = restore(
            args.file, force=args.force, progress=lambda line: print(f"  {line}", flush=True)
        )
    except BackupError as exc:
        raise CommandError(str(exc)) from exc
    rows = sum(t["rows"] for t in manifest["tables"].values())
    print(
        f"Restored {args.file}: {len(manifest['tables'])} tables, {rows} rows, "
        f"{len(manifest['media'])} files; row counts and checksums match the backup."
    )
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        print("The backup predates this Podium: run `podium migrate` to upgrade it.")


def cmd_program_export(args: argparse.Namespace) -> None:
    """One program, with everything that belongs to it, as Podium's native JSON."""
    import json

    _setup_django()
    from podium.programs.native import export_program

    data = json.dumps(export_program(_program(args.program)), ensure_ascii=False, indent=1)
    if args.output:
        Path(args.output).write_text(data, encoding="utf-8")
    else:
        sys.stdout.write(data + "\n")


def cmd_program_import(args: argparse.Namespace) -> None:
    """A program exported with `podium program-export`, all or nothing."""
    import json

    _setup_django()
    from podium.core.errors import PodiumError
    from podium.programs.native import import_program

    try:
        document = json.loads(Path(args.file).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CommandError(f"{args.file}: {exc.strerror or exc}") from exc
    except (ValueError, RecursionError) as exc:  # (RecursionError: nested too deeply)
        raise CommandError(f"{args.file}: not JSON ({exc}) (nothing imported)") from exc
    try:
        result = import_program(document, actor=None, code=args.code)
    except PodiumError as exc:
        raise CommandError(f"{args.file}: {exc.message} (nothing imported)") from exc
    print(
        f"Program {result.program.code} imported: {result.rows} rows, "
        f"{result.users_created} placeholder users, {result.files} files."
    )


def cmd_manage(args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podium.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["podium manage", *args.rest])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="podium",
        description="Podium — program-delivery management. Settings come from the "
        "environment (DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS, ...).",
    )
    parser.add_argument("--version", action="version", version=f"podium {podium.__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "demo", help="set up a local SQLite database with the demo program and serve it"
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--data-dir", help="folder for the SQLite database (default ./data)")
    p.add_argument("--no-serve", action="store_true", help="prepare the data, do not serve")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("serve", help="serve Podium (production: needs SECRET_KEY)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--threads", type=int, default=8, help="threads per process (default 8)")
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="processes (default 1: waitress; more: gunicorn, about 1-2 per core)",
    )
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("migrate", help="create or upgrade the database tables")
    p.add_argument("-v", "--verbosity", type=int, default=1)
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser(
        "worker", help="run background jobs (leveling, simulation, imports, reports)"
    )
    p.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
    p.add_argument("--batch", action="store_true", help="exit when the queue is empty")
    p.add_argument(
        "--no-scheduler", action="store_true", help="do not start periodic jobs (digests)"
    )
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("tick", help="start the periodic jobs that are due (for cron)")
    p.set_defaults(func=cmd_tick)

    p = sub.add_parser("createadmin", help="create an administrator (PMO) account")
    p.add_argument("--username")
    p.add_argument("--email", default="")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    p.set_defaults(func=cmd_createadmin)

    p = sub.add_parser("token", help="API tokens")
    token_sub = p.add_subparsers(dest="token_command", required=True, metavar="ACTION")
    t = token_sub.add_parser("create", help="create an API token for USERNAME and print it")
    t.add_argument("username")
    t.add_argument("--name", default="", help="what the token is for")
    t.add_argument("--days", type=int, default=None, help="expire after this many days")
    t.set_defaults(func=cmd_token_create)

    p = sub.add_parser("schedule", help="schedule a file (MSPDI, XER, PSPLIB, DSLIB, CSV, JSON)")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument(
        "--data-date",
        type=_datetime,
        help="status date, e.g. 2024-03-01T08:00 (overrides the file)",
    )
    p.set_defaults(func=cmd_schedule)

    p = sub.add_parser("level", help="resource-constrained schedule of a PSPLIB/DSLIB/MSPDI file")
    p.add_argument("file")
    p.add_argument("--time-limit", type=float, default=10.0, help="seconds (default 10)")
    p.add_argument("--workers", type=int, default=2, help="CP-SAT workers (default 2)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=cmd_level)

    p = sub.add_parser(
        "evm", help="earned value and earned schedule of a DSLIB workbook's tracking periods"
    )
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=cmd_evm)

    p = sub.add_parser(
        "simulate", help="Monte Carlo schedule risk analysis of a DSLIB/JSON/MSPDI/XER file"
    )
    p.add_argument("file")
    p.add_argument("--iterations", type=int, default=10_000, help="default 10000")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser("import", help="import a schedule file into a program (all or nothing)")
    p.add_argument("file")
    p.add_argument("--program", required=True, help="program code")
    p.add_argument("--component", help="component name (default: the file's project name)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="export a program's schedule")
    p.add_argument("--program", required=True, help="program code")
    p.add_argument("--format", choices=["mspdi", "json"], default="json")
    p.add_argument("--component", help="only this component (code)")
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "backup", help="back up the whole database and the uploaded files into one file"
    )
    p.add_argument("file", help="the zip file to write")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="restore a backup into an empty database")
    p.add_argument("file", help="a file written by `podium backup`")
    p.add_argument(
        "--force", action="store_true", help="replace the database's contents if it has any"
    )
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser(
        "program-export", help="export one program with all its registers as native JSON"
    )
    p.add_argument("--program", required=True, help="program code")
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.set_defaults(func=cmd_program_export)

    p = sub.add_parser(
        "program-import", help="import a program exported with program-export (all or nothing)"
    )
    p.add_argument("file")
    p.add_argument("--code", help="give the program this code (default: the exported one)")
    p.set_defaults(func=cmd_program_import)

    p = sub.add_parser("manage", help="run a Django management command", add_help=False)
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except CommandError as exc:
        print(f"podium: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `podium schedule big.xer | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
