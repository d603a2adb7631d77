"""Exit 0 when the PostgreSQL server named by a database URL answers, 1 otherwise.

Used by ``make test`` to decide whether to run the suite again on PostgreSQL.
"""

from __future__ import annotations

import sys


def reachable(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url.replace("postgres://", "postgresql://", 1), connect_timeout=3):
            return True
    except psycopg.Error:
        return False


if __name__ == "__main__":
    sys.exit(0 if reachable(sys.argv[1]) else 1)
