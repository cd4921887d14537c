from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest

from xsnap_gui.simulator.dump import (
    DumpData,
    DumpError,
    escape_atom,
    escape_value,
    format_dump,
    format_sexpr,
    load_dump,
    parse_dump,
    parse_sexpr,
    save_dump,
    unescape_atom,
    unescape_value,
)

UTC = dt.UTC
DUMPS = ("state1.xml", "cowleyPolicies.xml")

# Text that exercises every escaping layer: XML, % protection and S-expression quoting.
NASTY = [
    "",
    " ",
    "  ",
    "   ",
    " leading and trailing ",
    "two  spaces",
    "it's",
    'say "hi"',
    "back\\slash",
    "50% done, 100%% sure, %. %_ %n literal",
    "(parens) and ((more",
    "line1\nline2\r\n\ttabbed",
    "スナップショット 日本語",
    "<xml attr=\"v\"> & 'more' </xml>",
    "trailing backslash\\",
    "%",
]


def _snapshots(dump: DumpData) -> dict[str, dict[str, object]]:
    return {ref: vm for ref, vm in dump.tables["VM"].items() if vm["is_a_snapshot"] is True}


@pytest.fixture(scope="module")
def state1(dumps_dir: Path) -> DumpData:
    return load_dump(dumps_dir / "state1.xml")


@pytest.fixture(scope="module")
def cowley(dumps_dir: Path) -> DumpData:
    return load_dump(dumps_dir / "cowleyPolicies.xml")


# --- the real dumps ------------------------------------------------------------


@pytest.mark.parametrize("name", DUMPS)
def test_dumps_load(dumps_dir: Path, name: str) -> None:
    dump = load_dump(dumps_dir / name)
    assert ("product_version", "6.0.0") in dump.manifest
    assert ("pool_token", "REDACTED") in dump.manifest
    for cls in ("VM", "host", "SR", "pool", "VM_metrics", "host_cpu"):
        assert dump.tables[cls], cls
    # Empty tables are kept so that a save writes them back.
    assert dump.tables["VLAN"] == {}
    for rows in dump.tables.values():
        for ref, row in rows.items():
            assert ref.startswith("OpaqueRef:")
            assert "_ref" not in row and "ref" not in row


def test_state1_content(state1: DumpData) -> None:
    pools = list(state1.tables["pool"].values())
    assert [p["name_label"] for p in pools] == ["Hottub"]
    assert len(state1.tables["host"]) == 2

    snaps = _snapshots(state1)
    assert len(snaps) == 2
    orphans = [s for s in snaps.values() if s["snapshot_of"] not in state1.tables["VM"]]
    assert len(orphans) == 1
    assert orphans[0]["name_label"] == "orphaned snapshot"
    assert orphans[0]["snapshot_of"] != "OpaqueRef:NULL"


def test_typed_values(state1: DumpData) -> None:
    snap = next(iter(_snapshots(state1).values()))
    assert snap["snapshot_time"] == dt.datetime(2009, 5, 14, 16, 4, 25, tzinfo=UTC)
    assert isinstance(snap["memory_static_max"], int)
    assert isinstance(snap["HVM_shadow_multiplier"], float)
    assert isinstance(snap["other_config"], dict)
    assert isinstance(snap["tags"], list)
    assert isinstance(snap["power_state"], str)
    assert snap["snapshot_of"].startswith("OpaqueRef:")  # type: ignore[attr-defined]
    # A string field holding S-expression text stays a plain string.
    assert isinstance(snap["last_booted_record"], str)

    sr = next(iter(state1.tables["SR"].values()))
    assert isinstance(sr["allowed_operations"], list)
    assert all(isinstance(op, str) for op in sr["allowed_operations"])


def test_percent_escapes_apply_to_plain_strings(state1: DumpData) -> None:
    # The dump has "CPU%_%_%_%_%_6420%_@" and "CD-ROM%_SH-C522C" in plain string fields.
    models = {cpu["modelname"] for cpu in state1.tables["host_cpu"].values()}
    assert models == {"Intel(R) Core(TM)2 CPU          6420  @ 2.13GHz"}
    descriptions = {vdi["name_description"] for vdi in state1.tables["VDI"].values()}
    assert "TSSTcorp model CD-ROM  SH-C522C rev TS03 type 5" in descriptions


