"""The one way operation errors are shown: what failed, the readable message from xapi's
error catalogue, the XAPI code and its parameters, what had already changed, the VM's
state now, and what the user can do about it."""

from __future__ import annotations

import errno
import html
from dataclasses import dataclass, field

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from ...operations.common import Done, Step, StepFailed
from ...xapi.datamodel import load as load_datamodel
from ...xapi.errors import (
    ConnectionFailed,
    ExportError,
    PermissionDenied,
    TaskCancelled,
    XapiError,
)
from ..actions import roles_with
from ..i18n import translate
from ..snapshot_format import power_state_text

ERROR_DIALOG_NAME = "operationErrorDialog"



_STEP_FAILED = {
    Step.SNAPSHOT: QT_TRANSLATE_NOOP("OperationErrors", "Taking the snapshot failed."),
    Step.CHECKPOINT: QT_TRANSLATE_NOOP(
        "OperationErrors", "Taking the snapshot with memory failed."
    ),
    Step.DESCRIBE: QT_TRANSLATE_NOOP("OperationErrors", "Setting the description failed."),
    Step.REVERT: QT_TRANSLATE_NOOP("OperationErrors", "Reverting to the snapshot failed."),
    Step.START: QT_TRANSLATE_NOOP("OperationErrors", "Starting the VM failed."),
    Step.RESUME: QT_TRANSLATE_NOOP("OperationErrors", "Resuming the VM failed."),
    Step.CLONE: QT_TRANSLATE_NOOP("OperationErrors", "Cloning the snapshot failed."),
    Step.COPY: QT_TRANSLATE_NOOP("OperationErrors", "Copying the snapshot failed."),
    Step.PROVISION: QT_TRANSLATE_NOOP("OperationErrors", "Provisioning the new VM failed."),
    Step.MAKE_VM: QT_TRANSLATE_NOOP("OperationErrors", "Turning the copy into a VM failed."),
    Step.DESTROY_DISK: QT_TRANSLATE_NOOP("OperationErrors", "Deleting a disk failed."),
    Step.DESTROY_RECORD: QT_TRANSLATE_NOOP(
        "OperationErrors", "Deleting the snapshot record failed."
    ),
    Step.EXPORT: QT_TRANSLATE_NOOP("OperationErrors", "The export failed."),
    Step.RENAME: QT_TRANSLATE_NOOP("OperationErrors", "Renaming failed."),
    Step.ADD_TAG: QT_TRANSLATE_NOOP("OperationErrors", "Adding a tag failed."),
    Step.REMOVE_TAG: QT_TRANSLATE_NOOP("OperationErrors", "Removing a tag failed."),
}

_DONE = {
    Step.SNAPSHOT: QT_TRANSLATE_NOOP("OperationErrors", "Snapshot “%1” was taken."),
    Step.CHECKPOINT: QT_TRANSLATE_NOOP("OperationErrors", "Snapshot “%1” (with memory) was taken."),
    Step.DESCRIBE: QT_TRANSLATE_NOOP("OperationErrors", "The description was set."),
    Step.REVERT: QT_TRANSLATE_NOOP("OperationErrors", "The VM was reverted to the snapshot."),
    Step.START: QT_TRANSLATE_NOOP("OperationErrors", "The VM was started."),
    Step.RESUME: QT_TRANSLATE_NOOP("OperationErrors", "The VM was resumed."),
    Step.CLONE: QT_TRANSLATE_NOOP("OperationErrors", "“%1” was created (as a template)."),
    Step.COPY: QT_TRANSLATE_NOOP("OperationErrors", "“%1” was created (as a template)."),
    Step.PROVISION: QT_TRANSLATE_NOOP("OperationErrors", "It was provisioned as a VM."),
    Step.MAKE_VM: QT_TRANSLATE_NOOP("OperationErrors", "It was made a VM."),
    Step.DESTROY_DISK: QT_TRANSLATE_NOOP("OperationErrors", "Disk “%1” was deleted."),
    Step.DESTROY_RECORD: QT_TRANSLATE_NOOP("OperationErrors", "The snapshot record was deleted."),
    Step.EXPORT: QT_TRANSLATE_NOOP("OperationErrors", "The file was written."),
    Step.RENAME: QT_TRANSLATE_NOOP("OperationErrors", "The name was changed to “%1”."),
    Step.ADD_TAG: QT_TRANSLATE_NOOP("OperationErrors", "Tag “%1” was added."),
    Step.REMOVE_TAG: QT_TRANSLATE_NOOP("OperationErrors", "Tag “%1” was removed."),
}

