"""The real window in Japanese (``--demo --lang ja``): every label, button, group box,
tab, column title and line-edit hint shows its whole text, the toolbar needs no overflow
menu at the default size, and the menus are Japanese.

Pictures of the main window, each page of the New Snapshot Schedule wizard and the
Take Snapshot, Revert, Delete and Export dialogs are saved to $XSNAP_SCREENSHOT_DIR
(or the test's temporary directory) for a person to look at.
"""

from __future__ import annotations

import asyncio
import math
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QSettings, QSize, Qt, QTranslator
from PySide6.QtGui import QAction, QFontMetrics, QTextDocument
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QStyleOptionFrame,
    QStyleOptionGroupBox,
    QStyleOptionTab,
    QTabBar,
    QToolBar,
    QToolButton,
    QWidget,
    QWizard,
)

from tests.ui.livepool import LoopDriver, run
from tests.ui.qtloop import qasync_loop
from xsnap_gui.app import create_main_window
from xsnap_gui.ui.operations.delete_dialog import DeleteDialog
from xsnap_gui.ui.operations.export_dialog import ExportDialog
from xsnap_gui.ui.operations.revert_dialog import RevertDialog
from xsnap_gui.ui.operations.take_snapshot_dialog import TakeSnapshotDialog
from xsnap_gui.ui.schedules import schedule_ui
from xsnap_gui.ui.schedules.pages import SCHEDULE_ROLE
from xsnap_gui.ui.schedules.wizard import NewScheduleWizard

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
WIZARD_PAGES = ("pageName", "pageVms", "pageType", "pageSchedule", "pageFinish")


