"""New template from a snapshot: ``VM.clone`` (fast, on the snapshot's SRs) or ``VM.copy``
(a full copy to a chosen SR). xapi makes the result a template by itself: a clone or
copy of a snapshot keeps ``is_a_template`` (xe snapshot-clone / snapshot-copy)."""

from __future__ import annotations

from dataclasses import dataclass

from ..model.cache import ObjectCache
from ..model.views import VM
from ..xapi.client import Connection
from .common import Done, Labels, ProgressCallback, Step, call_step, run_step, unique_name

__all__ = [
    "TemplateRequest",
    "TemplateResult",
    "create_template",
    "default_template_name",
    "template_names",
    "user_templates",
]


@dataclass(frozen=True)
class TemplateRequest:
    snapshot_ref: str
    name: str
    sr_ref: str | None = None  # None: a fast clone; else a full copy to this SR
    description: str = ""


@dataclass(frozen=True)
class TemplateResult:
    ref: str
    request: TemplateRequest


def user_templates(cache: ObjectCache) -> list[VM]:
    """Templates people made (not the ones xapi ships), by name."""
    found = [vm for vm in VM.all(cache)
             if vm.is_a_template and not vm.is_a_snapshot and not vm.is_control_domain
             and not vm.rec.get("is_default_template")
             and vm.other_config.get("default_template") != "true"]
    return sorted(found, key=lambda vm: (vm.name_label.casefold(), vm.ref))


def template_names(cache: ObjectCache) -> set[str]:
    return {vm.name_label for vm in VM.all(cache) if vm.is_a_template and not vm.is_a_snapshot}


def default_template_name(cache: ObjectCache, base: str) -> str:
    """``base`` (e.g. "Template from snapshot 'x'") made unique among the pool's templates."""
    return unique_name(base, template_names(cache))


async def create_template(conn: Connection, request: TemplateRequest, *,
                          progress: ProgressCallback | None = None,
                          labels: Labels | None = None) -> TemplateResult:
    """Clone or copy; cancelling cancels the server task (nothing is made).

    Raises StepFailed: at CLONE/COPY nothing changed; at DESCRIBE the template
    exists (named in ``done``) without the description.
    """
    snapshot = request.snapshot_ref
    if request.sr_ref is None:
        step = Step.CLONE
        ref = await run_step(conn, step, "VM.clone", snapshot, request.name, progress=progress,
                             applies_to=snapshot, labels=labels)
    else:
        step = Step.COPY
        ref = await run_step(conn, step, "VM.copy", snapshot, request.name, request.sr_ref,
                             progress=progress, applies_to=snapshot, labels=labels)
    ref = str(ref)
    if request.description:
        await call_step(conn, Step.DESCRIBE, "VM.set_name_description", ref,
                        request.description, done=[Done(step, ref, request.name)])
    return TemplateResult(ref, request)