def test_cowley_content(cowley: DumpData) -> None:
    assert [p["name_label"] for p in cowley.tables["pool"].values()] == ["PR-1031"]
    snaps = _snapshots(cowley)
    assert len(snaps) == 38
    assert sum(s["is_snapshot_from_vmpp"] is True for s in snaps.values()) == 35
    assert sum(s["parent"] in snaps for s in snaps.values()) == 34

    # VMPP was removed from xapi but the datamodel still describes it: typed.
    assert "VMPP" not in cowley.extra_tables
    (policy,) = cowley.tables["VMPP"].values()
    assert policy["backup_frequency"] == "hourly"
    assert policy["backup_retention_value"] == 10
    assert policy["backup_schedule"] == {"min": "15"}
    assert policy["archive_last_run_time"] == dt.datetime(2010, 8, 10, 12, 6, 21, tzinfo=UTC)
    # '\\\\samba2…\\javierv' in the dump: backslash escapes inside S-expression atoms.
    target = policy["archive_target_config"]
    assert isinstance(target, dict)
    assert target["location"] == "\\\\samba2.uk.xensource.com\\javierv"
    assert target["username"] == "AD\\javierv"
    assert len(policy["recent_alerts"]) == 10  # type: ignore[arg-type]
    protected = [
        vm
        for vm in cowley.tables["VM"].values()
        if vm["protection_policy"] in cowley.tables["VMPP"]
    ]
    assert protected

    (secret,) = cowley.tables["secret"].values()
    assert secret["value"] == "REDACTED"


@pytest.mark.parametrize("name", DUMPS)
def test_obsolete_fields_kept_raw(dumps_dir: Path, name: str) -> None:
    dump = load_dump(dumps_dir / name)
    assert dump.extra_tables == {}
    fields = {
        (cls, attr) for cls, rows in dump.extra_fields.items() for r in rows.values() for attr in r
    }
    assert fields == {
        ("PIF", "device_name"),
        ("SR", "default_vdi_visibility"),
        ("VBD", "reserved"),
        ("VIF", "reserved"),
        ("console", "port"),
        ("host", "boot_free_mem"),
        ("pool", "wlb_password"),
    }
    for cls, rows in dump.extra_fields.items():
        for ref in rows:
            assert ref in dump.tables[cls]
    sr_extras = dump.extra_fields["SR"]
    assert {r["default_vdi_visibility"] for r in sr_extras.values()} <= {"true", "false"}


@pytest.mark.parametrize("name", DUMPS)
def test_round_trip_is_lossless(dumps_dir: Path, name: str) -> None:
    original = (dumps_dir / name).read_bytes()
    first = parse_dump(original)
    written = format_dump(first)
    second = parse_dump(written)
    assert second == first
    assert format_dump(second) == written
    # Same order everywhere, not only equal dicts.
    assert list(second.tables) == list(first.tables)
    for cls, rows in first.tables.items():
        assert list(second.tables[cls]) == list(rows)


def test_load_time(dumps_dir: Path) -> None:
    path = dumps_dir / "cowleyPolicies.xml"
    load_dump(path)  # warm the datamodel cache
    start = time.perf_counter()
    load_dump(path)
    print(f"\nload_dump(cowleyPolicies.xml): {(time.perf_counter() - start) * 1000:.1f} ms")


def test_save_and_load(tmp_path: Path, state1: DumpData) -> None:
    target = tmp_path / "state.db"
    save_dump(state1, target)
    assert load_dump(target) == state1
    assert os.listdir(tmp_path) == ["state.db"]  # no temp file left behind
    os.chmod(target, 0o640)
    save_dump(state1, str(target))
    assert (target.stat().st_mode & 0o777) == 0o640


