"""Compile the translations: resources/translations/*.ts -> xsnap_gui/translations/*.qm.

Runs pyside6-lrelease (unfinished entries are left out, so they show in English). The
.qm files are build products, ignored by git: run this before ``python -m build`` or
PyInstaller (``packaging/build.py`` does), or to try ``xsnap-gui --lang ja`` from a
checkout. With no .ts files it does nothing.

    python tools/build_translations.py [--ts-dir DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import linguist


def build(ts_dir: Path = linguist.TS_DIR, out_dir: Path = linguist.QM_DIR) -> list[Path]:
    """Compile every ``xsnap_gui_*.ts`` in ``ts_dir``; returns the .qm files written."""
    written = []
    for ts_file in sorted(ts_dir.glob(f"{linguist.CATALOGUE}_*.ts")):
        qm_file = out_dir / ts_file.with_suffix(".qm").name
        linguist.run_lrelease(ts_file, qm_file)
        written.append(qm_file)
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--ts-dir", type=Path, default=linguist.TS_DIR)
    parser.add_argument("--out", type=Path, default=linguist.QM_DIR)
    args = parser.parse_args()
    written = build(args.ts_dir, args.out)
    for qm_file in written:
        print(f"built {qm_file}")
    if not written:
        print(f"no translations in {args.ts_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
