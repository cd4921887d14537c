"""A deterministic generator of realistic simulated pools.

``generate_pool(PoolSpec.parse("hosts=4,vms=200,snapshots=5,schedules=3"), seed=3)`` returns
``{class: {ref: {field: typed value}}}`` for :meth:`Database.bulk_load`. Only the ref side of
each relation is set (VBD.VM, VM.parent, VDI.SR, …); the database derives the set sides.
The same spec, seed and ``now`` always give the same pool.

Landmarks that tests, demos and benchmarks can rely on:

- Hosts ``xcp-host-01``, ``xcp-host-02``, … with addresses 127.0.0.1 (the master),
  127.0.0.2, … in that order.
- SRs: ``iscsi-lvm-01`` (lvmoiscsi, shared, thick), ``nfs-vhd-01`` (nfs, shared, thin; the
  pool's default and suspend-image SR), one ``Local storage`` per host (ext thin on odd
  host numbers, lvm thick on even ones), ``ISO library``, and ``nearly-full-lvm``
  (lvmoiscsi, shared, thick), the only SR over 95 % full: its free space is smaller than any
  disk, so thick snapshots and new disks there fail with SR_FULL.
- VMs are named ``<role>-NN`` (``web-01``, ``db-02``, ``build-agent-07``). With at least 20
  VMs and ``snapshots`` >= 1 the last VM is ``deep-chain-01``: 28 snapshots in one linear
  chain (xapi stops at 30). They come on top of the ``vms * snapshots`` budget, which the
  other VMs share exactly (the over-retention VM below may push it up by a few).
- Manual snapshot names come from admins' habits ("before patch 2025-02", "pre-upgrade", …),
  made unique per VM with " (2)", " (3)". Scheduled snapshots are named
  ``<vm name>-<YYYYMMDD>-<HHMM>`` after the run time, in UTC (the simulator's default pool
  timezone); xapi's own naming is not public.
- Schedules: the first, ``Nightly production`` (daily 02:30, keep 7), holds one VM with 9
  scheduled snapshots (over retention) and every VM on ``nearly-full-lvm``; its latest run
  failed for the latter with SR_FULL (one VMSS_SNAPSHOT_FAILED message). With 3 or more
  schedules the second to last is disabled and the last is enabled with no VMs.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from .coerce import NULL_REF

Row = dict[str, object]
Tables = dict[str, dict[str, Row]]

MiB = 1 << 20
GiB = 1 << 30
TiB = 1 << 40
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)

DEFAULT_NOW = dt.datetime(2025, 3, 19, 12, 0, 0, tzinfo=dt.UTC)
MAX_HOSTS = 64  # xapi's limit on pool size
NEARLY_FULL_SR_NAME = "nearly-full-lvm"
DEEP_CHAIN_VM_NAME = "deep-chain-01"
DEEP_CHAIN_DEPTH = 28
DEEP_CHAIN_MIN_VMS = 20
OVER_RETENTION_SCHEDULE_NAME = "Nightly production"
OVER_RETENTION_EXTRA = 2
VNC_BLOB_NAME = "XenCenter.VNCSnapshot"

# A 64x48 mid-grey baseline JPEG, written by hand: one quantisation table of ones, one
# Huffman table each for DC and AC holding a single 1-bit code (DC difference 0, EOB),
# so every 8x8 block is two zero bits.
VNC_SNAPSHOT_JPEG = bytes.fromhex(
    "ffd8"  # SOI
    "ffe000104a46494600010100000100010000"  # APP0: JFIF 1.1, no thumbnail
    "ffdb004300" + "01" * 64  # DQT: table 0, every step 1
    + "ffc0000b080030004001011100"  # SOF0: 8 bit, 48 rows, 64 columns, 1 component
    + "ffc400140001" + "00" * 15 + "00"  # DHT: DC table 0, one 1-bit code -> category 0
    + "ffc400141001" + "00" * 15 + "00"  # DHT: AC table 0, one 1-bit code -> EOB
    + "ffda0008010100003f00"  # SOS: component 1 with tables 0/0, spectrum 0..63
    + "00" * 12  # 48 blocks x 2 bits
    + "ffd9"  # EOI
)

# Snapshot behaviour.
REVERT_CHANCE = 0.15  # before taking a snapshot, the admin first reverted to an older one
REVERTED_AT_END_CHANCE = 0.08  # the VM was last reverted and nothing was taken since
CHECKPOINT_CHANCE = 0.2  # of snapshots taken while the VM was running
VNC_BLOB_CHANCE = 0.3  # of checkpoints
STATE_FLIP_CHANCE = 0.15  # the VM was in the other power state when the snapshot was taken
MANUAL_HISTORY = dt.timedelta(days=56)
RECENT_MESSAGES = dt.timedelta(days=3)  # VM_SNAPSHOTTED/VM_CHECKPOINTED messages kept
SCHEDULED_SHARE = 0.3
LOCAL_DISK_CHANCE = 0.2

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
XVD = "abcdefgh"


@dataclass(frozen=True)
class PoolSpec:
    """How big a pool to generate. ``snapshots`` is the average per VM."""

    hosts: int = 2
    vms: int = 12
    snapshots: int = 3
    schedules: int = 2

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"{f.name} must be a whole number, got {value!r}")
            if value < 0:
                raise ValueError(f"{f.name} must not be negative, got {value}")
        if not 1 <= self.hosts <= MAX_HOSTS:
            raise ValueError(f"hosts must be between 1 and {MAX_HOSTS}, got {self.hosts}")

    @classmethod
    def parse(cls, text: str) -> PoolSpec:
        """Parse ``hosts=4,vms=200,snapshots=5,schedules=3``; missing keys keep defaults."""
        known = [f.name for f in fields(cls)]
        values: dict[str, int] = {}
        for item in text.split(","):
            item = item.strip()
            if not item:
                continue
            key, sep, raw = item.partition("=")
            key, raw = key.strip(), raw.strip()
            if not sep:
                raise ValueError(f"expected KEY=NUMBER in generator spec, got {item!r}")
            if key not in known:
                raise ValueError(
                    f"unknown generator key {key!r}; expected one of {', '.join(known)}"
                )
            if key in values:
                raise ValueError(f"{key} given twice in generator spec")
            try:
                values[key] = int(raw)
            except ValueError:
                raise ValueError(f"{key} must be a whole number, got {raw!r}") from None
        return cls(**values)


def blob_payloads(tables: Mapping[str, Mapping[str, Mapping[str, object]]]) -> dict[str, bytes]:
    """The bytes behind each generated screenshot blob, by blob ref."""
    return {
        ref: VNC_SNAPSHOT_JPEG
        for ref, row in tables.get("blob", {}).items()
        if row.get("name_label") == VNC_BLOB_NAME
    }


def generate_pool(spec: PoolSpec, seed: int = 0, now: dt.datetime | None = None) -> Tables:
    """A whole pool as ``{class: {ref: {field: value}}}``, ready for ``bulk_load``."""
    when = (now or DEFAULT_NOW).replace(microsecond=0)
    when = when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when
    return _Builder(spec, seed, when.astimezone(dt.UTC)).build()


# --- static catalogues -----------------------------------------------------------------


@dataclass(frozen=True)
class _Os:
    template: str
    windows: bool
    version: tuple[tuple[str, str], ...]  # VM_guest_metrics.os_version
    system_disk_gib: tuple[int, ...]


# Windows guests report the system root and boot partition after the product name.
WINDOWS_BOOT = "|C:\\Windows|\\Device\\Harddisk0\\Partition2"
OSES: dict[str, _Os] = {
    "debian12": _Os("Debian Bookworm 12", False, (
        ("name", "Debian GNU/Linux 12 (bookworm)"), ("distro", "debian"), ("major", "12"),
        ("minor", "7"), ("uname", "6.1.0-26-amd64")), (16, 20, 32)),
    "ubuntu22": _Os("Ubuntu Jammy Jellyfish 22.04", False, (
        ("name", "Ubuntu 22.04.4 LTS"), ("distro", "ubuntu"), ("major", "22"),
        ("minor", "04"), ("uname", "5.15.0-105-generic")), (20, 32, 40)),
    "ubuntu24": _Os("Ubuntu Noble Numbat 24.04", False, (
        ("name", "Ubuntu 24.04.1 LTS"), ("distro", "ubuntu"), ("major", "24"),
        ("minor", "04"), ("uname", "6.8.0-45-generic")), (20, 32, 40)),
    "rocky9": _Os("Rocky Linux 9", False, (
        ("name", "Rocky Linux 9.4 (Blue Onyx)"), ("distro", "rocky"), ("major", "9"),
        ("minor", "4"), ("uname", "5.14.0-427.13.1.el9_4.x86_64")), (20, 40, 60)),
    "alpine": _Os("Other install media", False, (
        ("name", "Alpine Linux v3.20"), ("distro", "alpine"), ("major", "3"),
        ("minor", "20"), ("uname", "6.6.31-0-virt")), (8, 16)),
    "win2019": _Os("Windows Server 2019 (64-bit)", True, (
        ("name", f"Microsoft Windows Server 2019 Standard{WINDOWS_BOOT}"),
        ("distro", "windows"), ("major", "10"), ("minor", "0"), ("build", "17763")),
        (60, 80, 100)),
    "win2022": _Os("Windows Server 2022 (64-bit)", True, (
        ("name", f"Microsoft Windows Server 2022 Standard{WINDOWS_BOOT}"),
        ("distro", "windows"), ("major", "10"), ("minor", "0"), ("build", "20348")),
        (60, 80, 120)),
}


@dataclass(frozen=True)
class _Role:
    prefix: str
    description: str
    os: str
    weight: int
    memory_gib: tuple[int, ...]
    vcpus: tuple[int, ...]


ROLES = (
    _Role("web", "Nginx web front end", "debian12", 10, (1, 2, 4), (1, 2)),
    _Role("app", "Java application server", "ubuntu22", 8, (4, 6, 8), (2, 4)),
    _Role("api", "REST API backend", "ubuntu24", 6, (2, 4), (2, 4)),
    _Role("db", "PostgreSQL database", "rocky9", 6, (8, 12, 16), (4, 8)),
    _Role("sql", "Microsoft SQL Server", "win2022", 3, (8, 16), (4, 8)),
    _Role("mail", "Postfix and Dovecot mail server", "debian12", 2, (2, 4), (2,)),
    _Role("dc", "Active Directory domain controller", "win2019", 2, (4,), (2,)),
    _Role("file", "SMB file server", "win2022", 2, (4, 8), (2, 4)),
    _Role("cache", "Redis cache", "debian12", 3, (2, 4, 8), (2,)),
    _Role("lb", "HAProxy load balancer", "alpine", 3, (1, 2), (1, 2)),
    _Role("dns", "Bind9 resolver", "debian12", 2, (1,), (1,)),
    _Role("build-agent", "CI build agent", "ubuntu22", 6, (8, 16), (4, 8)),
    _Role("runner", "GitLab runner", "ubuntu24", 4, (4, 8), (4,)),
    _Role("monitor", "Zabbix monitoring", "rocky9", 2, (4,), (2,)),
    _Role("log", "Elasticsearch log node", "rocky9", 3, (8, 16), (4, 8)),
    _Role("k8s-node", "Kubernetes worker node", "ubuntu22", 6, (8, 16), (4, 8)),
    _Role("vpn", "WireGuard VPN gateway", "alpine", 1, (1,), (1,)),
    _Role("git", "Gitea code hosting", "debian12", 1, (2, 4), (2,)),
    _Role("backup", "Backup proxy", "win2019", 2, (4, 8), (2, 4)),
    _Role("rds", "Remote Desktop session host", "win2022", 2, (8, 16), (4, 8)),
    _Role("erp", "ERP application server", "win2019", 1, (8, 12), (4,)),
)
ROLE_WEIGHTS = [r.weight for r in ROLES]
DEEP_CHAIN_ROLE = _Role("deep-chain", "Stress case: a 28-deep snapshot chain", "debian12", 0,
                        (2,), (2,))

DATA_DISK_GIB = (8, 20, 50, 100, 150, 200)
TAG_SETS = (["production"], ["staging"], ["backup"], ["production", "critical"], ["legacy"],
            ["dev"], ["pci-dss", "production"])
FOLDERS = ("/Production", "/Staging", "/Infrastructure", "/Lab")
POOL_NAMES = ("Production", "DC1-Cluster", "Brno lab", "HQ pool", "Edge-Pool-A",
              "Datacenter West", "Research pool")

MANUAL_NAMES = (
    "before patch {month}", "pre-upgrade", "before kernel update", "known good", "baseline",
    "before config change", "after fresh install", "pre-migration", "release {release}",
    "before schema migration", "test", "before reboot", "clean state",
    "before security updates {day}", "working config {day}", "before driver update",
)

VM_OPERATIONS = {
    "Halted": ["snapshot", "clone", "copy", "create_template", "start", "start_on", "export",
               "destroy", "make_into_template", "metadata_export", "changing_dynamic_range",
               "changing_static_range", "changing_VCPUs", "changing_memory_limits",
               "changing_shadow_memory"],
    "Running": ["snapshot", "checkpoint", "clean_shutdown", "clean_reboot", "hard_shutdown",
                "hard_reboot", "suspend", "pause", "pool_migrate", "migrate_send",
                "send_sysrq", "send_trigger", "metadata_export", "changing_dynamic_range",
                "changing_VCPUs_live"],
    "Paused": ["snapshot", "checkpoint", "unpause", "hard_shutdown", "hard_reboot",
               "metadata_export", "changing_dynamic_range"],
    "Suspended": ["snapshot", "checkpoint", "resume", "resume_on", "hard_shutdown", "export",
                  "destroy", "metadata_export"],
}
SNAPSHOT_OPERATIONS = ["revert", "clone", "copy", "export", "destroy", "metadata_export"]
CHECKPOINT_OPERATIONS = [*SNAPSHOT_OPERATIONS, "hard_shutdown"]
VDI_DETACHED_OPERATIONS = ["clone", "copy", "resize", "snapshot", "mirror", "destroy", "forget",
                           "update", "generate_config", "enable_cbt", "set_on_boot"]
VDI_ATTACHED_OPERATIONS = ["clone", "copy", "resize_online", "snapshot", "mirror", "update",
                           "generate_config", "enable_cbt"]
VDI_SNAPSHOT_OPERATIONS = ["clone", "copy", "destroy", "forget", "update", "generate_config"]
VDI_SUSPEND_OPERATIONS = ["clone", "copy", "update"]
SR_OPERATIONS = ["forget", "vdi_create", "vdi_snapshot", "plug", "update", "destroy",
                 "vdi_destroy", "scan", "vdi_clone", "vdi_resize", "unplug"]
ISO_SR_OPERATIONS = ["forget", "vdi_introduce", "plug", "update", "destroy", "scan",
                     "vdi_clone", "unplug"]
ISO_IMAGES = (("debian-12.7.0-amd64-netinst.iso", 631 * MiB),
              ("ubuntu-24.04.1-live-server-amd64.iso", 2654 * MiB),
              ("SERVER_EVAL_x64FRE_en-us.iso", 4892 * MiB),
              ("guest-tools.iso", 47 * MiB))

SOFTWARE_VERSION = {
    "product_version": "8.3.0", "product_version_text": "8.3",
    "product_version_text_short": "8.3", "platform_name": "XCP", "platform_version": "3.4.0",
    "product_brand": "XCP-ng", "build_number": "cloud", "xapi": "24.19",
    "xapi_build": "24.19.2", "xen": "4.17.5-3", "linux": "4.19.0+1", "xencenter_min": "2.21",
    "xencenter_max": "2.21", "network_backend": "openvswitch", "db_schema": "5.780",
}


# --- working records -----------------------------------------------------------------


@dataclass
class _Sr:
    ref: str
    row: Row
    thin: bool
    nominal: int  # the size a pool admin would have provisioned
    used: int = 0
    allocated: int = 0
    free: int = 0


@dataclass
class _Host:
    ref: str
    name: str
    metrics: Row
    dom0_memory: int
    local_sr: _Sr | None = None
    used_memory: int = 0
    next_domid: int = 1


@dataclass
class _Schedule:
    ref: str
    uuid: str
    name: str
    frequency: str
    kind: str
    schedule: dict[str, str]
    retained: int
    enabled: bool
    takes_vms: bool
    last_run: dt.datetime
    members: list[_VmPlan] = field(default_factory=list)


@dataclass
class _Disk:
    vdi: str
    userdevice: str
    vdi_type: str
    virtual_size: int
    name: str
    sr: _Sr


@dataclass
class _VmPlan:
    index: int
    name: str
    role: _Role
    power_state: str
    memory: int
    vcpus: int
    host: _Host | None  # where it runs (Running, Paused)
    affinity: _Host | None
    sr: _Sr
    disk_gib: list[int]
    nics: int
    tags: list[str]
    folder: str
    deep_chain: bool = False
    snapshot_count: int = 0
    schedule: _Schedule | None = None
    fails_last_run: bool = False
    over_retention: bool = False
    scheduled_runs: list[dt.datetime] = field(default_factory=list)
    ref: str = ""
    uuid: str = ""
    mac_seed: str = ""
    disks: list[_Disk] = field(default_factory=list)
    vifs: list[tuple[str, str, str]] = field(default_factory=list)  # device, MAC, network


def _round_up(value: float, unit: int) -> int:
    return math.ceil(value / unit) * unit


def _mib(value: float) -> int:
    return max(MiB, int(value) // MiB * MiB)


class _Builder:
    lvm: _Sr
    nfs: _Sr
    nearly_full: _Sr
    iso: _Sr

    def __init__(self, spec: PoolSpec, seed: int, now: dt.datetime) -> None:
        self.spec = spec
        self.rng = random.Random(seed)
        self.now = now
        self.tables: Tables = {}
        self.hosts: list[_Host] = []
        self.srs: list[_Sr] = []
        self.networks: list[str] = []
        self.messages: list[Row] = []

    # --- identities and rows -----------------------------------------------------------

    def uuid(self) -> str:
        # Equivalent to str(uuid.UUID(int=..., version=4)), without the object.
        n = self.rng.getrandbits(128)
        n = (n & ~(0xF000 << 64) | (4 << 76)) & ~(0xC000 << 48) | (0x8000 << 48)
        h = f"{n:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def new_ref(self) -> str:
        return f"OpaqueRef:{self.uuid()}"

    def add(self, cls: str, row: Row, ref: str | None = None) -> str:
        ref = ref or self.new_ref()
        if "uuid" not in row:
            row["uuid"] = self.uuid()
        self.tables.setdefault(cls, {})[ref] = row
        return ref

    def mac(self) -> str:
        # Locally administered unicast, as xapi's generated MACs are.
        n = self.rng.getrandbits(48)
        b = n.to_bytes(6, "big")
        return ":".join(f"{x:02x}" for x in (b[0] & 0xFC | 0x02, *b[1:]))

    def past(self, earliest: dt.timedelta, latest: dt.timedelta) -> dt.datetime:
        """A whole-second time between ``earliest`` and ``latest`` before now."""
        span = int((earliest - latest).total_seconds())
        return self.now - latest - dt.timedelta(seconds=self.rng.randrange(max(span, 1)))

    # --- the whole pool ------------------------------------------------------------------

    def build(self) -> Tables:
        self.add_hosts()
        self.add_networks()
        self.add_srs()
        plans = self.plan_vms()
        schedules = self.plan_schedules(plans)
        self.plan_snapshot_counts(plans)
        for plan in plans:
            self.add_vm(plan)
            if plan.deep_chain:
                self.add_deep_chain(plan)
            else:
                self.add_snapshot_tree(plan)
        self.add_loose_vdis()
        self.finish_srs()
        self.finish_hosts()
        self.add_schedule_messages(schedules)
        for row in self.messages:
            self.add("message", row)
        self.add_pool()
        return self.tables

    def add_hosts(self) -> None:
        for i in range(self.spec.hosts):
            name = f"xcp-host-{i + 1:02d}"
            ref, dom0 = self.new_ref(), self.new_ref()
            metrics: Row = {"live": True, "last_updated": self.now}
            dom0_memory = 4 * GiB
            boot = self.past(dt.timedelta(days=120), dt.timedelta(days=3))
            self.add("host", {
                "name_label": name,
                "name_description": "Default install",
                "hostname": name,
                "address": f"127.0.0.{i + 1}",
                "enabled": True,
                "software_version": dict(SOFTWARE_VERSION),
                "API_version_major": 2,
                "API_version_minor": 21,
                "API_version_vendor": "XenSource",
                "edition": "xcp-ng",
                "sched_policy": "credit",
                "iscsi_iqn": f"iqn.2024-01.lab.example:{name}",
                "control_domain": dom0,
                "metrics": self.add("host_metrics", metrics),
                "capabilities": ["xen-3.0-x86_64", "hvm-3.0-x86_32", "hvm-3.0-x86_32p",
                                 "hvm-3.0-x86_64"],
                "supported_bootloaders": ["pygrub", "eliloader"],
                "allowed_operations": ["provision", "evacuate", "shutdown", "reboot",
                                       "vm_start", "vm_resume", "vm_migrate"],
                "cpu_info": {"cpu_count": "32", "socket_count": "2", "vendor": "GenuineIntel",
                             "modelname": "Intel(R) Xeon(R) Silver 4214R CPU @ 2.40GHz",
                             "speed": "2394.374"},
                "other_config": {"iscsi_iqn": f"iqn.2024-01.lab.example:{name}",
                                 "boot_time": f"{boot.timestamp():.0f}.",
                                 "agent_start_time": f"{boot.timestamp() + 45:.0f}."},
            }, ref)
            host = _Host(ref, name, metrics, dom0_memory)
            self.hosts.append(host)
            self.add("VM", {
                "name_label": f"Control domain on host: {name}",
                "name_description": "The domain which manages physical devices and manages "
                                    "other domains",
                "is_control_domain": True,
                "is_a_template": False,
                "power_state": "Running",
                "resident_on": ref,
                "affinity": ref,
                "domid": 0,
                "domain_type": "pv",
                "user_version": 1,
                "memory_static_min": dom0_memory, "memory_static_max": dom0_memory,
                "memory_dynamic_min": dom0_memory, "memory_dynamic_max": dom0_memory,
                "memory_target": dom0_memory,
                "VCPUs_max": 8, "VCPUs_at_startup": 8,
                "metrics": self.add("VM_metrics", {
                    "memory_actual": dom0_memory, "VCPUs_number": 8, "start_time": boot,
                    "current_domain_type": "pv", "last_updated": self.now}),
                "other_config": {"storage_driver_domain": dom0, "is_system_domain": "true"},
            }, dom0)

    def add_networks(self) -> None:
        for n in range(2):
            net = self.add("network", {
                "name_label": f"Pool-wide network associated with eth{n}",
                "bridge": f"xenbr{n}", "MTU": 1500, "managed": True, "other_config": {},
            })
            self.networks.append(net)
            for host in self.hosts:
                address = self.tables["host"][host.ref]["address"]
                self.add("PIF", {
                    "device": f"eth{n}", "host": host.ref, "network": net,
                    "MAC": "0c:c4:7a:" + self.mac()[9:], "MTU": 1500, "VLAN": -1,
                    "physical": True, "currently_attached": True, "managed": True,
                    "management": n == 0,
                    "IP": address if n == 0 else "", "netmask": "255.0.0.0" if n == 0 else "",
                    "ip_configuration_mode": "Static" if n == 0 else "None",
                    "primary_address_type": "IPv4",
                })
        self.add("network", {
            "name_label": "Host internal management network", "bridge": "xenapi", "MTU": 1500,
            "managed": True,
            "other_config": {"is_guest_installer_network": "true",
                             "is_host_internal_management_network": "true",
                             "ip_begin": "169.254.0.1", "ip_end": "169.254.255.254",
                             "netmask": "255.255.0.0"},
        })

    def add_sr(self, name: str, description: str, sr_type: str, *, shared: bool, thin: bool,
               nominal: int, sm_config: dict[str, str], device_config: dict[str, str],
               hosts: list[_Host], content_type: str = "user",
               other_config: dict[str, str] | None = None) -> _Sr:
        row: Row = {
            "name_label": name, "name_description": description, "type": sr_type,
            "content_type": content_type, "shared": shared, "sm_config": sm_config,
            "other_config": other_config or {},
            "allowed_operations": list(ISO_SR_OPERATIONS if content_type == "iso"
                                       else SR_OPERATIONS),
        }
        sr = _Sr(self.add("SR", row), row, thin, nominal)
        for host in hosts:
            self.add("PBD", {"SR": sr.ref, "host": host.ref, "currently_attached": True,
                             "device_config": dict(device_config), "other_config": {}})
        self.srs.append(sr)
        return sr

    def add_srs(self) -> None:
        self.lvm = self.add_sr(
            "iscsi-lvm-01", "iSCSI LUN 1 on san01.lab.example (thick provisioned)",
            "lvmoiscsi", shared=True, thin=False, nominal=4 * TiB,
            sm_config={"allocation": "thick", "use_vhd": "true", "multipathable": "true"},
            device_config={"target": "10.0.10.20", "port": "3260",
                           "targetIQN": "iqn.2024-01.example.lab:san01.lun1",
                           "SCSIid": "36001405e1a2b3c4d5e6f708192a3b4c5"},
            hosts=self.hosts)
        self.nfs = self.add_sr(
            "nfs-vhd-01", "NFS on nfs01.lab.example:/export/xcp (thin provisioned)", "nfs",
            shared=True, thin=True, nominal=8 * TiB, sm_config={"allocation": "thin"},
            device_config={"server": "nfs01.lab.example", "serverpath": "/export/xcp",
                           "nfsversion": "4.1"},
            hosts=self.hosts, other_config={"auto-scan": "true"})
        self.nearly_full = self.add_sr(
            NEARLY_FULL_SR_NAME, "iSCSI LUN 2 on san02.lab.example (thick, nearly full)",
            "lvmoiscsi", shared=True, thin=False, nominal=0,
            sm_config={"allocation": "thick", "use_vhd": "true", "multipathable": "true"},
            device_config={"target": "10.0.10.21", "port": "3260",
                           "targetIQN": "iqn.2024-01.example.lab:san02.lun2",
                           "SCSIid": "36001405f0e1d2c3b4a5968778695a4b3"},
            hosts=self.hosts)
        self.iso = self.add_sr(
            "ISO library", "NFS ISO library on nfs01.lab.example:/export/iso", "iso",
            shared=True, thin=True, nominal=512 * GiB, sm_config={},
            device_config={"location": "nfs01.lab.example:/export/iso", "type": "nfs_iso"},
            hosts=self.hosts, content_type="iso")
        for i, host in enumerate(self.hosts):
            thin = i % 2 == 0
            host.local_sr = self.add_sr(
                "Local storage", f"Local storage on {host.name}", "ext" if thin else "lvm",
                shared=False, thin=thin, nominal=1800 * GiB,
                sm_config={"allocation": "thin"} if thin else
                {"allocation": "thick", "use_vhd": "true",
                 "devserial": f"scsi-SATA_SAMSUNG_MZ7L31T9_{i:08d}"},
                device_config={"device": "/dev/sda3" if thin else "/dev/sdb"},
                hosts=[host],
                other_config={"i18n-key": "local-storage",
                              "i18n-original-value-name_label": "Local storage"})
            self.tables["host"][host.ref]["suspend_image_sr"] = host.local_sr.ref
            self.tables["host"][host.ref]["crash_dump_sr"] = host.local_sr.ref

    def add_vdi(self, sr: _Sr, name: str, vdi_type: str, virtual_size: int, physical: int,
                operations: list[str], **extra: object) -> str:
        uuid = self.uuid()
        row: Row = {
            "uuid": uuid, "name_label": name, "SR": sr.ref, "type": vdi_type,
            "virtual_size": virtual_size, "physical_utilisation": physical,
            "location": uuid, "managed": True, "sharable": False, "read_only": False,
            "sm_config": {"vdi_type": "vhd"}, "allowed_operations": operations,
        }
        row.update(extra)
        sr.used += physical
        sr.allocated += virtual_size
        return self.add("VDI", row)

    # --- planning ------------------------------------------------------------------------

    def plan_vms(self) -> list[_VmPlan]:
        rng = self.rng
        count = self.spec.vms
        deep_chain = count >= DEEP_CHAIN_MIN_VMS and self.spec.snapshots > 0
        ordinary = count - 1 if deep_chain else count
        # A small LUN: a handful of VMs, so the SR_FULL failure stays readable.
        crowd = min(3, ordinary // 30 + 1) if ordinary >= 2 else 0
        on_nearly_full = set(rng.sample(range(ordinary), crowd))
        numbers: dict[str, int] = {}
        plans: list[_VmPlan] = []
        for index in range(count):
            if deep_chain and index == count - 1:
                plans.append(_VmPlan(
                    index, DEEP_CHAIN_VM_NAME, DEEP_CHAIN_ROLE, "Running", 2 * GiB, 2,
                    rng.choice(self.hosts), None, self.nfs, [20], 1, [], "/Lab", True))
                continue
            role = rng.choices(ROLES, ROLE_WEIGHTS)[0]
            numbers[role.prefix] = numbers.get(role.prefix, 0) + 1
            roll = rng.random()
            state = ("Running" if roll < 0.60 else "Halted" if roll < 0.90
                     else "Suspended" if roll < 0.97 else "Paused")
            disks = [rng.choice(OSES[role.os].system_disk_gib)]
            disks += [rng.choice(DATA_DISK_GIB) for _ in range(rng.random() < 0.45)]
            disks += [rng.choice(DATA_DISK_GIB) for _ in range(rng.random() < 0.15)]
            affinity: _Host | None = None
            if index in on_nearly_full:
                sr = self.nearly_full
            elif rng.random() < LOCAL_DISK_CHANCE:
                affinity = rng.choice(self.hosts)
                assert affinity.local_sr is not None
                sr = affinity.local_sr
            else:
                sr = self.nfs if rng.random() < 0.55 else self.lvm
            host = None
            if state in ("Running", "Paused"):
                host = affinity or rng.choice(self.hosts)
            plans.append(_VmPlan(
                index, f"{role.prefix}-{numbers[role.prefix]:02d}", role, state,
                rng.choice(role.memory_gib) * GiB, rng.choice(role.vcpus), host, affinity, sr,
                disks, 2 if rng.random() < 0.25 else 1,
                list(rng.choice(TAG_SETS)) if rng.random() < 0.25 else [],
                rng.choice(FOLDERS) if rng.random() < 0.3 else ""))
        return plans

    def plan_schedules(self, plans: list[_VmPlan]) -> list[_Schedule]:
        rng = self.rng
        count = self.spec.schedules
        groups = ("staging", "tier-1", "lab", "dev", "infrastructure", "Windows servers",
                  "web tier", "build farm")
        adjectives = {"hourly": "Hourly", "daily": "Nightly", "weekly": "Weekly"}
        layouts: list[tuple[str, str, str, dict[str, str], int]] = [
            (OVER_RETENTION_SCHEDULE_NAME, "daily", "snapshot", {"hour": "2", "min": "30"}, 7),
            ("Hourly critical", "hourly", "snapshot", {"min": "15"}, 10),
            ("Weekly archive", "weekly", "snapshot",
             {"hour": "1", "min": "0", "days": "Saturday,Sunday"}, 4),
            ("Daily checkpoints", "daily", "checkpoint", {"hour": "23", "min": "45"}, 5),
        ]
        for i in range(len(layouts), count):
            frequency = rng.choice(("hourly", "daily", "weekly"))
            group = groups[i - 4] if i - 4 < len(groups) else f"group {i + 1:02d}"
            name = f"{adjectives[frequency]} {group}"
            minute = rng.choice(("0", "15", "30", "45"))
            hour = str(rng.randrange(24))
            days = ",".join(sorted(rng.sample(WEEKDAYS, rng.randint(1, 3)),
                                   key=WEEKDAYS.index))
            schedule = ({"min": minute} if frequency == "hourly" else
                        {"hour": hour, "min": minute} if frequency == "daily" else
                        {"hour": hour, "min": minute, "days": days})
            default_keep = {"hourly": 10, "daily": 7, "weekly": 4}[frequency]
            keep = default_keep if rng.random() < 0.6 else rng.randint(1, 10)
            kind = "checkpoint" if rng.random() < 0.25 else "snapshot"
            layouts.append((name, frequency, kind, schedule, keep))
        schedules: list[_Schedule] = []
        for i, (name, frequency, kind, schedule, keep) in enumerate(layouts[:count]):
            disabled = count >= 3 and i == count - 2
            empty = count >= 3 and i == count - 1
            ref, uuid = self.new_ref(), self.uuid()
            until = self.now - dt.timedelta(minutes=5)
            if disabled:
                until -= DAY * rng.randint(3, 10)
            s = _Schedule(ref, uuid, name, frequency, kind, schedule, keep, not disabled,
                          not empty, _run_times(frequency, schedule, until, 1)[0])
            schedules.append(s)
            self.add("VMSS", {
                "uuid": uuid, "name_label": name,
                "name_description": f"{frequency.capitalize()} {kind}s, keep {keep}",
                "enabled": s.enabled, "type": kind, "frequency": frequency,
                "schedule": dict(schedule), "retained_snapshots": keep,
                "last_run_time": s.last_run,
            }, ref)

        takers = [s for s in schedules if s.takes_vms]
        ordinary = [p for p in plans if not p.deep_chain]
        if not takers or not ordinary:
            return schedules
        first = schedules[0]
        for plan in ordinary:
            if plan.sr is self.nearly_full:
                self.assign(plan, first)
                plan.fails_last_run = True
        healthy = [p for p in ordinary if p.schedule is None]
        if healthy and self.spec.snapshots > 0:
            chosen = rng.choice(healthy)
            self.assign(chosen, first)
            chosen.over_retention = True
        for s in takers[1:]:
            fits = [p for p in ordinary if p.schedule is None and _fits(p, s)]
            if fits:
                self.assign(rng.choice(fits), s)
        for plan in ordinary:
            if plan.schedule is None and rng.random() < SCHEDULED_SHARE:
                s = rng.choice(takers)
                if _fits(plan, s):
                    self.assign(plan, s)
        return schedules

    @staticmethod
    def assign(plan: _VmPlan, schedule: _Schedule) -> None:
        plan.schedule = schedule
        schedule.members.append(plan)

    def plan_snapshot_counts(self, plans: list[_VmPlan]) -> None:
        """Spread exactly ``vms * snapshots`` over the ordinary VMs, 0..2*snapshots each."""
        rng = self.rng
        per_vm = self.spec.snapshots
        ordinary = [p for p in plans if not p.deep_chain]
        if per_vm == 0 or not ordinary:
            return
        most = 2 * per_vm
        counts = [rng.randint(0, most) for _ in ordinary]
        floors = [0] * len(ordinary)
        for i, plan in enumerate(ordinary):
            if plan.over_retention and plan.schedule is not None:
                floors[i] = plan.schedule.retained + OVER_RETENTION_EXTRA + 1
                counts[i] = max(counts[i], floors[i])
        target = len(ordinary) * per_vm
        excess = sum(counts) - target
        room = sum(c - f for c, f in zip(counts, floors, strict=True))
        if excess >= room:
            counts = list(floors)
        while 0 < excess < room:
            i = rng.randrange(len(counts))
            if counts[i] > floors[i]:
                counts[i] -= 1
                excess -= 1
        while excess < 0:
            i = rng.randrange(len(counts))
            if counts[i] < most:
                counts[i] += 1
                excess += 1
        for plan, n in zip(ordinary, counts, strict=True):
            plan.snapshot_count = n
            s = plan.schedule
            if s is None or n == 0:
                continue
            if plan.over_retention:
                wanted = s.retained + OVER_RETENTION_EXTRA
            else:
                wanted = min(s.retained, n, max(1, round(n * rng.uniform(0.4, 0.8))))
            runs = _run_times(s.frequency, s.schedule, s.last_run,
                              wanted + (1 if plan.fails_last_run else 0))
            plan.scheduled_runs = runs[1:] if plan.fails_last_run else runs

    # --- VMs -----------------------------------------------------------------------------

    def vm_static(self, plan: _VmPlan) -> Row:
        """The fields a snapshot copies from its VM, as fresh values."""
        os = OSES[plan.role.os]
        memory = plan.memory
        dynamic_min = memory // 2 if plan.index % 5 == 0 and memory >= 4 * GiB else memory
        other_config = {"base_template_name": os.template, "mac_seed": plan.mac_seed,
                        "install-methods": "cdrom" if os.windows else "cdrom,nfs,http,ftp"}
        if not os.windows:
            other_config["linux_template"] = "true"
        if plan.folder:
            other_config["folder"] = plan.folder
        platform = {"timeoffset": "0", "device-model": "qemu-upstream-compat",
                    "videoram": "8", "hpet": "true", "secureboot": "false", "vga": "std",
                    "nx": "true", "acpi": "1", "apic": "true", "pae": "true",
                    "cores-per-socket": str(plan.vcpus)}
        if os.windows:
            platform.update(viridian="true", viridian_time_ref_count="true",
                            viridian_reference_tsc="true")
        return {
            "name_description": plan.role.description,
            "user_version": 1,
            "memory_static_max": memory, "memory_dynamic_max": memory,
            "memory_dynamic_min": dynamic_min,
            "memory_static_min": min(dynamic_min, GiB if os.windows else GiB // 2),
            "memory_target": memory, "memory_overhead": _mib(memory / 128),
            "VCPUs_max": plan.vcpus, "VCPUs_at_startup": plan.vcpus,
            "actions_after_shutdown": "destroy", "actions_after_reboot": "restart",
            "actions_after_crash": "restart",
            "domain_type": "hvm", "HVM_boot_policy": "BIOS order",
            "HVM_boot_params": {"order": "dc" if os.windows else "cd", "firmware": "bios"},
            "HVM_shadow_multiplier": 1.0,
            "platform": platform,
            "has_vendor_device": os.windows,
            "affinity": plan.affinity.ref if plan.affinity else NULL_REF,
            "other_config": other_config,
            "tags": list(plan.tags),
        }

    def add_vm(self, plan: _VmPlan) -> None:
        rng = self.rng
        os = OSES[plan.role.os]
        plan.ref, plan.uuid, plan.mac_seed = self.new_ref(), self.uuid(), self.uuid()
        state = plan.power_state
        live = state in ("Running", "Paused")
        attached = state != "Halted"  # a suspended VM keeps its disks attached
        row = self.vm_static(plan)
        installed = self.past(dt.timedelta(days=700), dt.timedelta(days=60))
        metrics: Row = {"install_time": installed, "hvm": True, "memory_actual": 0,
                        "VCPUs_number": 0, "current_domain_type": "unspecified"}
        if live:
            assert plan.host is not None
            metrics.update(memory_actual=plan.memory, VCPUs_number=plan.vcpus,
                           current_domain_type="hvm", last_updated=self.now,
                           start_time=self.past(dt.timedelta(days=50), HOUR))
            plan.host.used_memory += plan.memory + _mib(plan.memory / 128)
            row["resident_on"] = plan.host.ref
            row["domid"] = plan.host.next_domid
            plan.host.next_domid += 1
            ip = f"10.20.{plan.index // 250}.{plan.index % 250 + 2}"
            row["guest_metrics"] = self.add("VM_guest_metrics", {
                "os_version": dict(os.version),
                "PV_drivers_version": ({"major": "9", "minor": "3", "micro": "3", "build": "0"}
                                       if os.windows else
                                       {"major": "8", "minor": "4", "micro": "0",
                                        "build": "1"}),
                "PV_drivers_up_to_date": True, "PV_drivers_detected": True,
                "networks": {"0/ip": ip, "0/ipv4/0": ip},
                "other": {"feature-suspend": "1", "feature-balloon": "1",
                          "platform-feature-multiprocessor-suspend": "1",
                          "has-vendor-device": "1" if os.windows else "0"},
                "live": True, "last_updated": self.now,
                "can_use_hotplug_vbd": "yes", "can_use_hotplug_vif": "yes",
            })
        else:
            row["domid"] = -1
        if state == "Suspended":
            row["suspend_VDI"] = self.add_memory_image(plan, VDI_SUSPEND_OPERATIONS)
        row.update(
            uuid=plan.uuid, name_label=plan.name, power_state=state, is_a_template=False,
            is_control_domain=False, allowed_operations=list(VM_OPERATIONS[state]),
            snapshot_schedule=plan.schedule.ref if plan.schedule else NULL_REF,
            metrics=self.add("VM_metrics", metrics),
        )
        for i, gib in enumerate(plan.disk_gib):
            size = gib * GiB
            physical = _mib(size * rng.uniform(0.2, 0.7)) if plan.sr.thin else size
            vdi_type = "system" if i == 0 else "user"
            name = f"{plan.name} {'system' if i == 0 else 'data'} disk {i}"
            vdi = self.add_vdi(plan.sr, name, vdi_type, size, physical,
                               list(VDI_ATTACHED_OPERATIONS if attached
                                    else VDI_DETACHED_OPERATIONS))
            plan.disks.append(_Disk(vdi, str(i), vdi_type, size, name, plan.sr))
            self.add("VBD", {
                "VM": plan.ref, "VDI": vdi, "type": "Disk", "mode": "RW", "userdevice": str(i),
                "device": f"xvd{XVD[i]}", "bootable": i == 0, "currently_attached": attached,
                "empty": False, "unpluggable": i != 0, "other_config": {},
                "allowed_operations": ["pause", "unplug", "unplug_force"] if attached
                else ["attach"],
            })
        self.add_cd_drive(plan.ref, len(plan.disk_gib), attached)
        for n in range(plan.nics):
            mac = self.mac()
            plan.vifs.append((str(n), mac, self.networks[n]))
            self.add("VIF", {
                "VM": plan.ref, "device": str(n), "MAC": mac, "MAC_autogenerated": True,
                "network": self.networks[n], "MTU": 1500, "currently_attached": live,
                "locking_mode": "network_default",
                "allowed_operations": ["unplug"] if live else ["attach"],
            })
        self.add("VM", row, plan.ref)

    def add_cd_drive(self, vm: str, position: int, attached: bool) -> None:
        self.add("VBD", {
            "VM": vm, "VDI": NULL_REF, "type": "CD", "mode": "RO", "empty": True,
            "userdevice": str(max(position, 3)), "device": "xvdd" if position <= 3 else "",
            "bootable": False, "currently_attached": attached, "other_config": {},
            "allowed_operations": ["insert"] if attached else ["attach", "insert"],
        })

    def add_memory_image(self, plan: _VmPlan, operations: list[str], **extra: object) -> str:
        size = _mib(plan.memory * 1.2)
        return self.add_vdi(self.nfs, "Suspend image", "suspend", size,
                            _mib(plan.memory * self.rng.uniform(0.3, 0.9)), list(operations),
                            name_description="Suspend image", **extra)

    # --- snapshots -----------------------------------------------------------------------

    def add_snapshot_tree(self, plan: _VmPlan) -> None:
        """Take the VM's snapshots in time order, reverting now and then, as xapi would."""
        rng = self.rng
        manual = plan.snapshot_count - len(plan.scheduled_runs)
        events: list[tuple[dt.datetime, str]] = [
            (self.past(MANUAL_HISTORY, dt.timedelta(minutes=10)), "") for _ in range(manual)
        ]
        events += [
            (run + dt.timedelta(seconds=rng.randint(5, 240)), f"{plan.name}-{run:%Y%m%d-%H%M}")
            for run in plan.scheduled_runs
        ]
        events.sort()
        used_names: set[str] = set()
        taken: list[str] = []
        depth: dict[str, int] = {NULL_REF: 0}
        parent = NULL_REF
        base_state = "Halted" if plan.power_state == "Halted" else "Running"
        for when, scheduled_name in events:
            if len(taken) >= 2 and rng.random() < REVERT_CHANCE:
                parent = taken[rng.randrange(len(taken) - 1)]
            if depth[parent] >= DEEP_CHAIN_DEPTH:
                parent = rng.choice([s for s in taken if depth[s] < DEEP_CHAIN_DEPTH])
            if scheduled_name:
                name = scheduled_name
                checkpoint = plan.schedule is not None and plan.schedule.kind == "checkpoint"
                state_at = "Running" if checkpoint else base_state
            else:
                name = self.manual_name(when, used_names)
                state_at = base_state
                if rng.random() < STATE_FLIP_CHANCE:
                    state_at = "Running" if base_state == "Halted" else "Halted"
                checkpoint = state_at == "Running" and rng.random() < CHECKPOINT_CHANCE
            used_names.add(name)
            snap = self.add_snapshot(plan, when, name, parent, state_at, checkpoint,
                                     scheduled=bool(scheduled_name))
            depth[snap] = depth[parent] + 1
            taken.append(snap)
            parent = snap
        if len(taken) >= 2 and rng.random() < REVERTED_AT_END_CHANCE:
            parent = taken[rng.randrange(len(taken) - 1)]
        self.tables["VM"][plan.ref]["parent"] = parent

    def add_deep_chain(self, plan: _VmPlan) -> None:
        parent = NULL_REF
        first = self.now - DAY * (DEEP_CHAIN_DEPTH + 1)
        for i in range(DEEP_CHAIN_DEPTH):
            when = first + DAY * i + dt.timedelta(seconds=self.rng.randrange(3600, 20 * 3600))
            parent = self.add_snapshot(plan, when, f"chain link {i + 1:02d}", parent,
                                       "Running", checkpoint=False, scheduled=False)
        self.tables["VM"][plan.ref]["parent"] = parent

    def manual_name(self, when: dt.datetime, used: set[str]) -> str:
        template = self.rng.choice(MANUAL_NAMES)
        base = template.format(month=f"{when:%Y-%m}", day=f"{when:%Y-%m-%d}",
                               release=f"{self.rng.randint(1, 4)}.{self.rng.randint(0, 12)}")
        name, n = base, 2
        while name in used:
            name, n = f"{base} ({n})", n + 1
        return name

    def add_snapshot(self, plan: _VmPlan, when: dt.datetime, name: str, parent: str,
                     state_at: str, checkpoint: bool, *, scheduled: bool) -> str:
        rng = self.rng
        ref = self.new_ref()
        row = self.vm_static(plan)
        for disk in plan.disks:
            small = _mib(disk.virtual_size * rng.uniform(0.004, 0.06))
            vdi = self.add_vdi(disk.sr, disk.name, disk.vdi_type, disk.virtual_size, small,
                               list(VDI_SNAPSHOT_OPERATIONS), is_a_snapshot=True,
                               snapshot_of=disk.vdi, snapshot_time=when)
            self.add("VBD", {
                "VM": ref, "VDI": vdi, "type": "Disk", "mode": "RW",
                "userdevice": disk.userdevice, "bootable": disk.userdevice == "0",
                "currently_attached": False, "empty": False, "other_config": {"owner": ""},
                "allowed_operations": ["attach"],
            })
        self.add_cd_drive(ref, len(plan.disks), False)
        for device, mac, network in plan.vifs:
            self.add("VIF", {
                "VM": ref, "device": device, "MAC": mac, "MAC_autogenerated": True,
                "network": network, "MTU": 1500, "currently_attached": False,
                "locking_mode": "network_default", "allowed_operations": ["attach"],
            })
        if checkpoint:
            row["suspend_VDI"] = self.add_memory_image(
                plan, VDI_SNAPSHOT_OPERATIONS, snapshot_time=when)
            if rng.random() < VNC_BLOB_CHANCE:
                row["blobs"] = {VNC_BLOB_NAME: self.add("blob", {
                    "name_label": VNC_BLOB_NAME, "mime_type": "image/jpeg",
                    "size": len(VNC_SNAPSHOT_JPEG), "public": False, "last_updated": when,
                })}
        row.update(
            name_label=name, power_state="Suspended" if checkpoint else "Halted",
            is_a_snapshot=True, is_a_template=True, snapshot_of=plan.ref, snapshot_time=when,
            parent=parent, is_vmss_snapshot=scheduled, domid=-1,
            snapshot_info={"power-state-at-snapshot": state_at,
                           "disk-snapshot-type": "crash_consistent"},
            snapshot_metadata=(f"('struct' ('uuid' '{plan.uuid}') ('name_label' '{plan.name}')"
                               f" ('power_state' '{state_at}'))"),
            allowed_operations=list(CHECKPOINT_OPERATIONS if checkpoint
                                    else SNAPSHOT_OPERATIONS),
            metrics=self.add("VM_metrics", {"install_time": when, "hvm": True,
                                            "current_domain_type": "unspecified"}),
        )
        if not scheduled and self.now - when <= RECENT_MESSAGES:
            verb = "checkpointed" if checkpoint else "snapshotted"
            self.messages.append({
                "name": "VM_CHECKPOINTED" if checkpoint else "VM_SNAPSHOTTED", "priority": 5,
                "cls": "VM", "obj_uuid": plan.uuid, "timestamp": when + dt.timedelta(seconds=3),
                "body": f"VM '{plan.name}' (uuid: {plan.uuid}) {verb}, snapshot name: {name}",
            })
        return self.add("VM", row, ref)

    # --- storage and hosts, once everything is placed ------------------------------------

    def add_loose_vdis(self) -> None:
        """Detached disks: archive volumes that fill ``nearly-full-lvm``, and ISO images."""
        for name, gib in (("archive-2019", 500), ("old-fileserver-data", 250)):
            self.add_vdi(self.nearly_full, name, "user", gib * GiB, gib * GiB,
                         list(VDI_DETACHED_OPERATIONS), name_description="Detached, kept for "
                         "audit")
        for name, size in ISO_IMAGES:
            self.add_vdi(self.iso, name, "user", size, size, ["clone", "destroy", "forget"],
                         location=name, read_only=True, sm_config={})

    def finish_srs(self) -> None:
        for sr in self.srs:
            metadata = 0 if sr.thin else 12 * MiB  # LVM's own volume metadata
            used = sr.used + metadata
            if sr is self.nearly_full:
                # Less free space than the smallest disk, so thick snapshots hit SR_FULL.
                size = used + self.rng.randint(1536, 3584) * MiB
            else:
                size = _round_up(max(sr.nominal, used / self.rng.uniform(0.35, 0.6)), 4 * GiB)
            sr.free = size - used
            sr.row.update(physical_size=size, physical_utilisation=used,
                          virtual_allocation=sr.allocated)

    def finish_hosts(self) -> None:
        for host in self.hosts:
            used = host.dom0_memory + host.used_memory
            total = _round_up(max(256 * GiB, used / 0.8), 64 * GiB)
            overhead = _mib(total / 200)
            self.tables["host"][host.ref]["memory_overhead"] = overhead
            host.metrics.update(memory_total=total, memory_free=total - used - overhead)

    def add_schedule_messages(self, schedules: list[_Schedule]) -> None:
        rng = self.rng
        for s in schedules:
            if not s.members:
                continue
            failed = [p for p in s.members if p.fails_last_run]
            runs = _run_times(s.frequency, s.schedule, s.last_run, min(s.retained, 6))
            for i, run in enumerate(reversed(runs)):
                stamp = run + dt.timedelta(seconds=rng.randint(30, 300))
                if failed and i == len(runs) - 1:
                    lines = [
                        f"VM:{p.name}UUID:{p.uuid}Error:['SR_FULL', "
                        f"'{sum(d.virtual_size for d in p.disks)}', '{self.nearly_full.free}']"
                        for p in failed
                    ]
                    self.messages.append({
                        "name": "VMSS_SNAPSHOT_FAILED", "priority": 3, "cls": "VMSS",
                        "obj_uuid": s.uuid, "timestamp": stamp, "body": "\n".join(lines),
                    })
                    continue
                self.messages.append({
                    "name": "VMSS_SNAPSHOT_SUCCEEDED", "priority": 5, "cls": "VMSS",
                    "obj_uuid": s.uuid, "timestamp": stamp,
                    "body": f"The snapshot schedule '{s.name}' took {s.kind}s of "
                            f"{len(s.members)} VMs.",
                })
        self.messages.sort(key=lambda m: str(m["timestamp"]))

    def add_pool(self) -> None:
        self.add("pool", {
            "name_label": self.rng.choice(POOL_NAMES),
            "name_description": f"Simulated XCP-ng 8.3 pool of {len(self.hosts)} hosts",
            "master": self.hosts[0].ref,
            "default_SR": self.nfs.ref,
            "suspend_image_SR": self.nfs.ref,
            "crash_dump_SR": self.nfs.ref,
            "other_config": {"auto_poweron": "false", "memory-ratio-hvm": "0.25",
                             "memory-ratio-pv": "0.25"},
            "restrictions": {"restrict_vmss": "false", "restrict_checkpoint": "false"},
            "cpu_info": {"cpu_count": str(32 * len(self.hosts)), "vendor": "GenuineIntel",
                         "socket_count": str(2 * len(self.hosts))},
            "ha_enabled": False,
        })


def _fits(plan: _VmPlan, schedule: _Schedule) -> bool:
    # A checkpoint needs a running VM; the plugin would fail on the others.
    return schedule.kind != "checkpoint" or plan.power_state == "Running"


def _run_times(frequency: str, schedule: Mapping[str, str], until: dt.datetime,
               count: int) -> list[dt.datetime]:
    """The schedule's last ``count`` run times at or before ``until``, newest first."""
    minute = int(schedule.get("min", "0"))
    hour = int(schedule.get("hour", "0"))
    if frequency == "hourly":
        latest = until.replace(minute=minute, second=0, microsecond=0)
        if latest > until:
            latest -= HOUR
        return [latest - HOUR * k for k in range(count)]
    days = set(schedule.get("days", "").split(",")) if frequency == "weekly" else set(WEEKDAYS)
    candidate = until.replace(hour=hour, minute=minute, second=0, microsecond=0)
    runs: list[dt.datetime] = []
    while len(runs) < count:
        if candidate <= until and WEEKDAYS[candidate.weekday()] in days:
            runs.append(candidate)
        candidate -= DAY
    return runs
