"""Bring the translation sources up to date with the code, for translators to work on.

Runs pyside6-lupdate over xsnap_gui/**/*.py into resources/translations/xsnap_gui_<lang>.ts:
new strings are added (unfinished), strings the code dropped are removed, existing
translations are kept. Then translate with ``pyside6-linguist`` (or any .ts editor) and
compile with ``tools/build_translations.py``.

    python tools/update_translations.py            # every language with a .ts file
    python tools/update_translations.py de         # this one (a new language is created)
    python tools/update_translations.py --check    # list what is missing, obsolete or
                                                   # untranslated; change nothing
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import linguist


def missing_and_obsolete(ts_file: Path, package: Path = linguist.PACKAGE,
                         ) -> tuple[list[linguist.Message], list[linguist.Message]]:
    """Messages the code has but ``ts_file`` lacks, and ones it has that the code dropped."""
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / ts_file.name
        linguist.run_lupdate(fresh, linguist.python_sources(package), quiet=True,
                             plural_only=linguist.plural_only(ts_file))
        wanted = set(linguist.ts_messages(fresh))
    have = linguist.ts_messages(ts_file) if ts_file.exists() else {}
    return sorted(wanted - set(have)), sorted(set(have) - wanted)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("languages", nargs="*",
                        help="language codes (default: every .ts file, or ja for a start)")
    parser.add_argument("--ts-dir", type=Path, default=linguist.TS_DIR,
                        help="where the .ts files live (default: %(default)s)")
    parser.add_argument("--package", type=Path, default=linguist.PACKAGE,
                        help="the code to scan (default: %(default)s)")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if a .ts file misses strings, holds dropped ones or has "
                             "untranslated ones")
    args = parser.parse_args()
    status = 0
    for language in args.languages or linguist.languages(args.ts_dir):
        ts_file = linguist.ts_path(language, args.ts_dir)
        if args.check:
            missing, obsolete = missing_and_obsolete(ts_file, args.package)
            for context, source, _comment in missing:
                print(f"{ts_file.name}: missing {context}: {source!r}")
            for context, source, _comment in obsolete:
                print(f"{ts_file.name}: obsolete {context}: {source!r}")
            unfinished = sorted(key for key, state in linguist.ts_messages(ts_file).items()
                                if state and key not in missing)
            for context, source, _comment in unfinished:
                print(f"{ts_file.name}: untranslated {context}: {source!r}")
            status |= bool(missing or obsolete or unfinished)
            continue
        linguist.run_lupdate(ts_file, linguist.python_sources(args.package),
                             plural_only=linguist.plural_only(ts_file))
        print(f"updated {ts_file}")
    return status


if __name__ == "__main__":
    sys.exit(main())
