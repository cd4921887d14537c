"""Server side of the explicit XenAPI messages, one module per class.

Importing this package registers every handler.
"""

from . import event, host, message, pool, session, task  # noqa: F401