def test_save_bad_data_leaves_file_alone(tmp_path: Path) -> None:
    target = tmp_path / "state.db"
    target.write_bytes(b"old")
    bad = DumpData(tables={"VM": {"OpaqueRef:1": {"memory_static_max": "lots"}}})
    with pytest.raises(DumpError, match="memory_static_max"):
        save_dump(bad, target)
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["state.db"]


# --- tricky values through a whole dump ------------------------------------------


def test_nasty_values_round_trip(state1: DumpData) -> None:
    dump = parse_dump(format_dump(state1))
    ref = next(iter(dump.tables["VM"]))
    vm = dump.tables["VM"][ref]
    vm["name_label"] = "".join(NASTY)
    vm["name_description"] = "  日本語  "
    vm["tags"] = NASTY
    vm["other_config"] = {s or "empty": s for s in NASTY}
    vm["snapshot_time"] = dt.datetime(2024, 2, 29, 23, 59, 58)  # naive: server local time
    vm["memory_static_max"] = -(2**63)
    vm["HVM_shadow_multiplier"] = 1.5e-7
    metrics_ref = next(iter(dump.tables["VM_metrics"]))
    dump.tables["VM_metrics"][metrics_ref]["VCPUs_flags"] = {0: ["a b", "it's"], 1: []}
    dump.tables["VM_metrics"][metrics_ref]["VCPUs_utilisation"] = {0: 0.25, 3: 1.0}

    written = format_dump(dump)
    again = parse_dump(written)
    assert again == dump
    assert format_dump(again) == written
    assert again.tables["VM_metrics"][metrics_ref]["VCPUs_flags"] == {0: ["a b", "it's"], 1: []}


def test_both_attribute_spellings() -> None:
    xml = (
        '<database><manifest/><table name="vm">'
        '<row ref="OpaqueRef:a" name__label="old" VCPUs__max="2"/>'
        '<row ref="OpaqueRef:b" name_label="new" VCPUs_max="4" __ctime="17"/>'
        "</table></database>"
    )
    dump = parse_dump(xml)
    assert dump.tables == {
        "VM": {
            "OpaqueRef:a": {"name_label": "old", "VCPUs_max": 2},
            "OpaqueRef:b": {"name_label": "new", "VCPUs_max": 4},
        }
    }
    assert dump.extra_fields == {"VM": {"OpaqueRef:b": {"__ctime": "17"}}}
    assert parse_dump(format_dump(dump)) == dump


def test_bad_values_kept_raw() -> None:
    xml = (
        "<database><manifest/>"
        '<table name="VM"><row ref="OpaqueRef:a" memory_static_max="lots" is_a_template="yes"'
        ' other_config="((\'unterminated" tags="(\'fine\')" snapshot_time="yesterday"'
        ' HVM_shadow_multiplier="1_0" name__label="ok%_here"/></table>'
        "</database>"
    )
    dump = parse_dump(xml)
    assert dump.tables["VM"]["OpaqueRef:a"] == {"tags": ["fine"], "name_label": "ok  here"}
    assert dump.extra_fields["VM"]["OpaqueRef:a"] == {
        "memory_static_max": "lots",
        "is_a_template": "yes",
        "other_config": "(('unterminated",
        "snapshot_time": "yesterday",
        "HVM_shadow_multiplier": "1_0",
    }
    again = parse_dump(format_dump(dump))
    assert again == dump


def test_duplicate_map_key_kept_raw() -> None:
    xml = (
        '<database><table name="VM"><row ref="OpaqueRef:a"'
        " other_config=\"(('k' '1') ('k' '2'))\"/></table></database>"
    )
    dump = parse_dump(xml)
    assert dump.extra_fields["VM"]["OpaqueRef:a"] == {"other_config": "(('k' '1') ('k' '2'))"}


