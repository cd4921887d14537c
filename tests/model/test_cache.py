"""ObjectCache: full loads, incremental batches, notifications, indexes, drift, memory."""

from __future__ import annotations

import datetime as dt
import io
import sys
import tracemalloc
import xmlrpc.client

from xsnap_gui.model.cache import Changes, ObjectCache, PreparedBatch
from xsnap_gui.simulator.db import Database
from xsnap_gui.simulator.generate import PoolSpec, generate_pool
from xsnap_gui.simulator.wire import jsonrpc as jsonrpc_wire
from xsnap_gui.simulator.wire.xmlrpc import format_success
from xsnap_gui.xapi.jsonrpc import ReplyReader

from .conftest import DM, Feed, cache_equals_db, new_vm

CLASSES = ("pool", "host", "SR", "VDI", "VBD", "VM", "VMSS", "task", "message")


def test_full_load_normalises_and_uses_canonical_class_names(feed: Feed,
                                                             cache: ObjectCache) -> None:
    vm = new_vm(feed.db, memory_static_max=4 << 30)
    vmss = feed.db.create("VMSS", {"name_label": "nightly", "type": "snapshot",
                                   "frequency": "daily"})
    changes = cache.load(feed.full())
    assert changes.resync
    assert changes.added("VM") == {vm}
    assert changes.added("VMSS") == {vmss}
    rec = cache.get("VM", vm)
    assert rec is not None
    assert rec["memory_static_max"] == 4 << 30
    assert rec["snapshot_of"] is None  # OpaqueRef:NULL
    assert rec["snapshot_time"] == dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    assert {"VM", "VMSS"} <= cache.tracked
    assert "vm" not in cache.tables and "vmss" not in cache.tables


def test_wire_values_as_the_xmlrpc_decoder_gives_them(cache: ObjectCache) -> None:
    # Ints arrive as strings and datetimes as DateTime from a real server.
    snap = {"uuid": "u-1", "name_label": "db", "memory_static_max": "1073741824",
            "snapshot_time": xmlrpc.client.DateTime("20250301T09:00:00Z"),
            "snapshot_of": "OpaqueRef:NULL", "VBDs": ["OpaqueRef:a", "OpaqueRef:b"]}
    cache.load([{"class": "vm", "operation": "add", "ref": "OpaqueRef:vm", "snapshot": snap}],
               classes=["vm"])
    rec = cache.get("VM", "OpaqueRef:vm")
    assert rec == {"uuid": "u-1", "name_label": "db", "memory_static_max": 1 << 30,
                   "snapshot_time": dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC),
                   "snapshot_of": None, "VBDs": ["OpaqueRef:a", "OpaqueRef:b"]}
    # Field names and refs are shared strings, not one copy per record.
    assert all(sys.intern(k) is k for k in rec)
    assert next(iter(cache.records("VM"))) is sys.intern("OpaqueRef:vm")


def test_add_mod_del_and_one_notification_per_batch(feed: Feed, cache: ObjectCache) -> None:
    vm1 = new_vm(feed.db, "web-01")
    vm2 = new_vm(feed.db, "web-02")
    cache.load(feed.full())
    seen: list[Changes] = []
    cache.subscribe(seen.append)

    feed.db.set("VM", vm1, "name_label", "web-01-renamed")
    feed.db.destroy("VM", vm2)
    vm3 = new_vm(feed.db, "web-03")
    changes = cache.apply(feed.since())

    assert seen == [changes]
    assert changes.added("VM") == {vm3}
    assert changes.modified("VM") == {vm1}
    assert changes.removed("VM") == {vm2}
    assert changes.removed_records[vm2]["name_label"] == "web-02"
    assert cache.get("VM", vm1)["name_label"] == "web-01-renamed"  # type: ignore[index]
    assert cache.get("VM", vm2) is None
    cache_equals_db(cache, feed.db, ["VM"])


def test_records_are_replaced_not_changed(feed: Feed, cache: ObjectCache) -> None:
    vm = new_vm(feed.db)
    cache.load(feed.full())
    before = cache.get("VM", vm)
    feed.db.set("VM", vm, "name_label", "other")
    cache.apply(feed.since())
    assert before is not None and before["name_label"] == "web-01"
    assert cache.get("VM", vm) is not before


def test_an_empty_batch_notifies_nobody(feed: Feed, cache: ObjectCache) -> None:
    new_vm(feed.db)
    cache.load(feed.full())
    seen: list[Changes] = []
    cache.subscribe(seen.append)
    changes = cache.apply([])
    assert not changes and seen == []


def test_unsubscribe_and_a_failing_subscriber(feed: Feed, cache: ObjectCache) -> None:
    vm = new_vm(feed.db)
    cache.load(feed.full())
    seen: list[Changes] = []

    def broken(_changes: Changes) -> None:
        raise RuntimeError("subscriber bug")

    cache.subscribe(broken)
    unsubscribe = cache.subscribe(seen.append)
    feed.db.set("VM", vm, "name_label", "a")
    cache.apply(feed.since())
    assert len(seen) == 1
    unsubscribe()
    feed.db.set("VM", vm, "name_label", "b")
    cache.apply(feed.since())
    assert len(seen) == 1