_ADVICE = {
    "SR_FULL": QT_TRANSLATE_NOOP(
        "OperationErrors", "Free space on the storage repository: delete snapshots you no longer "
        "need (space returns once the storage has coalesced), move disks to another SR, "
        "or choose another SR."),
    "SR_BACKEND_FAILURE_44": QT_TRANSLATE_NOOP(
        "OperationErrors", "The SR ran out of space. Delete snapshots you no longer need, wait for "
        "the storage to coalesce, and try again."),
    "SR_BACKEND_FAILURE_109": QT_TRANSLATE_NOOP(
        "OperationErrors", "The snapshot chain is too long. Delete some of this VM's snapshots and "
        "wait for the storage to coalesce before taking another."),
    "VM_BAD_POWER_STATE": QT_TRANSLATE_NOOP(
        "OperationErrors", "The VM is not in a power state that allows this. Change its power "
        "state, or wait for the operation that is changing it, then try again."),
    "OTHER_OPERATION_IN_PROGRESS": QT_TRANSLATE_NOOP(
        "OperationErrors", "Another operation is running on this object. Wait for it to finish "
        "(see the Tasks panel), then try again."),
    "OPERATION_NOT_ALLOWED": QT_TRANSLATE_NOOP(
        "OperationErrors", "The pool does not allow this operation on this object now. Check its "
        "power state and the operations running on it."),
    "OPERATION_BLOCKED": QT_TRANSLATE_NOOP(
        "OperationErrors", "An administrator has blocked this operation on the VM "
        "(blocked_operations). Ask them to unblock it."),
    "SESSION_INVALID": QT_TRANSLATE_NOOP(
        "OperationErrors", "The session has expired. The application reconnects by itself; try "
        "again once the pool shows as connected."),
    "HANDLE_INVALID": QT_TRANSLATE_NOOP(
        "OperationErrors", "The object no longer exists: it may have been deleted elsewhere. The "
        "view updates by itself."),
    "TASK_CANCELLED": QT_TRANSLATE_NOOP(
        "OperationErrors", "The task was cancelled, from the Tasks panel or by another client."),
    "HOST_NOT_ENOUGH_FREE_MEMORY": QT_TRANSLATE_NOOP(
        "OperationErrors", "Start the VM on another host, or free memory on this one by shutting "
        "down or moving other VMs."),
    "VM_CHECKPOINT_SUSPEND_FAILED": QT_TRANSLATE_NOOP(
        "OperationErrors", "The VM could not be suspended to save its memory. Take a disk-only "
        "snapshot instead, or check the VM's guest tools."),
    "VM_CHECKPOINT_RESUME_FAILED": QT_TRANSLATE_NOOP(
        "OperationErrors", "The snapshot was taken but the VM could not be resumed afterwards. "
        "Resume or start it from its host."),
    "VM_REVERT_FAILED": QT_TRANSLATE_NOOP(
        "OperationErrors", "The revert failed and xapi left the VM halted. Check the storage, then "
        "revert again or start the VM as it is."),
    "LICENCE_RESTRICTION": QT_TRANSLATE_NOOP(
        "OperationErrors", "This feature is not licensed on this pool."),
    "VDI_IN_USE": QT_TRANSLATE_NOOP(
        "OperationErrors", "The disk is in use by a running VM. Shut it down or detach the disk."),
    "VM_NO_SUSPEND_SR": QT_TRANSLATE_NOOP(
        "OperationErrors", "Set a suspend SR for the pool or the VM's host, or take a disk-only "
        "snapshot."),
}


@dataclass
class ErrorReport:
    """An error as the user reads it."""

    headline: str  # what failed, e.g. "Starting the VM failed."
    message: str  # the readable cause
    advice: str  # what the user can do
    code: str | None = None  # the XAPI code, when the server gave one
    params: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # what had already happened
    state: str = ""  # "The VM is now Halted." when known

    @property
    def code_line(self) -> str:
        if self.code is None:
            return ""
        return f"{self.code} [{', '.join(self.params)}]"

    def plain(self) -> str:
        """One paragraph per part, for summaries and logs."""
        parts = [self.headline, self.message]
        if self.code is not None:
            parts.append(translate("OperationErrors",
                                   "XAPI error: %1").replace("%1", self.code_line))
        if self.changed:
            parts.append(translate("OperationErrors",
                                   "Already done: %1").replace("%1", " ".join(self.changed)))
        if self.state:
            parts.append(self.state)
        if self.advice:
            parts.append(self.advice)
        return "\n".join(parts)


def step_failed_text(step: Step) -> str:
    return translate("OperationErrors", str(_STEP_FAILED[step]))


def done_text(done: Done) -> str:
    return translate("OperationErrors", str(_DONE[done.step])).replace("%1", done.detail)


def _rbac_advice(error: PermissionDenied) -> str:
    text = translate("OperationErrors",
                     "Your role does not allow this. Ask a pool administrator for a role that "
                     "does, or connect as another user.")
    roles = roles_with(error.permission.lower())
    if roles:
        text += " " + translate("OperationErrors",
                                "Roles allowed: %1.").replace("%1", ", ".join(roles))
    return text