def test_unknown_table_and_ref_handling() -> None:
    xml = (
        '<database><manifest><pair key="a" value="1 2"/><pair key="a" value="%_"/>'
        "</manifest>"
        '<table name="Frobnicator"><row ref="OpaqueRef:f" colour="r%_d" _ref="OpaqueRef:f"/>'
        '<row _ref="OpaqueRef:g" x="&#10;"/></table>'
        '<table name="host"><row _ref="OpaqueRef:h" name_label="h"/>'
        '<row ref="OpaqueRef:i" _ref="OpaqueRef:other"/></table>'
        '<table name="VLAN"/>'
        "</database>"
    )
    dump = parse_dump(xml)
    # The manifest is kept in order with duplicates, verbatim.
    assert dump.manifest == [("a", "1 2"), ("a", "%_")]
    assert dump.extra_tables == {
        "Frobnicator": {
            "OpaqueRef:f": {"colour": "r%_d", "_ref": "OpaqueRef:f"},
            "OpaqueRef:g": {"_ref": "OpaqueRef:g", "x": "\n"},
        }
    }
    assert dump.tables == {
        "host": {"OpaqueRef:h": {"name_label": "h"}, "OpaqueRef:i": {}},
        "VLAN": {},
    }
    assert dump.extra_fields == {"host": {"OpaqueRef:i": {"_ref": "OpaqueRef:other"}}}
    written = format_dump(dump)
    assert b'<table name="VLAN"/>' in written
    assert b'x="&#10;"' in written
    again = parse_dump(written)
    assert again == dump
    assert format_dump(again) == written


# --- malformed input -----------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not well-formed XML"),
        (b"this is not xml", "not well-formed XML"),
        (b"<database><table name='VM'>", "not well-formed XML"),
        (b"<db/>", "expected <database>"),
        (b"<database><table name='VM'><row name__label='x'/></table></database>", "no ref"),
        (b"<database><table name='Frob'><row a='1'/></table></database>", "'Frob': row 1"),
        (b"<database><table><row ref='OpaqueRef:a'/></table></database>", "without a name"),
        (b"<database><table name='VM'><col/></table></database>", "expected <row>"),
        (b"<database><stuff/></database>", "unexpected element <stuff>"),
        (b"<database><manifest><pair key='k'/></manifest></database>", "<manifest>"),
        (
            b"<database><table name='VM'><row ref='OpaqueRef:a'/><row ref='OpaqueRef:a'/>"
            b"</table></database>",
            "duplicate row",
        ),
        (b"<database><table name='VM'/><table name='vm'/></database>", "appears twice"),
    ],
)
def test_malformed_dumps(data: bytes, message: str) -> None:
    with pytest.raises(DumpError, match=message.replace("(", r"\(")):
        parse_dump(data)


def test_dump_error_is_value_error_and_names_file(tmp_path: Path) -> None:
    assert issubclass(DumpError, ValueError)
    path = tmp_path / "broken.db"
    path.write_text("<database><table name='VM'><row/></table></database>")
    with pytest.raises(DumpError, match=r"broken\.db: table 'VM': row 1 has no ref"):
        load_dump(path)


@pytest.mark.parametrize(
    ("dump", "message"),
    [
        (DumpData(tables={"Nope": {}}), "unknown to the datamodel"),
        (DumpData(tables={"VM": {"OpaqueRef:a": {"bogus": 1}}}), "no field 'bogus'"),
        (DumpData(tables={"VM": {"OpaqueRef:a": {"is_a_template": 1}}}), "expected bool"),
        (DumpData(tables={"VM": {"OpaqueRef:a": {"tags": {"x"}}}}), "expected string set"),
        (DumpData(tables={"VM": {"OpaqueRef:a": {"name_label": "\x01"}}}), "cannot be written"),
        (
            DumpData(tables={"VM": {}}, extra_fields={"VM": {"OpaqueRef:a": {"x": "1"}}}),
            "no row in tables",
        ),
        (
            DumpData(
                tables={"VM": {"OpaqueRef:a": {"name_label": "x"}}},
                extra_fields={"VM": {"OpaqueRef:a": {"name_label": "y"}}},
            ),
            "written twice",
        ),
        (
            DumpData(
                tables={"VM": {"OpaqueRef:a": {}}},
                extra_fields={"VM": {"OpaqueRef:a": {"bad name": "y"}}},
            ),
            "not a valid XML attribute name",
        ),
        (DumpData(tables={"VM": {}}, extra_tables={"vm": {}}), "written twice"),
    ],
)
def test_format_rejects_what_cannot_round_trip(dump: DumpData, message: str) -> None:
    with pytest.raises(DumpError, match=message):
        format_dump(dump)