def test_tolerates_overlapping_batches(cache: ObjectCache) -> None:
    snap = {"uuid": "u", "name_label": "x"}
    ref = "OpaqueRef:1"
    first = cache.apply([{"class": "vm", "operation": "mod", "ref": ref, "snapshot": snap}])
    assert first.added("VM") == {ref}  # a mod for an unknown object adds it
    again = cache.apply([{"class": "vm", "operation": "add", "ref": ref,
                          "snapshot": dict(snap)}])
    assert again.modified("VM") == {ref}  # an add for a known one modifies it
    gone = cache.apply([{"class": "vm", "operation": "del", "ref": "OpaqueRef:unknown"}])
    assert not gone


def test_changes_within_one_batch_coalesce(cache: ObjectCache) -> None:
    snap = {"uuid": "u", "name_label": "x"}
    changes = cache.apply([
        {"class": "vm", "operation": "add", "ref": "OpaqueRef:1", "snapshot": dict(snap)},
        {"class": "vm", "operation": "del", "ref": "OpaqueRef:1"},
    ])
    assert not changes  # came and went: nobody needs to hear of it
    cache.apply([{"class": "vm", "operation": "add", "ref": "OpaqueRef:2",
                  "snapshot": dict(snap)}])
    changes = cache.apply([
        {"class": "vm", "operation": "del", "ref": "OpaqueRef:2"},
        {"class": "vm", "operation": "add", "ref": "OpaqueRef:2", "snapshot": dict(snap)},
    ])
    assert changes.modified("VM") == {"OpaqueRef:2"} and not changes.removed("VM")


def test_merge_folds_batches_like_one(cache: ObjectCache) -> None:
    a, b = Changes(), Changes()
    a.of("VM").added.add("r1")
    a.of("VM").modified.add("r2")
    b.of("VM").removed.add("r1")
    b.of("VM").removed.add("r2")
    b.removed_records["r2"] = {"name_label": "old"}
    a.merge(b)
    assert a.added("VM") == set() and a.modified("VM") == set()
    assert a.removed("VM") == {"r2"} and a.removed_records == {"r2": {"name_label": "old"}}


def test_full_resync_replaces_and_reports_vanished_objects(feed: Feed,
                                                          cache: ObjectCache) -> None:
    keep, change, drop = new_vm(feed.db, "a"), new_vm(feed.db, "b"), new_vm(feed.db, "c")
    cache.load(feed.full())
    # While we were away: one changed, one went, one came, and an event was lost.
    feed.db.set("VM", change, "name_label", "b2")
    feed.db.destroy("VM", drop)
    added = new_vm(feed.db, "d")
    changes = cache.load(feed.full())
    assert changes.added("VM") == {added}
    assert changes.modified("VM") == {change}
    assert changes.removed("VM") == {drop}
    assert keep not in changes.touched("VM")
    cache_equals_db(cache, feed.db, ["VM", "VBD", "VDI"])


def test_partial_resync_leaves_other_classes_alone(feed: Feed, cache: ObjectCache) -> None:
    vm = new_vm(feed.db)
    sr = feed.db.create("SR", {"name_label": "sr"})
    cache.load(feed.full())
    feed.db.destroy("VM", vm)
    feed.db.destroy("SR", sr)
    vm_feed = Feed(feed.db, classes={"VM"})
    changes = cache.load(vm_feed.full(), classes=["vm"])
    assert changes.removed("VM") == {vm}
    assert cache.get("SR", sr) is not None
    # A class with no objects left is emptied too: the batch covered it.
    assert cache.count("VM") == 0


def test_drift_detection(feed: Feed, cache: ObjectCache) -> None:
    new_vm(feed.db)
    cache.load(feed.full())
    assert cache.drift(feed.counts()) == set()
    new_vm(feed.db, "missed")  # an event we never applied
    assert cache.drift(feed.counts()) == {"VM"}
    # Counts the server does not give (xapi has no message table) are not drift.
    assert cache.drift({"vm": cache.count("VM")}) == set()


def test_reverse_indexes_follow_changes(feed: Feed, cache: ObjectCache) -> None:
    db = feed.db
    sr1, sr2 = db.create("SR", {"name_label": "a"}), db.create("SR", {"name_label": "b"})
    vdi = db.create("VDI", {"SR": sr1})
    vmss = db.create("VMSS", {"type": "snapshot", "frequency": "daily"})
    uuid = db.get("VMSS", vmss, "uuid")
    cache.load(feed.full())
    assert cache.referrers("VDI", "SR", sr1) == {vdi}
    assert cache.referrers("message", "obj_uuid", uuid) == set()
    assert cache.by_uuid("VDI", db.get("VDI", vdi, "uuid")) == vdi

    msg = db.create("message", {"name": "VMSS_SNAPSHOT_SUCCEEDED", "cls": "VMSS",
                                "obj_uuid": uuid, "priority": 5})
    db.set("VDI", vdi, "SR", sr2)
    vdi2 = db.create("VDI", {"SR": sr1})
    cache.apply(feed.since())
    assert cache.referrers("VDI", "SR", sr1) == {vdi2}
    assert cache.referrers("VDI", "SR", sr2) == {vdi}
    assert cache.referrers("message", "obj_uuid", uuid) == {msg}

    db.destroy("VDI", vdi2)
    db.destroy("message", msg)
    cache.apply(feed.since())
    assert cache.referrers("VDI", "SR", sr1) == set()
    assert cache.referrers("message", "obj_uuid", uuid) == set()
    assert cache.by_uuid("VDI", db.get("VDI", vdi, "uuid")) == vdi
    # After a resync the indexes are rebuilt from the new content.
    cache.load(feed.full())
    assert cache.referrers("VDI", "SR", sr2) == {vdi}


