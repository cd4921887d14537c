"""Build what we distribute: the wheel and the one-folder PyInstaller bundle.

Both ship the compiled translations, so each build compiles them first
(``tools/build_translations.py``).

    python packaging/build.py wheel  [--outdir dist]
    python packaging/build.py bundle [--distpath dist] [--workpath build/pyinstaller]

Prints what it built, how big it is and how long it took. The Flatpak is built with
flatpak-builder instead: see packaging/flatpak/README.md.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "pyinstaller" / "xsnap-gui.spec"
BUNDLE_NAME = "xsnap-gui"


def build_translations() -> None:
    subprocess.run([sys.executable, str(ROOT / "tools" / "build_translations.py")], check=True)


def build_wheel(outdir: Path) -> Path:
    """``python -m build --wheel``; returns the wheel's path."""
    build_translations()
    # setuptools stages files in build/lib and never empties it: a module deleted since the
    # last build would still ship.
    shutil.rmtree(ROOT / "build" / "lib", ignore_errors=True)
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(outdir),
                    str(ROOT)], check=True)
    return max(outdir.glob("xsnap_gui-*.whl"), key=lambda p: p.stat().st_mtime)


def build_bundle(distpath: Path, workpath: Path) -> Path:
    """PyInstaller with the spec; returns the bundle's folder (its executable is inside)."""
    build_translations()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
                    "--log-level", "WARN", "--distpath", str(distpath),
                    "--workpath", str(workpath), str(SPEC)], check=True)
    return distpath / BUNDLE_NAME


def tree_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    sub = parser.add_subparsers(dest="what", required=True)
    wheel = sub.add_parser("wheel", help="the wheel, with python -m build")
    wheel.add_argument("--outdir", type=Path, default=ROOT / "dist")
    bundle = sub.add_parser("bundle", help="the one-folder bundle, with PyInstaller")
    bundle.add_argument("--distpath", type=Path, default=ROOT / "dist")
    bundle.add_argument("--workpath", type=Path, default=ROOT / "build" / "pyinstaller")
    args = parser.parse_args()
    start = time.monotonic()
    if args.what == "wheel":
        built = build_wheel(args.outdir)
    else:
        built = build_bundle(args.distpath, args.workpath)
    elapsed = time.monotonic() - start
    print(f"built {built}: {tree_size(built) / 1e6:.1f} MB in {elapsed:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
