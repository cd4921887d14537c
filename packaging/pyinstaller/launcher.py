"""The bundle's entry script: its executable is xsnap-gui's ``main()``."""

import sys

from xsnap_gui.app import main

if __name__ == "__main__":
    sys.exit(main())
