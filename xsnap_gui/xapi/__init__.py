"""The XenAPI client side: datamodel, value normalisation, the async client. Qt-free."""
