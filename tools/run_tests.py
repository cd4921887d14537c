"""Run the whole test suite: the Qt-free tests in one pytest process, each Qt test file in its own.

PySide6 with qasync 0.28 can crash a process that has built and torn down many
qasync loops and windows (helper QObjects outliving their loop), so every file
under tests/ui gets a fresh process. Extra arguments go to every pytest run.
The last line sums up all runs; the exit code is non-zero if any run failed
or if no test ran at all.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def groups() -> list[list[str]]:
    ui_files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "ui").glob("test_*.py"))
    return [["tests", "--ignore=tests/ui"], *([f] for f in ui_files)]


def main(argv: list[str]) -> int:
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    failed_runs: list[str] = []
    with tempfile.TemporaryDirectory(prefix="xsnap-tests-") as tmp:
        for i, group in enumerate(groups()):
            report = Path(tmp) / f"run{i}.xml"
            print(f"== pytest {' '.join(group)}", flush=True)
            code = subprocess.call(
                [sys.executable, "-m", "pytest", "-q", f"--junit-xml={report}", *group, *argv],
                cwd=ROOT,
            )
            if report.exists():
                for suite in ET.parse(report).getroot().iter("testsuite"):
                    for key in totals:
                        totals[key] += int(suite.get(key, "0"))
            if code not in (0, 5):
                failed_runs.append(f"{' '.join(group)} (exit {code})")
    failed = totals["failures"] + totals["errors"]
    passed = totals["tests"] - failed - totals["skipped"]
    for run in failed_runs:
        print(f"failed run: {run}")
    print(f"{passed} passed, {failed} failed, {totals['skipped']} skipped")
    if failed_runs or failed or totals["tests"] == 0:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
