"""The live object cache and snapshot logic. Qt-free."""