# --- fixtures ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ja_loop(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory,
            ) -> Iterator[asyncio.AbstractEventLoop]:
    settings = tmp_path_factory.mktemp("settings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings))
    with qasync_loop(qapp) as loop:
        yield loop


class Ui(LoopDriver):
    """The Japanese main window on the demo pool, and where its pictures go."""

    def __init__(self, loop: asyncio.AbstractEventLoop, window: Any, shots: Path) -> None:
        super().__init__(loop)
        self.window = window
        self.shots = shots
        self.session = window.sessions[0]
        self.ops = window.snapshot_operations

    def shot(self, widget: QWidget, name: str) -> Path:
        self.settle()
        path = self.shots / f"ja-{name}.png"
        assert widget.grab().save(str(path)), path
        assert path.stat().st_size > 0
        return path

    def vm_record(self) -> dict[str, Any]:
        return self.session.cache.get("VM", self.window.current_vm)

    def snapshots(self) -> list[str]:
        """The selected VM's own snapshots: the views hide scheduled ones by default, and
        their schedules may delete them while the demo clock runs."""
        found = []
        for ref in sorted(self.vm_record().get("snapshots", ())):
            rec = self.session.cache.get("VM", ref)
            if rec is not None and not rec.get("is_vmss_snapshot"):
                found.append(ref)
        return found

    def select(self, refs: list[str]) -> None:
        tab = self.window.snapshots_tab
        tab.select_snapshots(refs)
        assert set(self.window.selected_snapshots()) == set(refs)
        self.window.registry.refresh()

    def trigger(self, name: str) -> Any:
        action = self.window.findChild(QAction, name)
        assert action is not None, name
        assert action.isEnabled(), f"{name}: {action.toolTip()} (sync: {self.session.state})"
        self.ops.last_dialog = None
        action.trigger()
        dialog = self.ops.last_dialog
        assert dialog is not None and dialog.isVisible()
        self.settle()
        return dialog


@pytest.fixture(scope="module")
def ui(ja_loop: asyncio.AbstractEventLoop, tmp_path_factory: pytest.TempPathFactory,
       ) -> Iterator[Ui]:
    shots = Path(os.environ.get("XSNAP_SCREENSHOT_DIR") or tmp_path_factory.mktemp("shots"))
    shots.mkdir(parents=True, exist_ok=True)
    # The catalogues compile from the checkout's .ts files into a private cache.
    old_cache = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    app = QCoreApplication.instance()
    assert app is not None
    before = set(app.findChildren(QTranslator))
    window: Any = create_main_window(["--demo", "--lang", "ja"])
    try:
        loaded = [t.filePath() for t in set(app.findChildren(QTranslator)) - before]
        assert any(Path(f).name == "xsnap_gui_ja.qm" for f in loaded), loaded
        assert QLocale().language() == QLocale.Language.Japanese
        window.show()
        ui = Ui(ja_loop, window, shots)
        application = window.application
        ui.wait(lambda: application._loaded() and window.current_vm is not None, 60)
        ui.wait(lambda: not application._poll_timer.isActive())
        ui.wait(lambda: bool(ui.snapshots()))
        ui.settle(0.5)
        yield ui
    finally:
        for widget in QApplication.topLevelWidgets():
            if widget is not window and widget.isVisible() and widget.isWindow():
                widget.close()
        window.close()
        run(ja_loop, window.application.shutdown(), 60)
        window.deleteLater()
        for translator in set(app.findChildren(QTranslator)) - before:
            QCoreApplication.removeTranslator(translator)
            translator.deleteLater()
        QLocale.setDefault(QLocale(QLocale.Language.English))
        if old_cache is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = old_cache


# --- what "clipped" means ------------------------------------------------------------------


def shown_text(text: str) -> str:
    """The text a button or tab draws: "&S" shows as "S" (underlined), "&&" as "&"."""
    return re.sub(r"&(.)", r"\1", text, flags=re.DOTALL)


def describe(widget: QWidget, text: str) -> str:
    name = widget.objectName() or "<no objectName>"
    parent = widget.parentWidget()
    while parent is not None and not parent.objectName():
        parent = parent.parentWidget()
    where = f" in {parent.objectName()}" if parent is not None else ""
    return f"{type(widget).__name__} {name}{where} {text!r}"


def text_width(metrics: QFontMetrics, text: str) -> int:
    return max((metrics.horizontalAdvance(line) for line in text.split("\n")), default=0)


class Fit(NamedTuple):
    """How much room one text needs and has, in pixels (widths, or heights when wrapped)."""

    what: str
    needed: int
    available: int
    unit: str = "wide"

    def problem(self) -> str:
        return f"{self.what}: needs {self.needed}px {self.unit}, has {self.available}px"


def label_fit(label: QLabel) -> tuple[int, int, str] | None:
    text = label.text()
    if not text.strip():
        return None
    if label.wordWrap():
        return label.heightForWidth(label.width()), label.height(), "high"
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text))
    if rich:
        doc = QTextDocument()
        doc.setDefaultFont(label.font())
        doc.setDocumentMargin(0)
        doc.setHtml(text)
        width = math.ceil(doc.idealWidth())
    else:
        if label.buddy() is not None:  # then "&N" shows as an underlined "N"
            text = shown_text(text)
        width = text_width(label.fontMetrics(), text)
    available = label.contentsRect().width() - 2 * label.margin() - max(label.indent(), 0)
    return width, available, "wide"


