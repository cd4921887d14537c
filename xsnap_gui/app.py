"""``xsnap-gui``: the desktop application's entry point.

The main window is built in its own issue. Until it lands, ``--demo`` serves
the demo pool that the window will connect to, so its data can be explored
with any XenAPI client.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

DEMO_SPEC = "hosts=3,vms=36,snapshots=4,schedules=4"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="xsnap-gui",
                                description="Snapshot manager for XenServer and XCP-ng pools.")
    p.add_argument("--demo", action="store_true",
                   help="run against the built-in simulated pool")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not args.demo:
        print("xsnap-gui: the desktop window is not part of this build yet; "
              "try --demo to serve the demo pool", file=sys.stderr)
        return 2
    from .simulator import cli  # noqa: PLC0415 - keep start-up light

    print("xsnap-gui: the desktop window is not part of this build yet; "
          "serving the demo pool (user root, password xsnap)", file=sys.stderr)
    return cli.main(["--generate", DEMO_SPEC, "--clock-speed", "60"])


if __name__ == "__main__":
    sys.exit(main())
