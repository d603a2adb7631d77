"""Optimistic concurrency: of two writers holding the same version, exactly one wins."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import close_old_connections

from podium.core.errors import VersionConflict
from podium.programs import services
from podium.programs.models import Program
from tests.conftest import World


def test_stale_write_is_refused_and_changes_nothing(world: World) -> None:
    services.update_program(actor=world.pm, program=world.alpha, expected_version=1, name="First")
    with pytest.raises(VersionConflict) as err:
        services.update_program(
            actor=world.pm, program=world.alpha, expected_version=1, name="Second"
        )
    assert err.value.current_version == 2
    assert Program.objects.get(pk=world.alpha.pk).name == "First"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_stale_writes_exactly_one_succeeds(world: World) -> None:
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def writer(name: str) -> None:
        try:
            program = Program.objects.get(pk=world.alpha.pk)
            barrier.wait(timeout=10)
            services.update_program(actor=world.pm, program=program, expected_version=1, name=name)
            outcomes.append(f"ok:{name}")
        except VersionConflict:
            outcomes.append("conflict")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("Left", "Right")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(o.split(":")[0] for o in outcomes) == ["conflict", "ok"]
    winner = next(o.split(":")[1] for o in outcomes if o.startswith("ok"))
    stored = Program.objects.get(pk=world.alpha.pk)
    assert stored.name == winner and stored.version == 2


def test_api_stale_if_match_gets_412_and_object_is_unchanged(world: World, api_as: Any) -> None:
    client = api_as(world.pm)
    first = client.get("/programs/ALPHA")
    etag = first["ETag"]
    assert etag == '"1"'
    ok = client.patch("/programs/ALPHA", {"name": "Renamed"}, **{"If-Match": etag})
    assert ok.status_code == 200 and ok["ETag"] == '"2"'

    stale = client.patch("/programs/ALPHA", {"name": "Overwritten"}, **{"If-Match": etag})

    assert stale.status_code == 412
    assert stale.json()["current_version"] == 2
    assert stale["ETag"] == '"2"'
    assert client.get("/programs/ALPHA").json()["name"] == "Renamed"
    history = client.get("/programs/ALPHA/history").json()["items"]
    update = next(h for h in history if h["action"] == "update")
    assert update["user"] == "pm"
    assert update["before"]["name"] == "Alpha program" and update["after"]["name"] == "Renamed"


def test_version_in_body_works_like_if_match(world: World, api_as: Any) -> None:
    client = api_as(world.cm)
    response = client.patch(f"/components/{world.comp.pk}", {"description": "x", "version": 7})
    assert response.status_code == 412
    assert response.json()["current_version"] == 1


def test_garbage_if_match_is_refused(world: World, api_as: Any) -> None:
    response = api_as(world.pm).patch("/programs/ALPHA", {"name": "N"}, **{"If-Match": "abc"})
    assert response.status_code == 412
