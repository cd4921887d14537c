"""Connections: adding servers, the saved server list, certificate trust, passwords.

The Qt-free halves are :mod:`xsnap_gui.model.servers` (the saved list) and
:mod:`xsnap_gui.model.secrets` (the keyring). Here are the dialogs, the
controller that turns saved servers into :class:`~xsnap_gui.ui.pool_session.PoolSession`
objects, and :func:`~.install.install`, the one entry point for the main window.
"""
