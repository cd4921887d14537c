"""The shared XAPI dumps, served by the simulator and read back through the SDK."""

from __future__ import annotations

from pathlib import Path

import XenAPI

from xsnap_gui.simulator.api import simulator


def test_state1_shows_hottub_with_two_hosts_and_an_orphan(dumps_dir: Path) -> None:
    with simulator(db=dumps_dir / "state1.xml", tls=False) as running:
        s = XenAPI.Session(running.url)
        s.xenapi.login_with_password("root", "xsnap")
        pools = s.xenapi.pool.get_all_records()
        assert [p["name_label"] for p in pools.values()] == ["Hottub"]
        assert len(s.xenapi.host.get_all()) == 2
        vms = s.xenapi.VM.get_all_records()
        snapshots = {ref: r for ref, r in vms.items() if r["is_a_snapshot"]}
        assert len(snapshots) == 2
        orphans = [r for r in snapshots.values() if r["snapshot_of"] not in vms]
        assert len(orphans) == 1
        kept = [r for r in snapshots.values() if r["snapshot_of"] in vms]
        source = vms[kept[0]["snapshot_of"]]
        assert any(vms[ref]["snapshot_of"] for ref in source["snapshots"])
        s.xenapi.session.logout()


def test_cowley_policies_loads(dumps_dir: Path) -> None:
    with simulator(db=dumps_dir / "cowleyPolicies.xml", tls=False) as running:
        s = XenAPI.Session(running.url)
        s.xenapi.login_with_password("root", "xsnap")
        vms = s.xenapi.VM.get_all_records()
        assert sum(1 for r in vms.values() if r["is_a_snapshot"]) == 38
        nested = [r for r in vms.values() if r["is_a_snapshot"] and r["parent"] in vms
                  and vms[r["parent"]]["is_a_snapshot"]]
        assert len(nested) == 34
        batch = getattr(s.xenapi.event, "from")(["*"], "", 0.0)
        assert len(batch["events"]) > 500
        s.xenapi.session.logout()
