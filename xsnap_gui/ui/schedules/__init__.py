"""Scheduled snapshots (VMSS): the New Snapshot Schedule wizard, the schedules dialog with
health and run history, properties, and "Assign to snapshot schedule" on VMs."""

from .install import ScheduleUi, install, schedule_ui

__all__ = ["ScheduleUi", "install", "schedule_ui"]