def test_find_and_clear(feed: Feed, cache: ObjectCache) -> None:
    vm = new_vm(feed.db)
    cache.load(feed.full())
    found = cache.find(vm)
    assert found is not None and found[0] == "VM"
    changes = cache.clear()
    assert vm in changes.removed("VM") and cache.count("VM") == 0


def test_skip_fields() -> None:
    feed = Feed()
    vm = new_vm(feed.db, snapshot_metadata="(big opaque sexpr)")
    cache = ObjectCache(dm=DM, skip_fields={"VM": ["snapshot_metadata", "last_booted_record"]})
    cache.load(feed.full())
    rec = cache.get("VM", vm)
    assert rec is not None and "snapshot_metadata" not in rec and "name_label" in rec
    cache_equals_db(cache, feed.db, ["VM"])


def test_memory_per_vm_record_of_a_generated_pool() -> None:
    db = Database(DM)
    db.bulk_load(generate_pool(PoolSpec(hosts=2, vms=60, snapshots=4, schedules=3), seed=3))
    # As a server would send them: every struct member name a fresh string, ints as text.
    payload = format_success({"events": Feed(db, set(CLASSES)).full()})
    cache = ObjectCache(dm=DM)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        events = xmlrpc.client.loads(payload)[0][0]["Value"]["events"]
        cache.load([e for e in events if e["class"] == "vm"], classes=["VM"])
        del events
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    per_vm = (after - before) / cache.count("VM")
    print(f"\ncache memory per VM record: {per_vm / 1024:.1f} KiB "
          f"({cache.count('VM')} VM records)")
    assert per_vm < 20 * 1024


def test_records_share_short_strings_and_empty_containers(cache: ObjectCache) -> None:
    def raw(n: int) -> dict[str, object]:
        # Fresh string objects per record, as the decoder makes them.
        return {"uuid": f"uuid-{n}", "name_label": "".join(["web", "-01"]),
                "platform": {"".join(["device", "-model"]): "".join(["qemu", "-upstream"])},
                "tags": [], "other_config": {}, "snapshot_metadata": "".join(["x"] * 500)}

    cache.apply([{"class": "vm", "operation": "add", "ref": f"OpaqueRef:{n}",
                  "snapshot": raw(n)} for n in (1, 2)])
    a, b = cache.get("VM", "OpaqueRef:1"), cache.get("VM", "OpaqueRef:2")
    assert a is not None and b is not None and a == {**b, "uuid": a["uuid"]}
    assert a["name_label"] is b["name_label"]
    (ka, va), (kb, vb) = next(iter(a["platform"].items())), next(iter(b["platform"].items()))
    assert ka is kb and va is vb
    assert a["tags"] is b["tags"] and a["other_config"] is b["other_config"]
    assert a["snapshot_metadata"] is not b["snapshot_metadata"]  # long text is not interned


def _decoded_both_ways(db: Database) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """A full batch of ``db`` as xmlrpc.client and as the streaming JSON reader decode it."""
    batch = {"events": Feed(db, set(CLASSES)).full(), "token": "t"}
    via_xml = xmlrpc.client.loads(format_success(batch))[0][0]["Value"]["events"]
    request = jsonrpc_wire.JsonRequest("event.from", [], 1, jsonrpc_wire.V2)
    body = io.BytesIO(jsonrpc_wire.format_success(request, batch))
    via_json = ReplyReader(body, chunk=4096).read()["result"]["events"]
    return via_xml, via_json


def test_both_wires_prepare_to_the_same_records() -> None:
    db = Database(DM)
    db.bulk_load(generate_pool(PoolSpec(hosts=2, vms=8, snapshots=3, schedules=2), seed=9))
    via_xml, via_json = _decoded_both_ways(db)
    cache = ObjectCache(dm=DM)
    from_xml = [cache.prepare_event(e) for e in via_xml]
    from_json = [cache.prepare_event(e) for e in via_json]
    assert from_xml == from_json and len(from_json) > 100
    cache.load(PreparedBatch(from_json))
    cache_equals_db(cache, db, CLASSES)
    # Both forms share the empty containers and short strings alike.
    for (_, _, _, a), (_, _, _, b) in zip(from_xml, from_json, strict=True):
        assert a is not None and b is not None
        for name, value in a.items():
            if value == {} or value == [] or (isinstance(value, str) and len(value) <= 64):
                assert b[name] is value, name

