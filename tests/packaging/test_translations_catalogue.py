"""The shipped catalogues against the real code: the Japanese one is complete and keeps
every placeholder, tag and mnemonic; the English one only picks plural forms; both
compile and load into a QTranslator."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator

from tests.packaging.project import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import build_translations
import linguist

JA = linguist.ts_path("ja")
EN = linguist.ts_path("en")

PLACEHOLDER = re.compile(r"%(?:[1-9]|n|s|d)")
TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)\b[^<>]*>")
# "&x" marks a mnemonic; "&&" is a literal ampersand and "&amp;" an HTML entity.
MNEMONIC = re.compile(r"(?<!&)&(?!&)(?![A-Za-z]+;|#\d+;)(\S)")


class Entry:
    """One message of a .ts file: its key, whether it is a plural, and its forms."""

    def __init__(self, context: str, message: ET.Element) -> None:
        self.key: linguist.Message = (context, message.findtext("source") or "",
                                      message.findtext("comment") or "")
        self.numerus = message.get("numerus") == "yes"
        translation = message.find("translation")
        assert translation is not None, self.key
        self.state = translation.get("type", "")
        if self.numerus:
            self.forms = [f.text or "" for f in translation.findall("numerusform")]
        else:
            self.forms = [translation.text or ""]

    @property
    def source(self) -> str:
        return self.key[1]


def entries(ts_file: Path) -> list[Entry]:
    found = []
    for context in ET.parse(ts_file).getroot().iter("context"):
        name = context.findtext("name") or ""
        found.extend(Entry(name, m) for m in context.iter("message"))
    return found


def describe(entry: Entry, form: str) -> str:
    return f"{entry.key[0]}: {entry.source!r} -> {form!r}"


# --- the catalogues are in step with the code --------------------------------------------


def test_update_translations_check_passes_on_the_real_tree() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "update_translations.py"),
                             "--check"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "missing" not in result.stdout
    assert "obsolete" not in result.stdout
    assert "untranslated" not in result.stdout


def test_the_shipped_languages_are_japanese_and_english() -> None:
    assert {"en", "ja"} <= set(linguist.languages())
    assert ET.parse(JA).getroot().get("language") == "ja_JP"
    assert ET.parse(EN).getroot().get("language") == "en_US"


def test_every_string_of_the_sources_is_in_the_japanese_catalogue() -> None:
    """An independent reading of the sources: lupdate's Python parser can drop calls."""
    wanted = linguist.source_messages(linguist.python_sources())
    assert len(wanted) > 500  # the whole UI, not a stub
    have = {e.key: e for e in entries(JA)}
    missing = sorted(key for key in wanted if key not in have)
    assert not missing, "not in xsnap_gui_ja.ts:\n" + "\n".join(map(repr, missing))
    unfinished = sorted(key for key in wanted if have[key].state)
    assert not unfinished, "unfinished:\n" + "\n".join(map(repr, unfinished))
    empty = sorted(key for key in wanted if not all(f.strip() for f in have[key].forms))
    assert not empty, "empty translations:\n" + "\n".join(map(repr, empty))
    # Plurals must be numerus messages, or %n is never replaced by the count.
    not_plural = sorted(key for key, plural in wanted.items()
                        if plural and not have[key].numerus)
    assert not not_plural, "plural in the code, not in the .ts:\n" + "\n".join(
        map(repr, not_plural))


def test_every_plural_of_the_sources_is_in_the_english_catalogue() -> None:
    plurals = {k for k, plural in linguist.source_messages(linguist.python_sources()).items()
               if plural}
    english = {e.key: e for e in entries(EN)}
    assert plurals <= set(english), sorted(plurals - set(english))
    assert all(e.numerus for e in english.values())  # plural forms only


# --- each translation keeps what the code needs ------------------------------------------


def test_japanese_keeps_placeholders_tags_and_mnemonics() -> None:
    problems = []
    checked = 0
    for entry in entries(JA):
        source = entry.source
        for form in entry.forms:
            checked += 1
            if Counter(PLACEHOLDER.findall(source)) != Counter(PLACEHOLDER.findall(form)):
                problems.append("placeholders differ: " + describe(entry, form))
            source_tags = Counter(t.lower() for t in TAG.findall(source))
            if source_tags != Counter(t.lower() for t in TAG.findall(form)):
                problems.append("HTML tags differ: " + describe(entry, form))
            source_keys = MNEMONIC.findall(source)
            form_keys = MNEMONIC.findall(form)
            if len(source_keys) != len(form_keys):
                problems.append("mnemonic lost or added: " + describe(entry, form))
            elif [k.lower() for k in source_keys] != [k.lower() for k in form_keys]:
                problems.append("mnemonic key changed: " + describe(entry, form))
    assert checked > 500
    assert not problems, "\n".join(problems)


