"""The connections' one entry point for the main window: :func:`install`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ...model.secrets import SecretStore
from .controller import ConnectionsController

if TYPE_CHECKING:
    from ..main_window import MainWindow

ATTRIBUTE = "connections"


def install(window: MainWindow, *, config_dir: Path | None = None,
            secrets: SecretStore | None = None,
            allow_plain_http: bool = False) -> ConnectionsController:
    """Wire Add Server and the server rows' menu into ``window``; returns the controller.

    Nothing is read or connected yet: ``controller.open_saved()`` opens the
    saved servers, ``controller.connect_at_start(url, user)`` does ``--connect``.
    ``config_dir`` (default: the platform's config folder) holds servers.json;
    ``secrets`` defaults to the keyring set through ``keyring.set_keyring``.
    Installing twice returns the first controller.
    """
    existing = getattr(window, ATTRIBUTE, None)
    if isinstance(existing, ConnectionsController):
        return existing
    controller = ConnectionsController(window, config_dir=config_dir, secrets=secrets,
                                       allow_plain_http=allow_plain_http)
    setattr(window, ATTRIBUTE, controller)
    return controller
