"""The one translation call of the UI, and the loading of the catalogues.

Write ``translate("Context", "literal text")`` at each use, with both strings literal:
``pyside6-lupdate`` reads them from the source, and a wrapper that hides either one hides
the string from translators (see resources/translations/README.md).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """``text`` in the user's language; ``n`` picks the plural form of ``%n``."""
    return QCoreApplication.translate(context, text, disambiguation, n)


# --- loading the catalogues -------------------------------------------------------------

CATALOGUE = "xsnap_gui"
SOURCE_LANGUAGE = "en"  # its catalogue only holds plural forms ("1 VM", "2 VMs")
PACKAGE_DIR = Path(__file__).resolve().parent.parent
SHIPPED_DIR = PACKAGE_DIR / "translations"  # .qm files in the wheel, bundle and Flatpak
CHECKOUT_TS_DIR = PACKAGE_DIR.parent / "resources" / "translations"  # .ts files in git

log = logging.getLogger(__name__)


def install_translator(code: str | None) -> list[str]:
    """Load the UI catalogue for ``code`` (or the system locale), else the English one
    for plural forms, plus Qt's own for its standard buttons. Returns the files loaded."""
    app = QCoreApplication.instance()
    if app is None:
        return []
    locale = QLocale(code) if code else QLocale.system()
    if code:
        QLocale.setDefault(locale)
    loaded = []
    directory = catalogue_dir()
    translator = QTranslator(app)
    if directory is not None and (
            translator.load(locale, CATALOGUE, "_", str(directory))
            or translator.load(f"{CATALOGUE}_{SOURCE_LANGUAGE}", str(directory))):
        app.installTranslator(translator)
        loaded.append(translator.filePath())
    qt_translator = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_translator.load(locale, "qtbase", "_", qt_dir):
        app.installTranslator(qt_translator)
        loaded.append(qt_translator.filePath())
    return loaded


def catalogue_dir() -> Path | None:
    """Where the compiled catalogues are: shipped with the package, or, when running
    from a git checkout (``pip install -e``), compiled from its .ts files on first use."""
    sources = sorted(CHECKOUT_TS_DIR.glob(f"{CATALOGUE}_*.ts"))
    shipped = {qm.stem: qm for qm in SHIPPED_DIR.glob(f"{CATALOGUE}_*.qm")}
    if shipped and all(ts.stem in shipped and _newer(shipped[ts.stem], ts) for ts in sources):
        return SHIPPED_DIR  # installed, or a checkout whose catalogues were built since
    if not sources:
        return None
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "xsnap-gui" \
        / "translations"
    try:
        for ts_file in sources:
            qm_file = cache / ts_file.with_suffix(".qm").name
            if not _newer(qm_file, ts_file):
                _compile(ts_file, qm_file)
    except (OSError, subprocess.CalledProcessError) as e:
        log.warning("cannot compile the translations, the UI stays in English: %s", e)
        return None
    return cache


def _newer(qm_file: Path, ts_file: Path) -> bool:
    return qm_file.exists() and qm_file.stat().st_mtime >= ts_file.stat().st_mtime


def _compile(ts_file: Path, qm_file: Path) -> None:
    here = Path(sys.executable).parent
    tool = shutil.which("pyside6-lrelease", path=f"{here}{os.pathsep}{os.environ.get('PATH', '')}")
    if tool is None:
        raise OSError("pyside6-lrelease is not installed")
    qm_file.parent.mkdir(parents=True, exist_ok=True)
    # A file of its own, renamed into place: two instances starting at once neither
    # clash nor read half a catalogue.
    handle, name = tempfile.mkstemp(prefix=qm_file.stem, suffix=".part", dir=qm_file.parent)
    os.close(handle)
    partial = Path(name)
    try:
        subprocess.run([tool, "-silent", "-nounfinished", str(ts_file), "-qm", str(partial)],
                       check=True, timeout=60)
        partial.replace(qm_file)
    finally:
        partial.unlink(missing_ok=True)