def test_plural_forms_one_in_japanese_two_in_english() -> None:
    japanese = [e for e in entries(JA) if e.numerus]
    english = entries(EN)
    assert japanese and english
    wrong = [f"ja {e.key}: {len(e.forms)} forms" for e in japanese if len(e.forms) != 1]
    wrong += [f"en {e.key}: {len(e.forms)} forms" for e in english if len(e.forms) != 2]
    assert not wrong, "\n".join(wrong)
    # English forms keep the count and differ where the noun does ("1 VM", "2 VMs").
    for entry in english:
        assert all("%n" in f for f in entry.forms), entry.key
        for form in entry.forms:
            assert Counter(PLACEHOLDER.findall(entry.source)) == Counter(
                PLACEHOLDER.findall(form)), describe(entry, form)


def test_the_pattern_sees_mnemonics_and_placeholders() -> None:
    """The checks above are only as good as their patterns."""
    assert MNEMONIC.findall("Take &Snapshot…") == ["S"]
    assert MNEMONIC.findall("スナップショットの作成(&S)…") == ["S"]
    assert MNEMONIC.findall("Tom && Jerry, &amp; co") == []
    assert PLACEHOLDER.findall("%n of %1 on %2: %s, %d") == ["%n", "%1", "%2", "%s", "%d"]
    assert TAG.findall("<b>bold</b><br/>") == ["b", "b", "br"]


# --- compiled, they translate -------------------------------------------------------------


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("qm")
    written = build_translations.build(linguist.TS_DIR, out)
    by_language = {p.stem.removeprefix("xsnap_gui_"): p for p in written}
    assert set(by_language) == {"en", "ja"}
    return by_language


def loaded(path: Path) -> QTranslator:
    translator = QTranslator()
    assert translator.load(str(path)), path
    assert not translator.isEmpty()
    return translator


@pytest.mark.parametrize(("context", "source", "japanese"), [
    ("Actions", "Take &Snapshot…", "スナップショットの作成(&S)…"),
    ("Actions", "&Revert to Snapshot…", "スナップショットに復元(&R)…"),
    ("Actions", "&Delete Snapshot…", "スナップショットの削除(&D)…"),
    ("MainWindow", "&File", "ファイル(&F)"),
    ("MainWindow", "Snapshots", "スナップショット"),
])
def test_japanese_catalogue_translates_key_strings(compiled: dict[str, Path], context: str,
                                                   source: str, japanese: str) -> None:
    assert loaded(compiled["ja"]).translate(context, source) == japanese


def test_japanese_catalogue_has_one_plural_form(compiled: dict[str, Path]) -> None:
    translator = loaded(compiled["ja"])
    one = translator.translate("PoolTreeModel", "%n VM(s)", None, 1)
    many = translator.translate("PoolTreeModel", "%n VM(s)", None, 2)
    assert one == many and "%n" in one and "VM(s)" not in one


def test_english_catalogue_gives_plural_forms(compiled: dict[str, Path]) -> None:
    translator = loaded(compiled["en"])
    assert translator.translate("PoolTreeModel", "%n VM(s)", None, 1) == "%n VM"
    assert translator.translate("PoolTreeModel", "%n VM(s)", None, 2) == "%n VMs"
    # Only plurals: everything else stays the source text.
    assert translator.translate("Actions", "Take &Snapshot…") == ""


def test_plural_forms_reach_the_text_through_translate(qapp: object,
                                                       compiled: dict[str, Path]) -> None:
    """Installed as the app does it, ``translate`` fills %n in: "1 VM", "2 VMs"."""
    from PySide6.QtCore import QCoreApplication  # noqa: PLC0415

    from xsnap_gui.ui.i18n import translate  # noqa: PLC0415

    for language, expected in (("en", ("1 VM", "2 VMs")), ("ja", None)):
        translator = loaded(compiled[language])
        assert QCoreApplication.installTranslator(translator)
        try:
            one = translate("PoolTreeModel", "%n VM(s)", "", 1)
            two = translate("PoolTreeModel", "%n VM(s)", "", 2)
            if expected is not None:
                assert (one, two) == expected
            else:
                assert one.startswith("1") and two.startswith("2") and "VM(s)" not in two
            assert translate("Actions", "Take &Snapshot…") == (
                "Take &Snapshot…" if language == "en" else "スナップショットの作成(&S)…")
        finally:
            QCoreApplication.removeTranslator(translator)
