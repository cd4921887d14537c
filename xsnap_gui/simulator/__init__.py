"""A XAPI server simulator: the wire, objects, sessions, RBAC, events and tasks of xapi. Qt-free."""
