"""The translation machinery: tools/update_translations.py extracts tr() strings with
pyside6-lupdate (plural forms included), tools/build_translations.py compiles them with
pyside6-lrelease, and the result loads into a QTranslator."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator

from tests.packaging.project import ROOT, TEST_TS

sys.path.insert(0, str(ROOT / "tools"))
import build_translations
import linguist

SAMPLE = '''
from PySide6.QtCore import QCoreApplication, QObject


class SnapshotPanel(QObject):
    def texts(self, n):
        return self.tr("Take Snapshot"), self.tr("%n snapshot(s) selected", "", n)


TITLE = QCoreApplication.translate("MainWindow", "Snapshots")
'''


def test_tools_come_with_pyside6() -> None:
    for tool in ("lupdate", "lrelease"):
        assert linguist.find_tool(tool).name == f"pyside6-{tool}"


def test_lupdate_extracts_and_lrelease_compiles(tmp_path: Path) -> None:
    source = tmp_path / "sample.py"
    source.write_text(SAMPLE, encoding="utf-8")
    ts_file = tmp_path / "ts" / "xsnap_gui_eo.ts"
    linguist.run_lupdate(ts_file, [source], quiet=True)
    messages = linguist.ts_messages(ts_file)
    assert set(messages) == {
        ("SnapshotPanel", "Take Snapshot", ""),
        ("SnapshotPanel", "%n snapshot(s) selected", ""),
        ("MainWindow", "Snapshots", ""),
    }
    assert set(messages.values()) == {"unfinished"}
    assert 'numerus="yes"' in ts_file.read_text(encoding="utf-8")

    # A translator's work: fill one entry in, then compile.
    text = ts_file.read_text(encoding="utf-8").replace(
        '<source>Snapshots</source>\n        <translation type="unfinished"></translation>',
        "<source>Snapshots</source>\n        <translation>Momentkopioj</translation>")
    ts_file.write_text(text, encoding="utf-8")
    assert linguist.ts_messages(ts_file)[("MainWindow", "Snapshots", "")] == ""
    (qm_file,) = build_translations.build(ts_file.parent, tmp_path / "qm")
    translator = QTranslator()
    assert translator.load(str(qm_file))
    assert translator.translate("MainWindow", "Snapshots") == "Momentkopioj"
    # Unfinished entries are left out, so the English text shows instead of a blank.
    assert translator.translate("SnapshotPanel", "Take Snapshot") == ""


def test_update_and_check_against_the_code(tmp_path: Path) -> None:
    package = tmp_path / "package"
    (package / "ui").mkdir(parents=True)
    (package / "ui" / "panel.py").write_text(SAMPLE, encoding="utf-8")
    ts_dir = tmp_path / "ts"
    ts_dir.mkdir()
    (ts_dir / "xsnap_gui_eo.ts").write_text(TEST_TS, encoding="utf-8")
    script = ROOT / "tools" / "update_translations.py"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(script), "eo", "--ts-dir", str(ts_dir),
                               "--package", str(package), *args], capture_output=True, text=True)

    stale = run("--check")
    assert stale.returncode == 1
    assert "missing MainWindow: 'Snapshots'" in stale.stdout  # in the code, not the .ts
    assert "obsolete XsnapPackagingTest: 'Snapshot'" in stale.stdout  # not in the code
    assert run().returncode == 0
    updated = run("--check")
    assert updated.returncode == 1  # in step with the code, but not translated yet
    assert "missing" not in updated.stdout and "obsolete" not in updated.stdout
    assert "untranslated MainWindow: 'Snapshots'" in updated.stdout
    ts_file = ts_dir / "xsnap_gui_eo.ts"
    messages = linguist.ts_messages(ts_file)
    assert set(messages) == {("SnapshotPanel", "Take Snapshot", ""),
                             ("SnapshotPanel", "%n snapshot(s) selected", ""),
                             ("MainWindow", "Snapshots", "")}
    # A translator finishes the work; the check then passes.
    ts_file.write_text(ts_file.read_text(encoding="utf-8")
                       .replace(' type="unfinished"', "")
                       .replace("<translation></translation>", "<translation>x</translation>")
                       .replace("<numerusform></numerusform>", "<numerusform>%n x</numerusform>"),
                       encoding="utf-8")
    done = run("--check")
    assert done.returncode == 0, done.stdout


def test_plurals_lupdate_misreads_are_marked_and_kept(tmp_path: Path) -> None:
    """lupdate drops or flattens ``translate(ctx, "%n …", "", len(x))``-style calls; the
    sources' own reading marks every plural, and a translator's plural forms survive."""
    source = tmp_path / "sample.py"
    source.write_text(
        "from xsnap_gui.ui.i18n import translate\n"
        "def label(count):\n"
        "    return translate(\"PoolTree\", \"%n VM(s)\", \"\", count)\n",
        encoding="utf-8")
    ts_file = tmp_path / "xsnap_gui_en.ts"
    linguist.run_lupdate(ts_file, [source], quiet=True, plural_only=True)
    assert linguist.source_messages([source]) == {("PoolTree", "%n VM(s)", ""): True}
    text = ts_file.read_text(encoding="utf-8")
    assert 'numerus="yes"' in text
    ts_file.write_text(text.replace(' type="unfinished"', "").replace(
        "<numerusform></numerusform>", "<numerusform>%n VM</numerusform>", 1).replace(
        "<numerusform></numerusform>", "<numerusform>%n VMs</numerusform>", 1), encoding="utf-8")
    linguist.run_lupdate(ts_file, [source], quiet=True, plural_only=True)
    after = ts_file.read_text(encoding="utf-8")
    assert "<numerusform>%n VM</numerusform>" in after
    assert "<numerusform>%n VMs</numerusform>" in after


def test_the_whole_package_is_scanned() -> None:
    sources = linguist.python_sources()
    assert ROOT / "xsnap_gui" / "app.py" in sources
    assert ROOT / "xsnap_gui" / "ui" / "main_window.py" in sources
    assert not any("__pycache__" in p.parts for p in sources)


@pytest.mark.parametrize("missing_dir", [True, False])
def test_build_without_translations_does_nothing(tmp_path: Path, missing_dir: bool) -> None:
    ts_dir = tmp_path / "none"
    if not missing_dir:
        ts_dir.mkdir()
    assert build_translations.build(ts_dir, tmp_path / "qm") == []
    assert not (tmp_path / "qm").exists()
