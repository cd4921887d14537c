"""Qt Linguist plumbing shared by update_translations.py and build_translations.py.

Layout: the translators' sources are ``resources/translations/xsnap_gui_<lang>.ts``
(in git); the compiled catalogues are ``xsnap_gui/translations/xsnap_gui_<lang>.qm``
(ignored by git, shipped in the wheel and the bundle, loaded by
``xsnap_gui.app.install_translator``).

The tools come with PySide6-Essentials (``pyside6-lupdate``, ``pyside6-lrelease``);
Qt's own ``lupdate``/``lrelease`` (a Qt SDK, e.g. the Flatpak KDE SDK) work as well.
"""

from __future__ import annotations

import ast
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
# The sources are English; the English catalogue only turns "%n VM(s)" into "1 VM"/"2 VMs".
SOURCE_LANGUAGE = "en"


def ts_path(language: str, ts_dir: Path = TS_DIR) -> Path:
    return ts_dir / f"{CATALOGUE}_{language}.ts"


def plural_only(ts_file: Path) -> bool:
    """Whether ``ts_file`` is the source language's catalogue, which holds plurals only."""
    return ts_file.stem == f"{CATALOGUE}_{SOURCE_LANGUAGE}"


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


def run_lupdate(ts_file: Path, sources: Sequence[Path], *, quiet: bool = False,
                plural_only: bool = False) -> None:
    """Add the sources' new strings to ``ts_file`` (created if missing) and drop the ones
    the code no longer has, keeping every translation still in use.

    Plurals are then marked from :func:`source_messages`, which reads them reliably;
    ``plural_only`` keeps nothing else (the English catalogue only picks plural forms).
    """
    ts_file.parent.mkdir(parents=True, exist_ok=True)
    # lupdate folds the forms of a plural it failed to recognise; put them back after it.
    saved = _plural_translations(ts_file) if ts_file.exists() else {}
    with tempfile.NamedTemporaryFile("w", suffix=".lst", delete=False) as listing:
        listing.write("\n".join(str(s) for s in sources) + "\n")
    try:
        command = [str(find_tool("lupdate")), "-no-obsolete", "-locations", "absolute",
                   f"@{listing.name}", "-ts", str(ts_file)]
        if quiet:
            command.insert(1, "-silent")
        subprocess.run(command, check=True)
    finally:
        os.unlink(listing.name)
    plurals = {key for key, plural in source_messages(sources).items() if plural}
    mark_plurals(ts_file, plurals, saved, plural_only=plural_only)


def _message_key(context_name: str, message: ET.Element) -> Message:
    return (context_name, message.findtext("source") or "", message.findtext("comment") or "")


def _plural_translations(ts_file: Path) -> dict[Message, ET.Element]:
    found = {}
    for context in ET.parse(ts_file).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if message.get("numerus") == "yes" and translation is not None:
                found[_message_key(name, message)] = translation
    return found


# Languages with one plural form; most others have two, and Qt Linguist adds the forms a
# language needs when a translator opens the file.
_ONE_FORM = ("ja", "zh", "ko", "vi", "th", "id", "ms", "lo", "km", "my")


def plural_forms(language: str) -> int:
    return 1 if language.split("_", maxsplit=1)[0] in _ONE_FORM else 2


def mark_plurals(ts_file: Path, plurals: set[Message],
                 saved: dict[Message, ET.Element] | None = None, *,
                 plural_only: bool = False) -> None:
    """Give the messages in ``plurals`` numerus forms (the ``saved`` ones, or their text),
    and with ``plural_only`` drop every other message."""
    saved = saved or {}
    tree = ET.parse(ts_file)
    changed = False
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in list(context.iter("message")):
            key = _message_key(name, message)
            if key not in plurals:
                if plural_only:
                    context.remove(message)
                    changed = True
                continue
            translation = message.find("translation")
            if key in saved and translation is not None:
                message.remove(translation)
                message.append(saved[key])
                message.set("numerus", "yes")
                changed = True
                continue
            if message.get("numerus") == "yes" or translation is None:
                continue
            message.set("numerus", "yes")
            changed = True
            text, translation.text = translation.text, None
            for _ in range(plural_forms(tree.getroot().get("language", ""))):
                ET.SubElement(translation, "numerusform").text = text
    for context in list(tree.getroot().iter("context")):
        if context.find("message") is None:
            tree.getroot().remove(context)
    if not changed:
        return
    ET.indent(tree, space="    ")
    body = ET.tostring(tree.getroot(), encoding="unicode", short_empty_elements=False)
    ts_file.write_text(f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n{body}\n',
                       encoding="utf-8")


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


# --- an independent reading of the sources ----------------------------------------------
# pyside6-lupdate's Python parser silently drops a call whose count argument is an
# expression (``len(vms)``, ``self.count``) and marks plurals unreliably, so the test
# suite compares its output with this reading made by Python's own parser.

_TRANSLATE_NAMES = ("translate", "QT_TRANSLATE_NOOP")


def _literal(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def source_messages(sources: Sequence[Path]) -> dict[Message, bool]:
    """Every literal translatable string in the sources, and whether it is a plural:
    ``translate("Ctx", "text"[, comment[, n]])``, ``QT_TRANSLATE_NOOP("Ctx", "text")``
    and ``self.tr("text"[, comment[, n]])`` (the class name is the context)."""
    found: dict[Message, bool] = {}

    def visit(node: ast.AST, class_name: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, child.name)
                continue
            if isinstance(child, ast.Call):
                _record(child, class_name, found)
            visit(child, class_name)

    for path in sources:
        visit(ast.parse(path.read_text(encoding="utf-8"), str(path)), "")
    return found


def _record(call: ast.Call, class_name: str, found: dict[Message, bool]) -> None:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    args = list(call.args)
    if name in _TRANSLATE_NAMES and len(args) >= 2:
        context, text, rest = _literal(args[0]), _literal(args[1]), args[2:]
    elif name == "tr" and isinstance(func, ast.Attribute) and args and class_name:
        context, text, rest = class_name, _literal(args[0]), args[1:]
    else:
        return
    if context is None or text is None:
        return
    comment = _literal(rest[0]) if rest else ""
    found[(context, text, comment or "")] = len(rest) >= 2 or any(
        k.arg == "n" for k in call.keywords)
