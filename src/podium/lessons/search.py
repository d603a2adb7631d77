"""Search of the lessons register across every program the user may see.

One interface, :func:`search_lessons`, over two full-text backends and an optional
semantic ranking:

- **SQLite**: the FTS5 table ``lessons_lesson_fts`` (porter stemming; kept current by
  triggers, see migration 0002), ranked by BM25 with the title and tags weighted most.
- **PostgreSQL**: ``to_tsvector('english', …)`` built from the columns at query time
  (weights A title/tags, B recommendation/root cause, C description), ranked by
  ``ts_rank``; django.contrib.postgres's expressions, no extra app needed.
- **Semantic**: when the embedding model is installed (:mod:`podium.lessons.semantic`),
  the cosine similarity of the query with each lesson's stored vector.

The words of the query are OR-ed (stop words dropped), so a long text — a risk's cause
and effect — finds the lessons sharing most of its vocabulary. The two rankings are
fused by reciprocal rank: ``score = Σ 1 / (K + rank)`` over the rankings a lesson appears
in (K = 60); without the model the order is the full-text order alone.

Visibility comes first: the candidate set is the lessons of
:func:`~podium.programs.permissions.visible_programs`, narrowed by the filters, and both
rankings run inside it — a user never finds a lesson of a program they cannot see.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Q, QuerySet

from podium.lessons import semantic
from podium.lessons.models import Lesson
from podium.programs.permissions import visible_programs

__all__ = [
    "Filters",
    "Hit",
    "fts_ranking",
    "lessons_visible",
    "narrow",
    "search_lessons",
    "terms",
]

RRF_K = 60
CANDIDATES = 200  # per ranking
MIN_SIMILARITY = 0.3  # cosine below this is not a semantic match
MAX_TERMS = 40

_STOP = frozenset(
    [
        "a",
        "about",
        "after",
        "again",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
    ]
)

_RELATED = ("program", "component", "session")


@dataclass(frozen=True)
class Filters:
    """Narrow the candidates. ``program``: a program code or id; ``exclude_program``: leave
    one program out (surfacing in another program); ``tags``: every tag must be present."""

    program: str | int | None = None
    exclude_program: int | None = None
    component: int | None = None
    category: str = ""
    domain: str = ""
    phase: str = ""
    adoption: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def of(cls, **values: Any) -> Filters:
        tags = values.pop("tags", ()) or ()
        if isinstance(tags, str):
            tags = tuple(t.strip().lower() for t in tags.split(",") if t.strip())
        clean = {k: v for k, v in values.items() if v not in (None, "")}
        return cls(tags=tuple(tags), **clean)


@dataclass(frozen=True)
class Hit:
    lesson: Lesson
    score: float  # fused score, higher is better (0 when listing without a query)
    text_rank: int | None = None  # 1-based position in the full-text ranking
    similarity: float | None = None  # cosine with the query, when the model is in use


def terms(query: str) -> list[str]:
    """The words the full-text query is made of: lower case, no stop words, no repeats."""
    words = re.findall(r"[^\W_]+", query.lower())
    out: dict[str, None] = {}
    for word in words:
        if len(word) > 1 and word not in _STOP:
            out.setdefault(word, None)
    return list(out)[:MAX_TERMS]


def lessons_visible(user: Any, filters: Filters | None = None) -> QuerySet[Lesson]:
    """The lessons ``user`` may see, narrowed by ``filters``."""
    return narrow(Lesson.objects.filter(program__in=visible_programs(user)), filters)


def narrow(qs: QuerySet[Lesson], filters: Filters | None) -> QuerySet[Lesson]:
    """``qs`` narrowed by ``filters``."""
    f = filters or Filters()
    if f.program is not None:
        if isinstance(f.program, int) or str(f.program).isdigit():
            qs = qs.filter(program_id=int(f.program))
        else:
            qs = qs.filter(program__code=str(f.program))
    if f.exclude_program is not None:
        qs = qs.exclude(program_id=f.exclude_program)
    if f.component is not None:
        qs = qs.filter(component_id=f.component)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.domain:
        qs = qs.filter(performance_domain=f.domain)
    if f.phase:
        qs = qs.filter(phase=f.phase)
    if f.adoption:
        qs = qs.filter(adoption=f.adoption)
    for tag in f.tags:
        # tags are stored "a, b, c": match a whole tag, not a part of one
        qs = qs.filter(
            Q(tags=tag)
            | Q(tags__startswith=f"{tag},")
            | Q(tags__endswith=f", {tag}")
            | Q(tags__contains=f", {tag},")
        )
    return qs


# -- full text ------------------------------------------------------------------------------


def _fts_sqlite(candidates: QuerySet[Lesson], words: list[str], limit: int) -> list[int]:
    match = " OR ".join(f'"{w}"' for w in words)
    inner, params = candidates.order_by().values("pk").query.sql_with_params()
    # ``inner`` is Django's own SQL for the visible candidates; the user's words are params
    sql = (
        "SELECT rowid FROM lessons_lesson_fts WHERE lessons_lesson_fts MATCH %s "  # noqa: S608
        f"AND rowid IN ({inner}) "
        "ORDER BY bm25(lessons_lesson_fts, 8.0, 2.0, 3.0, 3.0, 6.0) LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, *params, limit])
        return [row[0] for row in cursor.fetchall()]


def _fts_postgresql(candidates: QuerySet[Lesson], words: list[str], limit: int) -> list[int]:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    vector = (
        SearchVector("title", weight="A", config="english")
        + SearchVector("tags", weight="A", config="english")
        + SearchVector("recommendation", "root_cause", weight="B", config="english")
        + SearchVector("description", weight="C", config="english")
    )
    query = SearchQuery(" | ".join(words), search_type="raw", config="english")
    rows = (
        candidates.annotate(document=vector)
        .filter(document=query)
        .annotate(rank=SearchRank(vector, query))
        .order_by("-rank", "-pk")
        .values_list("pk", flat=True)[:limit]
    )
    return list(rows)


def _fts_plain(candidates: QuerySet[Lesson], words: list[str], limit: int) -> list[int]:
    """Other databases: lessons containing any word, most words first (no stemming)."""
    hits: dict[int, int] = {}
    for word in words:
        cond = Q(title__icontains=word) | Q(description__icontains=word) | Q(tags__icontains=word)
        for pk in candidates.filter(cond).values_list("pk", flat=True):
            hits[pk] = hits.get(pk, 0) + 1
    return sorted(hits, key=lambda pk: (-hits[pk], -pk))[:limit]


def fts_ranking(candidates: QuerySet[Lesson], query: str, limit: int = CANDIDATES) -> list[int]:
    """Lesson ids of ``candidates`` matching ``query``, best first (this database's
    full-text search)."""
    words = terms(query)
    if not words:
        return []
    if connection.vendor == "sqlite":
        return _fts_sqlite(candidates, words, limit)
    if connection.vendor == "postgresql":
        return _fts_postgresql(candidates, words, limit)
    return _fts_plain(candidates, words, limit)


# -- semantic -------------------------------------------------------------------------------


def _semantic_ranking(
    candidates: QuerySet[Lesson], query: str, limit: int = CANDIDATES
) -> list[tuple[int, float]]:
    """(lesson id, cosine) of the candidates closest to ``query``, best first; [] without
    the model."""
    qv = semantic.embed_one(query)
    if qv is None:
        return []
    rows = list(candidates.filter(embedding__isnull=False).values_list("pk", "embedding"))
    vectors: list[tuple[int, semantic.Vector]] = []
    for pk, raw in rows:
        vector = semantic.decode(raw)
        if vector is not None and vector.shape == qv.shape:
            vectors.append((pk, vector))
    if not vectors:
        return []
    matrix = np.vstack([v for _, v in vectors])
    sims = matrix @ qv
    order = np.argsort(-sims, kind="stable")
    out = []
    for i in order[:limit]:
        if sims[i] < MIN_SIMILARITY:
            break
        out.append((vectors[i][0], float(sims[i])))
    return out


def _fuse(rankings: Iterable[list[int]]) -> dict[int, float]:
    scores: dict[int, float] = {}
    for ranking in rankings:
        for position, pk in enumerate(ranking, start=1):
            scores[pk] = scores.get(pk, 0.0) + 1.0 / (RRF_K + position)
    return scores


def search_lessons(
    user: Any,
    query: str,
    *,
    filters: Filters | None = None,
    limit: int = 20,
    offset: int = 0,
    use_semantic: bool | None = None,
) -> list[Hit]:
    """The lessons ``user`` may see that match ``query``, best first.

    An empty query lists the filtered lessons, newest first. ``use_semantic``: None uses
    the embedding model when it is available, False forces full text only.
    """
    candidates = lessons_visible(user, filters)
    if not query.strip():
        page = candidates.select_related(*_RELATED).order_by("-created_at", "-pk")
        return [Hit(lesson, 0.0) for lesson in page[offset : offset + limit]]
    text = fts_ranking(candidates, query)
    near = _semantic_ranking(candidates, query) if use_semantic is not False else []
    scores = _fuse([text, [pk for pk, _ in near]])
    ordered = sorted(scores, key=lambda pk: (-scores[pk], pk))[offset : offset + limit]
    lessons = Lesson.objects.select_related(*_RELATED).in_bulk(ordered)
    text_pos = {pk: i for i, pk in enumerate(text, start=1)}
    sims = dict(near)
    return [
        Hit(lessons[pk], scores[pk], text_pos.get(pk), sims.get(pk))
        for pk in ordered
        if pk in lessons
    ]
