"""No lost updates: concurrent read-modify-write edits of one object through the API
of a real server process (``podium serve``), on SQLite and on PostgreSQL.

16 clients (threads, each with its own keep-alive connection) each make 50 edits of one
component's description: read it (GET, ETag), append a token of their own, write it back
(PATCH with If-Match). A stale write must be refused with 409/412 and is then re-read
and retried. At the end the description holds every token exactly once, the version went
up once per accepted write, the audit trail has one update record per accepted write,
and no request got a server error (on SQLite, "database is locked" would surface as a
500).
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Iterator

import pytest

from tests.reliability.harness import Instance, Server

# one worker runs them all: they share one server installation per database
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("reliability")]

CLIENTS = 16
EDITS = 50


@pytest.fixture
def server(instance: Instance) -> Iterator[Server]:
    srv = Server(instance, threads=16)
    try:
        yield srv
    finally:
        srv.stop()


def test_concurrent_edits_lose_nothing(instance: Instance, server: Server) -> None:
    admin = server.client()
    code = f"LU{instance.backend[:2].upper()}"
    answer = admin.api("POST", "/programs", {"code": code, "name": "Lost updates"})
    assert answer.status == 201, answer.body
    answer = admin.api("POST", f"/programs/{code}/components", {"code": "HOT", "name": "Contended"})
    assert answer.status == 201, answer.body
    component = answer.json()
    path = f"/components/{component['id']}"

    statuses: Counter[int] = Counter()
    refusals: Counter[int] = Counter()
    written: list[str] = []
    failures: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(CLIENTS)

    def client(n: int) -> None:
        http = server.client()
        rng = random.Random(n)
        start.wait()
        try:
            for edit in range(EDITS):
                token = f"c{n:02d}e{edit:02d}"
                for attempt in range(1000):
                    read = http.api("GET", path)
                    with lock:
                        statuses[read.status] += 1
                    if read.status != 200:
                        raise AssertionError(f"GET {path}: {read.status} {read.body[:300]!r}")
                    text = read.json()["description"]
                    write = http.api(
                        "PATCH", path, {"description": f"{text} {token}".strip()},
                        **{"If-Match": read.etag},
                    )  # fmt: skip
                    with lock:
                        statuses[write.status] += 1
                    if write.status == 200:
                        with lock:
                            written.append(token)
                        break
                    if write.status in (409, 412):
                        with lock:
                            refusals[write.status] += 1
                        # back off (randomly, longer after each refusal), then retry
                        time.sleep(rng.uniform(0, min(0.2, 0.01 * 2 ** min(attempt, 8))))
                        continue
                    raise AssertionError(f"PATCH {path}: {write.status} {write.body[:300]!r}")
                else:
                    raise AssertionError(f"{token} never got written")
        except Exception as exc:
            with lock:
                failures.append(f"client {n}: {exc}")
        finally:
            http.close()

    began = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.monotonic() - began

    final = admin.api("GET", path).json()
    tokens = final["description"].split()
    audited = instance.value(
        "SELECT count(*) FROM core_auditrecord WHERE object_type = 'programs.component'"
        " AND object_id = %s AND action = 'update'",
        [str(component["id"])],
    )
    print(
        f"\n[{instance.backend}] {CLIENTS} clients x {EDITS} edits: {len(written)} writes "
        f"accepted, {sum(refusals.values())} stale writes refused {dict(refusals)}, "
        f"statuses {dict(statuses)}, {seconds:.1f} s"
    )
    assert failures == []
    assert len(written) == CLIENTS * EDITS
    assert sorted(tokens) == sorted(written)  # every accepted write is there, once
    assert final["version"] == 1 + len(written)
    assert audited == len(written)
    assert not [s for s in statuses if s >= 500]
    assert set(statuses) <= {200, 409, 412}