def button_fit(button: QAbstractButton) -> tuple[int, int, str] | None:
    text = shown_text(button.text())
    if not text.strip():
        return None
    style = button.style()
    width = text_width(button.fontMetrics(), text)
    icon = 0 if button.icon().isNull() else button.iconSize().width()
    if isinstance(button, QToolButton):
        mode = button.toolButtonStyle()
        if mode == Qt.ToolButtonStyle.ToolButtonIconOnly:
            return None
        if mode == Qt.ToolButtonStyle.ToolButtonTextBesideIcon and icon:
            width += icon + 4  # QToolButton's own spacing
        elif mode == Qt.ToolButtonStyle.ToolButtonTextUnderIcon:
            width = max(width, icon)
        available = button.width() - style.pixelMetric(QStyle.PixelMetric.PM_ButtonMargin,
                                                       None, button)
        if button.menu() is not None and button.popupMode() == \
                QToolButton.ToolButtonPopupMode.MenuButtonPopup:
            available -= style.pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, None,
                                           button)
        return width, available, "wide"
    option = QStyleOptionButton()
    button.initStyleOption(option)  # type: ignore[attr-defined]
    if icon:
        width += icon + 4
    if isinstance(button, QPushButton):
        # The style's contents rectangle less its margin, as QPushButton.sizeHint counts.
        contents = style.subElementRect(QStyle.SubElement.SE_PushButtonContents, option,
                                        button)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_ButtonMargin, option, button)
        return width, contents.width() - margin, "wide"
    if isinstance(button, QCheckBox | QRadioButton):
        # What is right of the indicator and its spacing.
        element = (QStyle.SubElement.SE_CheckBoxContents if isinstance(button, QCheckBox)
                   else QStyle.SubElement.SE_RadioButtonContents)
        return width, style.subElementRect(element, option, button).width(), "wide"
    return width, button.width(), "wide"


def group_box_fit(box: QGroupBox) -> tuple[int, int, str] | None:
    title = shown_text(box.title())
    if not title.strip():
        return None
    option = QStyleOptionGroupBox()
    box.initStyleOption(option)  # type: ignore[attr-defined]
    style = box.style()
    width = box.fontMetrics().horizontalAdvance(title)
    if box.isCheckable():
        width += style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, option, box) \
            + style.pixelMetric(QStyle.PixelMetric.PM_CheckBoxLabelSpacing, option, box)
    label = style.subControlRect(QStyle.ComplexControl.CC_GroupBox, option,
                                 QStyle.SubControl.SC_GroupBoxLabel, box)
    # The title's room: from where the style puts it to the box's right edge.
    return width, box.width() - max(label.left(), 0), "wide"


def tab_fits(bar: QTabBar) -> list[Fit]:
    fits = []
    for i in range(bar.count()):
        text = shown_text(bar.tabText(i))
        if not text.strip() or not bar.isTabVisible(i):
            continue
        option = QStyleOptionTab()
        bar.initStyleOption(option, i)  # type: ignore[attr-defined]
        width = bar.fontMetrics().horizontalAdvance(text)
        if not bar.tabIcon(i).isNull():
            width += bar.iconSize().width() + 4
        available = bar.tabRect(i).width() - bar.style().pixelMetric(
            QStyle.PixelMetric.PM_TabBarTabHSpace, option, bar) // 2
        fits.append(Fit(f"tab {i} of {describe(bar, bar.tabText(i))}", width, available))
    return fits


def header_fits(header: QHeaderView) -> list[Fit]:
    """Column titles (with the sort arrow where it shows) in their sections."""
    fits = []
    model = header.model()
    if model is None or header.orientation() != Qt.Orientation.Horizontal:
        return fits
    style = header.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    arrow = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header) + margin
    for section in range(header.count()):
        text = str(model.headerData(section, Qt.Orientation.Horizontal) or "")
        if not text.strip() or header.isSectionHidden(section):
            continue
        width = text_width(header.fontMetrics(), text) + 2 * margin
        if header.isSortIndicatorShown() and header.sortIndicatorSection() == section:
            width += arrow
        fits.append(Fit(f"column {section} of {describe(header, text)}", width,
                        header.sectionSize(section)))
    return fits


def placeholder_fit(edit: QLineEdit) -> tuple[int, int, str] | None:
    """The grey hint of an empty line edit (a typed text may scroll, a hint cannot)."""
    if edit.text() or not edit.placeholderText().strip():
        return None
    option = QStyleOptionFrame()
    edit.initStyleOption(option)  # type: ignore[attr-defined]
    contents = edit.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, edit)
    margins = edit.textMargins()
    # QLineEdit keeps 2px on either side of its text.
    available = contents.width() - margins.left() - margins.right() - 4
    return text_width(edit.fontMetrics(), edit.placeholderText()), available, "wide"


