"""Topological order of an integer-indexed graph (Kahn's algorithm) and cycle reporting.

Examples
--------
>>> topological_order(3, [0, 1], [1, 2], ["A", "B", "C"])
[0, 1, 2]
>>> topological_order(2, [0, 1], [1, 0], ["A", "B"])
Traceback (most recent call last):
...
podium.engine.errors.CycleError: cycle in the network: A -> B -> A
"""

from __future__ import annotations

from collections.abc import Sequence

from podium.engine.errors import CycleError

__all__ = ["find_cycle", "topological_order"]


def topological_order(
    n: int, src: Sequence[int], dst: Sequence[int], ids: Sequence[str]
) -> list[int]:
    """Return nodes ``0..n-1`` so that every edge ``src[k] -> dst[k]`` goes forward.

    Kahn's algorithm: repeatedly emit a node without unprocessed predecessors.
    :math:`O(n + m)`.

    Raises
    ------
    CycleError
        Naming the activities (``ids``) on one cycle.
    """
    succs: list[list[int]] = [[] for _ in range(n)]
    indeg = [0] * n
    for p, s in zip(src, dst, strict=True):
        succs[p].append(s)
        indeg[s] += 1
    order = [i for i in range(n) if indeg[i] == 0]
    head = 0
    while head < len(order):
        for s in succs[order[head]]:
            indeg[s] -= 1
            if indeg[s] == 0:
                order.append(s)
        head += 1
    if len(order) < n:
        cycle = find_cycle(n, src, dst, [d > 0 for d in indeg])
        raise CycleError([ids[i] for i in cycle])
    return order


def find_cycle(
    n: int, src: Sequence[int], dst: Sequence[int], remaining: Sequence[bool]
) -> list[int]:
    """One cycle among the ``remaining`` nodes, in edge direction.

    After Kahn's algorithm stops, every remaining node still has a remaining
    predecessor, so walking predecessors must revisit a node; the walk between the two
    visits is a cycle.
    """
    pred: dict[int, int] = {}
    for p, s in zip(src, dst, strict=True):
        if remaining[p] and remaining[s] and s not in pred:
            pred[s] = p
    start = next(i for i in range(n) if remaining[i])
    seen: dict[int, int] = {}
    path: list[int] = []
    u = start
    while u not in seen:
        seen[u] = len(path)
        path.append(u)
        u = pred[u]
    cycle = path[seen[u] :]
    cycle.reverse()  # we walked against the edges
    k = cycle.index(min(cycle))  # start at the lowest index, for stable messages
    return cycle[k:] + cycle[:k]
