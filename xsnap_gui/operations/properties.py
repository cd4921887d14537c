"""Snapshot properties: name, description and tags, saving only what changed.

Tags go through ``VM.add_tags`` / ``VM.remove_tags`` one by one, so a tag
someone else added meanwhile is not wiped out by writing the whole list back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..model.cache import ObjectCache
from ..model.views import VM
from ..xapi.client import Connection
from .common import Done, Step, call_step

__all__ = ["Properties", "PropertyChanges", "diff_properties", "parse_tags", "save_properties"]


@dataclass(frozen=True)
class Properties:
    name: str
    description: str
    tags: tuple[str, ...]

    @classmethod
    def of(cls, cache: ObjectCache, ref: str) -> Properties | None:
        vm = VM.get(cache, ref)
        if vm is None:
            return None
        return cls(vm.name_label, vm.name_description, tuple(vm.tags))


@dataclass(frozen=True)
class PropertyChanges:
    name: str | None = None  # None: unchanged
    description: str | None = None
    add_tags: tuple[str, ...] = field(default_factory=tuple)
    remove_tags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        return (self.name is None and self.description is None and not self.add_tags
                and not self.remove_tags)


def parse_tags(text: str) -> tuple[str, ...]:
    """Comma-separated tags, trimmed, empty ones dropped, first spelling of each kept."""
    seen: dict[str, None] = {}
    for part in text.split(","):
        tag = part.strip()
        if tag:
            seen.setdefault(tag)
    return tuple(seen)


def diff_properties(old: Properties, new: Properties) -> PropertyChanges:
    def unique(tags: Iterable[str]) -> list[str]:
        return list(dict.fromkeys(tags))

    old_tags, new_tags = unique(old.tags), unique(new.tags)
    return PropertyChanges(
        name=new.name if new.name != old.name else None,
        description=new.description if new.description != old.description else None,
        add_tags=tuple(t for t in new_tags if t not in old_tags),
        remove_tags=tuple(t for t in old_tags if t not in new_tags),
    )


async def save_properties(conn: Connection, ref: str,
                          changes: PropertyChanges) -> tuple[Done, ...]:
    """Apply the changes; raises StepFailed naming the changes already saved."""
    done: list[Done] = []
    if changes.name is not None:
        await call_step(conn, Step.RENAME, "VM.set_name_label", ref, changes.name, done=done)
        done.append(Done(Step.RENAME, ref, changes.name))
    if changes.description is not None:
        await call_step(conn, Step.DESCRIBE, "VM.set_name_description", ref,
                        changes.description, done=done)
        done.append(Done(Step.DESCRIBE, ref, changes.description))
    steps: Sequence[tuple[Step, str, tuple[str, ...]]] = (
        (Step.REMOVE_TAG, "VM.remove_tags", changes.remove_tags),
        (Step.ADD_TAG, "VM.add_tags", changes.add_tags),
    )
    for step, method, tags in steps:
        for tag in tags:
            await call_step(conn, step, method, ref, tag, done=done)
            done.append(Done(step, ref, tag))
    return tuple(done)
