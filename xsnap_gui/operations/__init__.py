"""Snapshot operations as async functions over the client. Qt-free."""
