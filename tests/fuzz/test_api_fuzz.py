"""Schemathesis against /api/openapi.json, in-process, on the demo program.

Every operation of the document is called with generated input (valid and invalid) as
four people: admin, program manager, team member, stakeholder. Path parameters are
steered to real ids and codes most of the time, so handlers run past their lookups.
Each answer must be no server error, must match the declared schema (body, content type,
status code declared for the operation). Separately, every operation called without a
token or with a bogus one must answer 401.

``PODIUM_FUZZ_EXAMPLES`` sets the examples per operation, shared among the four people
(default 50, the ``make test`` figure: 13 each; ``make fuzz`` runs 1000: 250 each).
``PODIUM_FUZZ_SEED`` picks the seed (default 0: the same cases on every run).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Err
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.fuzz.conftest import IDENTITIES, FuzzData, InProcessApp

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("PODIUM_FUZZ_EXAMPLES", "50"))
PER_IDENTITY = -(-EXAMPLES // len(IDENTITIES))
SEED = int(os.environ.get("PODIUM_FUZZ_SEED", "0"))
# Examples per operation for the credentials check: the refusal comes before the input
# is read, so one real path per operation is enough.
AUTH_EXAMPLES = 1
# Operations that reschedule the whole demo program (0.5-3 s a call where the others take
# tens of milliseconds): a quarter of the examples, or they alone would double the run.
EXPENSIVE = {
    "POST /api/v1/change-requests/{cr_id}/approve",
    "PATCH /api/v1/activities/{activity_id}",
    "POST /api/v1/programs/{code}/timesheets/{pk}/approve",
    "POST /api/v1/programs/{code}/schedule/compute",
}
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]
SCHEMA_URL = "/api/openapi.json"


@dataclass
class Run:
    """What one fuzz pass did: operations exercised, requests sent, first failure of
    each kind per operation."""

    exercised: set[str] = field(default_factory=set)
    requests: int = 0
    failures: dict[tuple[str, str], str] = field(default_factory=dict)

    def fail(self, label: str, kind: str, message: str) -> None:
        self.failures.setdefault((label, kind), message)

    def report(self) -> str:
        found = sorted(self.failures.items())
        return "\n\n".join(f"== {label}: {kind}\n{message}" for (label, kind), message in found)


def load_operations(app: InProcessApp) -> tuple[Any, list[Any]]:
    schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, app)
    operations = []
    for result in schema.get_all_operations():
        if isinstance(result, Err):  # an operation schemathesis cannot read fails the run
            raise result.err()
        operations.append(result.ok())
    return schema, operations


def operation_count(schema: Any) -> int:
    methods = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}
    return sum(len(methods & set(item)) for item in schema.raw_schema["paths"].values())


def steer(case: Any, data: Any, values: dict[str, list[Any]], share: int) -> None:
    """Replace generated path parameters by real ones, ``share`` times out of four."""
    if not case.path_parameters or data.draw(st.integers(0, 3), label="steer") >= share:
        return
    for name in list(case.path_parameters):
        if name in values:
            case.path_parameters[name] = data.draw(st.sampled_from(values[name]), label=name)


def fuzz_operation(
    operation: Any,
    send: Callable[[Any, Any], None],
    modes: tuple[GenerationMode, ...],
    examples: int,
) -> None:
    strategy = st.one_of(*(operation.as_strategy(generation_mode=mode) for mode in modes))

    @seed(SEED)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(case=strategy, data=st.data())
    def run(case: Any, data: Any) -> None:
        send(case, data)

    run()


def call(app: InProcessApp, case: Any, headers: dict[str, str]) -> Any:
    """One request inside a savepoint rolled back after it: every example sees the demo
    as loaded, whatever the one before changed or deleted."""
    with transaction.atomic():
        response = case.call(app=app, headers=headers)
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("identity", list(IDENTITIES))
def test_fuzz_every_operation(
    identity: str, fuzz_data: FuzzData, wsgi_app: InProcessApp, db: Any
) -> None:
    schema, operations = load_operations(wsgi_app)
    headers = {"Authorization": f"Bearer {fuzz_data.tokens[identity]}"}
    run = Run()
    started = time.perf_counter()

    for operation in operations:

        def send(case: Any, data: Any, operation: Any = operation) -> None:
            if case.meta is None or case.meta.generation.mode.is_positive:
                steer(case, data, fuzz_data.path_values, share=3)
            response = call(wsgi_app, case, headers)
            run.requests += 1
            run.exercised.add(operation.label)
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except FailureGroup as group:
                kinds = ", ".join(sorted({type(f).__name__ for f in group.exceptions}))
                extra = f"\n{wsgi_app.last_exception}" if response.status_code >= 500 else ""
                run.fail(operation.label, kinds, f"{group}{extra}")

        modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        examples = max(1, PER_IDENTITY // 4) if operation.label in EXPENSIVE else PER_IDENTITY
        fuzz_operation(operation, send, modes, examples)

    seconds = time.perf_counter() - started
    print(f"\n{identity}: {len(run.exercised)} operations, {run.requests} requests, {seconds:.0f}s")
    assert len(run.exercised) == len(operations) == operation_count(schema)
    assert not run.failures, f"{len(run.failures)} failures as {identity}:\n{run.report()}"


def test_no_operation_without_valid_credentials(
    fuzz_data: FuzzData, wsgi_app: InProcessApp, db: Any
) -> None:
    schema, operations = load_operations(wsgi_app)
    run = Run()
    for sent in ({}, {"Authorization": "Bearer pod_not-a-real-token"}):
        for operation in operations:

            def send(case: Any, data: Any, operation: Any = operation, headers: Any = sent) -> None:
                steer(case, data, fuzz_data.path_values, share=4)
                response = call(wsgi_app, case, headers)
                run.requests += 1
                run.exercised.add(operation.label)
                if response.status_code != 401:
                    sent = "bogus token" if headers else "no token"
                    run.fail(operation.label, sent, f"{response.status_code} {case.formatted_path}")

            fuzz_operation(operation, send, (GenerationMode.POSITIVE,), AUTH_EXAMPLES)

    assert len(run.exercised) == len(operations) == operation_count(schema)
    assert not run.failures, f"Accepted without valid credentials:\n{run.report()}"