# --- the helpers -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("()", []),
        ("  ( )  ", []),
        ("('a' 'b')", ["a", "b"]),
        ("('' '')", ["", ""]),
        ("('a b' ' c ')", ["a b", " c "]),
        ("(('k' 'v') ('k2' 'v 2'))", [["k", "v"], ["k2", "v 2"]]),
        ("(()(()))", [[], [[]]]),
        (r"('it\'s' 'say \"hi\"' 'back\\slash')", ["it's", 'say "hi"', "back\\slash"]),
        ("('(not a list)' ')(')", ["(not a list)", ")("]),
        ("('100%' '%_ stays')", ["100%", "%_ stays"]),
        ("('line1\nline2'\n'\t')", ["line1\nline2", "\t"]),
        ("('スナップショット' '日本語 テキスト')", ["スナップショット", "日本語 テキスト"]),
        ("(\"double\" 'single' bare)", ["double", "single", "bare"]),
        (r"('\q')", ["q"]),
    ],
)
def test_parse_sexpr(text: str, expected: list[object]) -> None:
    assert parse_sexpr(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("'a'", "outside any list"),
        ("('a'", "missing"),
        ("('a')'b'", "outside any list"),
        ("('a'))", "unbalanced"),
        ("() ()", "after its end"),
        ("('unterminated)", "offset 1"),
        ("('a\\')", "offset 1"),
    ],
)
def test_parse_sexpr_errors(text: str, message: str) -> None:
    with pytest.raises(DumpError, match=message):
        parse_sexpr(text)


def test_format_sexpr() -> None:
    assert format_sexpr([]) == "()"
    assert format_sexpr(["a", "b"]) == "('a' 'b')"
    assert format_sexpr([["k", "v"], []]) == "(('k' 'v') ())"
    assert format_sexpr(["it's", 'say "hi"', "a\\b"]) == r"('it\'s' 'say \"hi\"' 'a\\b')"
    nested: list[object] = [NASTY, [[s, s] for s in NASTY], []]
    assert parse_sexpr(format_sexpr(nested)) == nested  # type: ignore[arg-type]


@pytest.mark.parametrize("text", NASTY)
def test_atom_escapes_round_trip(text: str) -> None:
    escaped = escape_atom(text)
    assert "'" not in escaped.replace("\\'", "")
    assert unescape_atom(escaped) == text
    assert parse_sexpr(format_sexpr([text])) == [text]


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (
            "Intel(R) Core(TM)2 CPU%_%_%_%_%_6400%_@ 2.13GHz",
            "Intel(R) Core(TM)2 CPU" + " " * 10 + "6400  @ 2.13GHz",
        ),
        ("a%.b", "a b"),
        ("%n%r%t%%", "\n\r\t%"),
        ("%%.", "%."),
        ("%%%.", "% "),
        ("50%x", "50%x"),  # unknown escapes stay, as in xapi
        ("trailing%", "trailing%"),
        ("no escapes here", "no escapes here"),
    ],
)
def test_unescape_value(raw: str, text: str) -> None:
    assert unescape_value(raw) == text


def test_escape_value() -> None:
    assert escape_value("a b") == "a b"  # single inner spaces stay readable
    assert escape_value("a  b") == "a%_b"
    assert escape_value("a   b") == "a%_ b"
    assert escape_value(" a ") == "%.a%."
    assert escape_value("   ") == "%_%."
    assert escape_value("x\ny\rz\t%") == "x%ny%rz%t%%"


@pytest.mark.parametrize("text", NASTY)
def test_value_escapes_round_trip(text: str) -> None:
    escaped = escape_value(text)
    assert unescape_value(escaped) == text
    for bad in ("\n", "\r", "\t", "  "):
        assert bad not in escaped
    assert not escaped.startswith(" ") and not escaped.endswith(" ")
