"""The one action registry: every menu item, toolbar button and shortcut comes from here.

Action object names are a public contract (scripts find them with
``findChild(QAction, name)``), so they are spelled exactly as the issues give them.
An action without a handler stays disabled and says so; it is never faked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject
from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from ..xapi import datamodel
from ..xapi.datamodel import ALL_ROLES
from .i18n import translate
from .resources import icon as resource_icon

# Permissions of xapi's HTTP handlers, which the datamodel's messages do not list
# (Datamodel.http_actions: get_export is _R_VM_ADMIN).
_HTTP_ROLES = {"http/get_export": ALL_ROLES[: ALL_ROLES.index("vm-admin") + 1]}


def toolbar_text(menu_text: str) -> str:
    """A menu text as a toolbar label: without its mnemonic, also in the "削除(&D)" form
    that CJK translations use (Qt only drops the "&"), and without a trailing "…"."""
    text = re.sub(r"\s*\(&\w\)", "", menu_text).replace("&&", "\0").replace("&", "")
    return text.replace("\0", "&").rstrip("…").removesuffix("...").rstrip()


def roles_with(permission: str) -> tuple[str, ...]:
    """The static roles that hold ``permission`` (e.g. "vm.snapshot"), highest first."""
    if permission in _HTTP_ROLES:
        return _HTTP_ROLES[permission]
    cls, _, name = permission.partition(".")
    dm = datamodel.load()
    found = next((c for c in dm.classes.values() if c.name.lower() == cls), None)
    message = next((m for m in found.messages.values() if m.name.lower() == name), None) \
        if found is not None else None
    if message is None:
        return ()
    return tuple(r for r in ALL_ROLES if r in message.roles)


def role_needed_tip(tip: str, permission: str) -> str:
    """``tip`` plus the least role that may do it (roles nest: higher ones may too)."""
    roles = roles_with(permission)
    if not roles:
        return translate("Actions", "%s (your role does not allow this)") % tip
    return translate("Actions", "%s (needs the %s role or higher)") % (tip, roles[-1])


@dataclass(frozen=True)
class ActionSpec:
    name: str
    text: str  # untranslated source text; translated when the action is built
    tip: str
    shortcut: str = ""
    permission: str = ""  # XenAPI permission the session needs, e.g. "vm.snapshot"
    checkable: bool = False
    group: str = ""  # exclusive group name


SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "actionTakeSnapshot",
        QT_TRANSLATE_NOOP("Actions", "Take &Snapshot…"),
        QT_TRANSLATE_NOOP("Actions", "Take a snapshot of the VM's disks"),
        "Ctrl+T",
        "vm.snapshot",
    ),
    ActionSpec(
        "actionTakeCheckpoint",
        QT_TRANSLATE_NOOP("Actions", "Take Snapshot with &Memory…"),
        QT_TRANSLATE_NOOP("Actions", "Take a snapshot of the VM's disks and memory"),
        "Ctrl+Shift+T",
        "vm.checkpoint",
    ),
    ActionSpec(
        "actionRevert",
        QT_TRANSLATE_NOOP("Actions", "&Revert to Snapshot…"),
        QT_TRANSLATE_NOOP("Actions", "Revert the VM to the selected snapshot"),
        "Ctrl+R",
        "vm.revert",
    ),
    ActionSpec(
        "actionDelete",
        QT_TRANSLATE_NOOP("Actions", "&Delete Snapshot…"),
        QT_TRANSLATE_NOOP("Actions", "Delete the selected snapshots"),
        "Del",
        "vm.destroy",
    ),
    ActionSpec(
        "actionExport",
        QT_TRANSLATE_NOOP("Actions", "&Export as XVA…"),
        QT_TRANSLATE_NOOP("Actions", "Export the selected snapshot to an XVA file"),
        "Ctrl+E",
        "http/get_export",
    ),
    ActionSpec(
        "actionNewTemplate",
        QT_TRANSLATE_NOOP("Actions", "New &Template from Snapshot…"),
        QT_TRANSLATE_NOOP("Actions", "Create a template from the selected snapshot"),
        "",
        "vm.clone",
    ),
    ActionSpec(
        "actionNewVm",
        QT_TRANSLATE_NOOP("Actions", "New &VM from Snapshot…"),
        QT_TRANSLATE_NOOP("Actions", "Create a VM from the selected snapshot"),
        "",
        "vm.provision",
    ),
    ActionSpec(
        "actionProperties",
        QT_TRANSLATE_NOOP("Actions", "&Properties…"),
        QT_TRANSLATE_NOOP(
            "Actions", "Edit the name, description and tags of the selected snapshot"
        ),
        "Alt+Return",
        "vm.set_name_label",
    ),
    ActionSpec(
        "actionNewSchedule",
        QT_TRANSLATE_NOOP("Actions", "New Snapshot &Schedule…"),
        QT_TRANSLATE_NOOP("Actions", "Create a scheduled snapshot policy for VMs of this pool"),
        "",
        "vmss.create",
    ),
    ActionSpec(
        "actionSchedules",
        QT_TRANSLATE_NOOP("Actions", "VM Snapshot S&chedules…"),
        QT_TRANSLATE_NOOP("Actions", "Show, change and check the pool's snapshot schedules"),
        "",
        "",
    ),
    ActionSpec(
        "actionAddServer",
        QT_TRANSLATE_NOOP("Actions", "&Add Server…"),
        QT_TRANSLATE_NOOP("Actions", "Connect to a XenServer or XCP-ng pool"),
        "Ctrl+N",
        "",
    ),
    ActionSpec(
        "actionViewTree",
        QT_TRANSLATE_NOOP("Actions", "Snapshot &Tree"),
        QT_TRANSLATE_NOOP("Actions", "Show snapshots as a tree over time"),
        "Ctrl+1",
        "",
        checkable=True,
        group="snapshotView",
    ),
    ActionSpec(
        "actionViewList",
        QT_TRANSLATE_NOOP("Actions", "Snapshot &List"),
        QT_TRANSLATE_NOOP("Actions", "Show snapshots as a sortable list"),
        "Ctrl+2",
        "",
        checkable=True,
        group="snapshotView",
    ),
)


# Toolbar and menu icons, by action (names of xsnap_gui/resources/icons/*.svg).
ICONS = {
    "actionTakeSnapshot": "snapshot-disk",
    "actionTakeCheckpoint": "snapshot-disk-memory",
    "actionRevert": "now",
    "actionNewSchedule": "snapshot-scheduled",
    "actionSchedules": "snapshot-scheduled",
    "actionAddServer": "server-connected",
}


class ActionRegistry(QObject):
    """Builds the QActions once and tracks handlers, permissions and context."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.actions: dict[str, QAction] = {}
        self.specs = {s.name: s for s in SPECS}
        self._handlers: dict[str, Callable[[], None]] = {}
        # Per-action context checks: () -> None when usable, else the reason it is not.
        self._checks: dict[str, Callable[[], str | None]] = {}
        self._groups: dict[str, QActionGroup] = {}
        self._permissions: frozenset[str] | None = None  # None: everything allowed
        for spec in SPECS:
            action = QAction(translate("Actions", spec.text), parent)
            action.setIconText(toolbar_text(action.text()))
            action.setObjectName(spec.name)
            action.setStatusTip(translate("Actions", spec.tip))
            action.setToolTip(translate("Actions", spec.tip))
            action.setCheckable(spec.checkable)
            if spec.name in ICONS:
                action.setIcon(resource_icon(ICONS[spec.name]))
            if spec.shortcut:
                action.setShortcut(QKeySequence(spec.shortcut))
            if spec.group:
                group = self._groups.get(spec.group)
                if group is None:
                    group = QActionGroup(parent)
                    group.setExclusive(True)
                    self._groups[spec.group] = group
                group.addAction(action)
            action.triggered.connect(lambda _checked=False, n=spec.name: self._run(n))
            self.actions[spec.name] = action
        self.refresh()

    def __getitem__(self, name: str) -> QAction:
        return self.actions[name]

    def set_handler(self, name: str, handler: Callable[[], None]) -> None:
        self._handlers[name] = handler
        self.refresh()

    def set_check(self, name: str, check: Callable[[], str | None]) -> None:
        """Enable ``name`` only while ``check()`` returns None; its text explains why not."""
        self._checks[name] = check
        self.refresh()

    def set_permissions(self, permissions: frozenset[str] | None) -> None:
        """The session's RBAC permissions; None means a superuser (all allowed)."""
        self._permissions = permissions
        self.refresh()

    def refresh(self) -> None:
        for name, action in self.actions.items():
            spec = self.specs[name]
            tip = translate("Actions", spec.tip)
            enabled = name in self._handlers
            if not enabled:
                tip = translate("Actions", "%s (not available in this version)") % tip
            elif spec.permission and self._permissions is not None \
                    and spec.permission not in self._permissions:
                enabled = False
                tip = role_needed_tip(tip, spec.permission)
            elif name in self._checks:
                reason = self._checks[name]()
                if reason is not None:
                    enabled = False
                    tip = f"{tip} ({reason})"
            action.setEnabled(enabled)
            action.setToolTip(tip)

    def _run(self, name: str) -> None:
        handler = self._handlers.get(name)
        if handler is not None:
            handler()
