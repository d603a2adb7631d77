"""Search relevance on the labelled set: precision at 5 for full text alone and for the
hybrid ranking (full text fused with the embedding model's similarity).

precision@5 of a query = relevant lessons among the first five / min(5, relevant ones),
averaged over the queries (so a query with one relevant lesson scores 1 when it is in
the first five). The strict form (divided by 5 always) is printed too.
"""

from __future__ import annotations

from typing import Any

import pytest

from podium.lessons import semantic
from podium.lessons.search import search_lessons
from tests.conftest import World
from tests.lessons.conftest import load_relevance_set
from tests.lessons.relevance_set import QUERIES

FLOOR = 0.5


def _precision(world: World, *, use_semantic: bool) -> tuple[float, float, list[str]]:
    labelled = load_relevance_set(world.admin)
    key_of = {lesson.pk: key for key, lesson in labelled.keys.items()}
    capped, strict, misses = [], [], []
    for query, relevant in QUERIES:
        hits = search_lessons(world.admin, query, limit=5, use_semantic=use_semantic)
        found = [key_of.get(h.lesson.pk, "?") for h in hits]
        good = len(relevant & set(found))
        capped.append(good / min(5, len(relevant)))
        strict.append(good / 5)
        if good < len(relevant):
            misses.append(f"{query[:40]}… → {found}, wanted {sorted(relevant)}")
    return sum(capped) / len(capped), sum(strict) / len(strict), misses


def test_precision_at_5_full_text(world: World, no_model: Any, record_property: Any) -> None:
    capped, strict, misses = _precision(world, use_semantic=False)
    print(f"\nprecision@5 full text: {capped:.2f} (strict {strict:.2f})")
    for miss in misses:
        print("  miss:", miss)
    record_property("precision_at_5_fts", round(capped, 3))
    assert capped >= FLOOR


def test_precision_at_5_hybrid(world: World, record_property: Any) -> None:
    if not semantic.available():
        pytest.fail("the embedding model (wordllama, dev extra) should be installed here")
    capped, strict, misses = _precision(world, use_semantic=True)
    print(f"\nprecision@5 hybrid: {capped:.2f} (strict {strict:.2f})")
    for miss in misses:
        print("  miss:", miss)
    record_property("precision_at_5_hybrid", round(capped, 3))
    assert capped >= FLOOR
