"""The XenAPI client side: datamodel, wire values and (later) the async client. Qt-free."""