def advice_for(error: BaseException) -> str:
    if isinstance(error, PermissionDenied):
        return _rbac_advice(error)
    if isinstance(error, XapiError):
        text = _ADVICE.get(error.code)
        if text is not None:
            return translate("OperationErrors", str(text))
        if error.code.startswith("SR_BACKEND_FAILURE"):
            return translate("OperationErrors",
                             "The storage backend reported a failure. Check the SR's health "
                             "on the host, then try again.")
        return translate("OperationErrors",
                         "Try again. If it keeps failing, the XAPI code and parameters below "
                         "tell your administrator (or a bug report) exactly what the pool said.")
    if isinstance(error, ConnectionFailed):
        return translate("OperationErrors",
                         "Check the network connection to the pool. The application reconnects "
                         "by itself; try again once the pool shows as connected.")
    if isinstance(error, ExportError):
        return translate("OperationErrors",
                         "The export stream was damaged on its way. No file was kept. Try "
                         "again.")
    if isinstance(error, FileExistsError):
        return translate("OperationErrors",
                         "Choose another file name, or agree to replace the file.")
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return translate("OperationErrors",
                         "The local disk is full. No file was kept. Free space or choose "
                         "another folder.")
    if isinstance(error, OSError):
        return translate("OperationErrors",
                         "Check that the folder exists and that you may write to it.")
    return ""


def _message_of(error: BaseException) -> str:
    if isinstance(error, TaskCancelled):
        return translate("OperationErrors", "The task was cancelled.")
    if isinstance(error, XapiError):
        return error.message
    if isinstance(error, ConnectionFailed):
        return str(error)
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error)


def describe_error(error: BaseException, headline: str | None = None) -> ErrorReport:
    """The report of ``error``; a StepFailed says which step failed and what changed."""
    changed: list[str] = []
    state = ""
    cause: BaseException = error
    if isinstance(error, StepFailed):
        cause = error.cause
        headline = headline or step_failed_text(error.step)
        changed = [done_text(d) for d in error.done]
        if changed:
            changed.append(translate("OperationErrors", "Nothing was undone."))
        if error.vm_power_state:
            state = translate("OperationErrors", "The VM is now %1.").replace("%1",
                                                     power_state_text(error.vm_power_state))
    elif headline is None:
        headline = translate("OperationErrors", "The operation failed.")
    report = ErrorReport(headline, _message_of(cause), advice_for(cause), changed=changed,
                         state=state)
    if isinstance(cause, XapiError):
        report.code = cause.code
        report.params = list(cause.params)
    return report


def _html(report: ErrorReport) -> tuple[str, str]:
    """(what failed and why, what changed and what to do) as rich text."""
    text = f"<p><b>{html.escape(report.headline)}</b></p><p>{html.escape(report.message)}</p>"
    return text, details_html(report)


def details_html(report: ErrorReport) -> str:
    """What changed, the VM's state, what to do and the XAPI code, one paragraph each."""
    info = []
    if report.changed:
        info.append("<p>" + html.escape(" ".join(report.changed)) + "</p>")
    if report.state:
        info.append(f"<p><b>{html.escape(report.state)}</b></p>")
    if report.advice:
        info.append("<p><b>" + html.escape(translate("OperationErrors",
                                                     "What you can do:")) + "</b> "
                    + html.escape(report.advice) + "</p>")
    if report.code is not None:
        info.append("<p style='color: palette(placeholder-text)'>"
                    + html.escape(translate("OperationErrors",
                                            "XAPI error: %1").replace("%1", report.code_line))
                    + "</p>")
    return "".join(info)


def report_html(report: ErrorReport, title: str = "") -> str:
    """The whole report as rich text, under an optional bold title."""
    head = f"<p><b>{html.escape(title)}</b></p>" if title else ""
    return (f"{head}<p>{html.escape(report.headline)} {html.escape(report.message)}</p>"
            f"{details_html(report)}")


def error_dialog(parent: QWidget | None, title: str, report: ErrorReport) -> QMessageBox:
    """A non-modal message box showing ``report``; call ``open()`` on it."""
    box = QMessageBox(parent)
    box.setObjectName(ERROR_DIALOG_NAME)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.RichText)
    text, info = _html(report)
    box.setText(text)
    box.setInformativeText(info)
    if report.code is not None:
        named = _named_params(report.code, report.params)
        box.setDetailedText("\n".join([report.code, *named]))
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return box


def _named_params(code: str, params: list[str]) -> list[str]:
    known = load_datamodel().errors.get(code)
    names = list(known.params or ()) if known is not None else []
    lines = []
    for i, value in enumerate(params):
        name = names[i] if i < len(names) else f"#{i + 1}"
        lines.append(f"  {name}: {value}")
    return lines


def present_error(parent: QWidget | None, title: str, error: BaseException,
                  headline: str | None = None) -> QMessageBox:
    """Show ``error`` the one consistent way; returns the (opened) message box."""
    box = error_dialog(parent, title, describe_error(error, headline))
    box.open()
    return box
