"""xsnap-gui: a desktop snapshot manager for XenServer, XCP-ng and Citrix Hypervisor pools."""

__version__ = "0.1.0"