def text_fits(root: QWidget) -> list[Fit]:
    """Every visible text of ``root`` (a window): the room it needs and has."""
    assert root.isVisible()
    fits = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible() or widget.width() <= 0:
            continue
        found = None
        if isinstance(widget, QLabel):
            found, text = label_fit(widget), widget.text()
        elif isinstance(widget, QAbstractButton):
            found, text = button_fit(widget), widget.text()
        elif isinstance(widget, QGroupBox):
            found, text = group_box_fit(widget), widget.title()
        elif isinstance(widget, QTabBar):
            fits.extend(tab_fits(widget))
        elif isinstance(widget, QHeaderView):
            fits.extend(header_fits(widget))
        elif isinstance(widget, QLineEdit):
            found, text = placeholder_fit(widget), widget.placeholderText()
        if found is not None:
            fits.append(Fit(describe(widget, text), *found))
    return fits


def clipped(root: QWidget) -> list[str]:
    return [f.problem() for f in text_fits(root) if f.needed > f.available]


def assert_not_clipped(root: QWidget, what: str) -> None:
    problems = clipped(root)
    assert not problems, f"clipped in {what}:\n  " + "\n  ".join(problems)


def count_checked(root: QWidget) -> int:
    """How many texts the check looked at, so an empty check cannot pass unseen."""
    return len(text_fits(root))


# --- the checks check --------------------------------------------------------------------------


def test_the_clipping_check_sees_clipped_texts(qapp: QApplication) -> None:
    host = QWidget()
    host.resize(300, 100)
    label = QLabel("スナップショットの作成とメモリの保存", host)
    label.setObjectName("tooNarrow")
    label.setGeometry(0, 0, 40, 20)
    button = QPushButton("スナップショットの削除(&D)…", host)
    button.setGeometry(0, 30, 40, 28)
    wide = QLabel("OK", host)
    wide.setGeometry(0, 60, 200, 20)
    edit = QLineEdit(host)
    edit.setPlaceholderText("スナップショットのフィルター")
    edit.setGeometry(100, 0, 60, 24)
    host.show()
    try:
        problems = clipped(host)
        assert len(problems) == 3, problems
        assert "tooNarrow" in problems[0] and "スナップショットの作成" in problems[0]
        assert "QPushButton" in problems[1]
        assert "QLineEdit" in problems[2]
        label.resize(label.sizeHint())
        button.resize(button.sizeHint())
        edit.setText("typed text may scroll")
        assert clipped(host) == []
        edit.clear()
        edit.resize(200, 24)
        assert clipped(host) == []
        assert len(text_fits(host)) == 4
    finally:
        host.close()
        host.deleteLater()


# --- the main window ---------------------------------------------------------------------------


def test_main_window_is_japanese_and_nothing_is_clipped(ui: Ui) -> None:
    window = ui.window
    assert window.size() == QSize(1360, 860)  # the default size, no saved geometry
    titles = [a.text() for a in window.menuBar().actions() if a.text()]
    assert len(titles) >= 4
    english = [t for t in titles if not JAPANESE.search(t)]
    assert not english, f"menu titles not in Japanese: {english}"
    assert "ファイル(&F)" in titles
    items = [a.text() for menu_action in window.menuBar().actions() if menu_action.menu()
             for a in menu_action.menu().actions() if not a.isSeparator() and a.text()]
    assert len(items) >= 10
    english = [t for t in items if not JAPANESE.search(t)]
    assert not english, f"menu items not in Japanese: {english}"
    toolbar = window.findChild(QToolBar, "mainToolbar")
    assert toolbar is not None and toolbar.isVisible()
    extension = toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
    assert extension is not None
    hidden = [a.text() for a in toolbar.actions()
              if not a.isSeparator() and (toolbar.widgetForAction(a) is None
                                          or not toolbar.widgetForAction(a).isVisible())]
    assert not extension.isVisible(), f"toolbar overflows; in the extension: {hidden}"
    assert not hidden
    assert JAPANESE.search(window.tabs.tabText(0))
    ui.shot(window, "main-window")
    assert count_checked(window) > 10
    assert_not_clipped(window, "the main window")


