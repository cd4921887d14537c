"""The Qt user interface: thin widgets and item models over the Qt-free core."""
