"""The snapshot operations' dialogs, the runner that executes them, and ``install(window)``,
which wires them into the main window's action registry and Snapshots tab."""

from .install import SnapshotOperations, install

__all__ = ["SnapshotOperations", "install"]
