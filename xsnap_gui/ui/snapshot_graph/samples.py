"""Deterministic snapshot trees shaped like real VM histories (Qt-free).

Used by the graph's tests, its benchmark and ``python -m xsnap_gui.ui.snapshot_graph``
so that all three look at the same kinds of trees: long chains, reverts that leave
dead branches behind, checkpoints, scheduled snapshots and the odd orphan.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from .layout import BASE, DISK, DISK_AND_MEMORY, NOW, SCHEDULED, GraphNode

START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
REVERT_CHANCE = 0.15
CHECKPOINT_CHANCE = 0.2
SCHEDULED_CHANCE = 0.25
NAMES = ("before upgrade", "nightly", "pre-patch", "clean install", "kernel 6.8 test",
         "db migration step", "after hotfix", "config change", "release candidate")


def base_node(vm_name: str = "web-frontend-01") -> GraphNode:
    return GraphNode(BASE, None, vm_name, None, BASE, tooltip=vm_name)


def now_node(parent: str | None, when: datetime) -> GraphNode:
    return GraphNode(NOW, parent, "Now", when, NOW)


def chain(depth: int, *, gap: timedelta = timedelta(days=1)) -> list[GraphNode]:
    """Base, ``depth`` snapshots one after another, then Now."""
    nodes = [base_node("deep-chain-vm")]
    parent = BASE
    when = START
    for i in range(depth):
        key = f"OpaqueRef:chain-{i:04d}"
        nodes.append(GraphNode(key, parent, f"daily {i + 1}", when, SCHEDULED))
        parent = key
        when += gap
    nodes.append(now_node(parent, when))
    return nodes


def history(count: int, *, seed: int = 1, thumbnail: bytes | None = None,
            orphans: int = 0) -> list[GraphNode]:
    """Base, ``count`` snapshots taken over time with occasional reverts, then Now.

    ``orphans`` extra snapshots have no parent, as when the snapshot they were taken
    from is gone from the pool's view.
    """
    rng = random.Random(seed)
    nodes = [base_node()]
    taken: list[str] = []
    current = BASE
    when = START
    for i in range(count):
        if taken and rng.random() < REVERT_CHANCE:
            # Operators mostly go back a few steps, now and then to an old golden image.
            back = min(len(taken), 1 + int(rng.expovariate(0.3)))
            current = taken[-back]
        when += timedelta(minutes=rng.choice((20, 45, 90, 180, 600, 1440, 2900)))
        roll = rng.random()
        if roll < CHECKPOINT_CHANCE:
            kind = DISK_AND_MEMORY
        elif roll < CHECKPOINT_CHANCE + SCHEDULED_CHANCE:
            kind = SCHEDULED
        else:
            kind = DISK
        key = f"OpaqueRef:snap-{i:05d}"
        name = (f"daily-{when:%Y%m%d-%H%M}" if kind == SCHEDULED
                else f"{rng.choice(NAMES)} #{i + 1}")
        shot = thumbnail if kind == DISK_AND_MEMORY and rng.random() < 0.5 else None
        nodes.append(GraphNode(key, current, name, when, kind, thumbnail=shot))
        taken.append(key)
        current = key
    for i in range(orphans):
        when_orphan = START + timedelta(hours=7 * (i + 1))
        nodes.append(GraphNode(f"OpaqueRef:orphan-{i:03d}", None, f"imported {i + 1}",
                               when_orphan, DISK))
    nodes.append(now_node(current, when + timedelta(hours=3)))
    return nodes
