"""Measuring a rejection: wall time, memory growth, and whether anything connected out."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

MAX_SECONDS = 1.0
MAX_GROWTH_MB = 50.0


@dataclass
class Figures:
    seconds: float
    peak_mb: float
    result: Any = None
    error: BaseException | None = None

    def within_bounds(self) -> bool:
        return self.seconds < MAX_SECONDS and self.peak_mb < MAX_GROWTH_MB

    def __str__(self) -> str:
        return f"{self.seconds * 1000:.0f} ms, {self.peak_mb:.1f} MB"


def measure(reject: Callable[[], Any], *, repeat_memory: bool = True) -> Figures:
    """Run ``reject`` twice: under tracemalloc for the peak of memory it allocates, then
    timed with ``perf_counter`` (tracemalloc slows allocation-heavy code several times,
    and the first run also pays for imports). An exception is kept, not raised."""
    peak = 0.0
    if repeat_memory:
        tracemalloc.start()
        try:
            tracemalloc.reset_peak()
            base = tracemalloc.get_traced_memory()[0]
            with contextlib.suppress(Exception):  # the timed run below reports it
                reject()
            peak = (tracemalloc.get_traced_memory()[1] - base) / 2**20
        finally:
            tracemalloc.stop()
    started = time.perf_counter()
    result: Any = None
    error: BaseException | None = None
    try:
        result = reject()
    except Exception as exc:
        error = exc
    return Figures(time.perf_counter() - started, peak, result, error)


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it accepts."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.05)
        self.port: int = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        time.sleep(0.1)  # let a late connection land before counting
        self._stop.set()
        self._thread.join()
        self.sock.close()


@contextmanager
def listener() -> Iterator[Listener]:
    got = Listener()
    got._thread.start()
    try:
        yield got
    finally:
        got.close()


def write_figures(entry: str, case: str, seconds: float, memory_mb: float) -> None:
    """Append one refusal's figures to $HOSTILE_FIGURES_OUT, when set (for reports)."""
    target = os.environ.get("HOSTILE_FIGURES_OUT")
    if target:
        with open(target, "a", encoding="utf-8") as out:
            out.write(f"{entry}\t{case}\t{seconds * 1000:.1f}\t{memory_mb:.2f}\n")
