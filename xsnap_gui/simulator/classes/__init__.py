"""Server side of the explicit XenAPI messages, one module per class.

Importing this package registers every handler.
"""

from . import blob, event, host, message, pool, session, task, vdi, vm, vmss  # noqa: F401
