"""Qt Linguist plumbing shared by update_translations.py and build_translations.py.

Layout: the translators' sources are ``resources/translations/xsnap_gui_<lang>.ts``
(in git); the compiled catalogues are ``xsnap_gui/translations/xsnap_gui_<lang>.qm``
(ignored by git, shipped in the wheel and the bundle, loaded by
``xsnap_gui.app.install_translator``).

The tools come with PySide6-Essentials (``pyside6-lupdate``, ``pyside6-lrelease``);
Qt's own ``lupdate``/``lrelease`` (a Qt SDK, e.g. the Flatpak KDE SDK) work as well.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "xsnap_gui"
TS_DIR = ROOT / "resources" / "translations"
QM_DIR = PACKAGE / "translations"
CATALOGUE = "xsnap_gui"  # file names are CATALOGUE_<lang>.ts / .qm
FIRST_LANGUAGES = ("ja",)  # created when no .ts file exists yet


def ts_path(language: str, ts_dir: Path = TS_DIR) -> Path:
    return ts_dir / f"{CATALOGUE}_{language}.ts"


def languages(ts_dir: Path = TS_DIR) -> list[str]:
    """The languages with a .ts file, or the first ones we ship when there is none yet."""
    found = sorted(p.stem.removeprefix(f"{CATALOGUE}_") for p in ts_dir.glob(f"{CATALOGUE}_*.ts"))
    return found or list(FIRST_LANGUAGES)


def find_tool(name: str) -> Path:
    """``lupdate`` or ``lrelease``: PySide6's wrapper first, then a Qt installation's."""
    here = Path(sys.executable).parent
    for candidate in (f"pyside6-{name}", name, f"{name}-qt6"):
        found = shutil.which(candidate, path=f"{here}{os.pathsep}{os.environ.get('PATH', '')}")
        if found:
            return Path(found)
    for directory in _qt_binary_dirs():
        if (directory / name).is_file():
            return directory / name
    raise FileNotFoundError(
        f"no {name} found: install PySide6-Essentials (it ships pyside6-{name}) or Qt's "
        "linguist tools")


def _qt_binary_dirs() -> list[Path]:
    try:
        from PySide6.QtCore import QLibraryInfo  # noqa: PLC0415 - optional, only as a fallback
    except ImportError:
        return [Path("/usr/lib/qt6/bin"), Path("/usr/lib/qt6/libexec")]
    paths = QLibraryInfo.LibraryPath
    return [Path(QLibraryInfo.path(paths.BinariesPath)),
            Path(QLibraryInfo.path(paths.LibraryExecutablesPath))]


def python_sources(package: Path = PACKAGE) -> list[Path]:
    """Every module whose strings may be translated: all of xsnap_gui/**/*.py."""
    return sorted(p for p in package.rglob("*.py") if "__pycache__" not in p.parts)


def run_lupdate(ts_file: Path, sources: Sequence[Path], *, quiet: bool = False) -> None:
    """Add the sources' new strings to ``ts_file`` (created if missing) and drop the ones
    the code no longer has, keeping every translation still in use."""
    ts_file.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".lst", delete=False) as listing:
        listing.write("\n".join(str(s) for s in sources) + "\n")
    try:
        command = [str(find_tool("lupdate")), "-no-obsolete", "-locations", "relative",
                   f"@{listing.name}", "-ts", str(ts_file)]
        if quiet:
            command.insert(1, "-silent")
        subprocess.run(command, check=True)
    finally:
        os.unlink(listing.name)


def run_lrelease(ts_file: Path, qm_file: Path) -> None:
    qm_file.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([str(find_tool("lrelease")), "-silent", "-nounfinished", str(ts_file),
                    "-qm", str(qm_file)], check=True)


Message = tuple[str, str, str]  # (context, source text, disambiguation comment)


def ts_messages(ts_file: Path) -> dict[Message, str]:
    """Every message of a .ts file and its translation state: "" when translated,
    otherwise the ``type`` lupdate gave it ("unfinished", "obsolete", "vanished")."""
    found: dict[Message, str] = {}
    for context in ET.parse(ts_file).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            key = (name, message.findtext("source") or "", message.findtext("comment") or "")
            translation = message.find("translation")
            found[key] = "" if translation is None else translation.get("type", "")
    return found