def test_main_window_list_view_and_details_are_not_clipped(ui: Ui) -> None:
    window = ui.window
    ui.select(ui.snapshots()[:1])  # the details pane shows the snapshot's fields
    try:
        window.set_view_mode("list")
        ui.settle(0.3)
        assert window.findChild(QWidget, "snapshotList").isVisible()
        ui.shot(window, "main-window-list")
        assert_not_clipped(window, "the main window's list view")
    finally:
        window.set_view_mode("tree")
        ui.select([])


# --- the New Snapshot Schedule wizard ----------------------------------------------------------


def test_new_schedule_wizard_pages_are_not_clipped(ui: Ui) -> None:
    schedules = schedule_ui(ui.window)
    assert schedules is not None
    ui.window.registry.refresh()
    action = ui.window.findChild(QAction, "actionNewSchedule")
    assert action is not None and action.isEnabled(), action.toolTip()
    before = len(schedules.wizards)
    action.trigger()
    assert len(schedules.wizards) == before + 1
    wizard: NewScheduleWizard = schedules.wizards[-1]
    try:
        ui.settle()
        assert JAPANESE.search(wizard.windowTitle())
        seen = []
        for index, name in enumerate(WIZARD_PAGES):
            page = wizard.currentPage()
            assert page.objectName() == name
            seen.append(name)
            if name == "pageName":
                wizard.name_pane.name_edit.setText("毎晩のバックアップ")
            elif name == "pageVms":
                model = wizard.vms_pane.model
                # VMs in no schedule yet, so no "move it here?" question pops up.
                free = [model.item(r, 0) for r in range(model.rowCount())
                        if not model.item(r, 0).data(SCHEDULE_ROLE)]
                assert len(free) >= 2
                for item in free[:2]:
                    item.setCheckState(Qt.CheckState.Checked)
            ui.settle()
            assert JAPANESE.search(page.title()), page.title()
            ui.shot(wizard, f"wizard-{index + 1}-{name.removeprefix('page').lower()}")
            assert count_checked(wizard) > 3
            assert_not_clipped(wizard, f"the wizard's {name}")
            if name != WIZARD_PAGES[-1]:
                button = wizard.button(QWizard.WizardButton.NextButton)
                assert button.isEnabled(), name
                button.click()
        assert seen == list(WIZARD_PAGES)
    finally:
        wizard.reject()


# --- the operations' dialogs -------------------------------------------------------------------


def _dialog_checked(ui: Ui, dialog: QWidget, name: str) -> None:
    assert JAPANESE.search(dialog.windowTitle()), dialog.windowTitle()
    ui.shot(dialog, name)
    assert count_checked(dialog) > 2
    try:
        assert_not_clipped(dialog, f"the {name} dialog")
    finally:
        dialog.close()


def test_take_snapshot_dialog_is_not_clipped(ui: Ui) -> None:
    ui.select([])
    dialog = ui.trigger("actionTakeSnapshot")
    assert isinstance(dialog, TakeSnapshotDialog)
    _dialog_checked(ui, dialog, "take-snapshot")


def test_revert_dialog_is_not_clipped(ui: Ui) -> None:
    ui.select(ui.snapshots()[:1])
    dialog = ui.trigger("actionRevert")
    assert isinstance(dialog, RevertDialog)
    _dialog_checked(ui, dialog, "revert")


def test_delete_dialog_is_not_clipped(ui: Ui) -> None:
    ui.select(ui.snapshots()[:2])
    dialog = ui.trigger("actionDelete")
    assert isinstance(dialog, DeleteDialog)
    _dialog_checked(ui, dialog, "delete")


def test_export_dialog_is_not_clipped(ui: Ui, tmp_path: Path) -> None:
    ui.select(ui.snapshots()[:1])
    dialog = ui.trigger("actionExport")
    assert isinstance(dialog, ExportDialog)
    dialog.path_edit.setText(str(tmp_path / "スナップショット.xva"))
    _dialog_checked(ui, dialog, "export")
