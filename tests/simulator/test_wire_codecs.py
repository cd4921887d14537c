"""The simulator's XML-RPC and JSON-RPC codecs against xapi's wire format (notes §2.2 to §2.3)."""

from __future__ import annotations

import datetime as dt
import enum
import json
import math
import xmlrpc.client
from typing import Any

import pytest

from xsnap_gui.simulator.wire import Int32, WireError, WireValue
from xsnap_gui.simulator.wire import jsonrpc as json_wire
from xsnap_gui.simulator.wire import xmlrpc as xml_wire

UTC = dt.UTC
JAPANESE = "スナップショット「週次」"


def call_xml(*params: str, method: str = "VM.get_record") -> bytes:
    """A methodCall whose params are the given ``<value>`` XML fragments."""
    inner = "".join(f"<param>{p}</param>" for p in params)
    return (
        f'<?xml version="1.0"?><methodCall><methodName>{method}</methodName>'
        f"<params>{inner}</params></methodCall>"
    ).encode()


def parse_one(value_xml: str) -> object:
    method, params = xml_wire.parse_request(call_xml(value_xml))
    assert method == "VM.get_record"
    assert len(params) == 1
    return params[0]


def sdk_loads(body: bytes) -> object:
    """What the XenAPI SDK sees: xmlrpc.client's reading of a one-param response, with
    ServerProxy's defaults (datetimes as DateTime, base64 as Binary)."""
    (value,), _method = xmlrpc.client.loads(body)
    return value


def sdk_value(body: bytes) -> object:
    envelope = sdk_loads(body)
    assert isinstance(envelope, dict)
    assert envelope["Status"] == "Success"
    return envelope["Value"]


# ---------------------------------------------------------------------------------------
# XML-RPC requests
# ---------------------------------------------------------------------------------------


class TestXmlRequestFromPythonClient:
    """Bodies produced by xmlrpc.client.dumps, as the XenAPI SDK sends them."""

    def test_session_login(self) -> None:
        body = xmlrpc.client.dumps(
            ("root", "secret", "1.0", "xsnap"), "session.login_with_password"
        ).encode()
        assert xml_wire.parse_request(body) == (
            "session.login_with_password",
            ["root", "secret", "1.0", "xsnap"],
        )

    def test_all_types_round_trip(self) -> None:
        params: tuple[Any, ...] = (
            "OpaqueRef:abc",
            "",
            "  padded\n text ",
            42,
            -7,
            True,
            False,
            1.5,
            dt.datetime(2025, 3, 19, 4, 16, 24),
            b"\x00\xffbinary",
            {"name_label": "vm", "tags": ["a", "b"], "nested": {"k": {"deeper": [1, [2]]}}},
            [],
            {},
            [None, "x"],
            None,
            JAPANESE,
            "a < b && c > d",
        )
        body = xmlrpc.client.dumps(params, "VM.test", allow_none=True, encoding="utf-8").encode(
            "utf-8"
        )
        method, parsed = xml_wire.parse_request(body)
        assert method == "VM.test"
        assert parsed == list(params)

    def test_matches_xmlrpc_client_reading(self) -> None:
        params = ("x", {"a": [1, "2", {"b": True}], "c": " spaced "}, 3.25, None, "")
        body = xmlrpc.client.dumps(params, "m", allow_none=True).encode()
        expected, _ = xmlrpc.client.loads(body, use_builtin_types=True)
        assert xml_wire.parse_request(body)[1] == list(expected)

    def test_xmlrpc_datetime_object(self) -> None:
        stamp = xmlrpc.client.DateTime(dt.datetime(2024, 4, 20, 12, 0, 0))
        body = xmlrpc.client.dumps((stamp,), "m").encode()
        assert xml_wire.parse_request(body)[1] == [dt.datetime(2024, 4, 20, 12, 0, 0)]

    def test_no_params(self) -> None:
        body = xmlrpc.client.dumps((), "system.listMethods").encode()
        assert xml_wire.parse_request(body) == ("system.listMethods", [])

    def test_params_element_may_be_omitted(self) -> None:
        body = b"<methodCall><methodName>system.listMethods</methodName></methodCall>"
        assert xml_wire.parse_request(body) == ("system.listMethods", [])

    def test_declared_latin1_encoding(self) -> None:
        body = xmlrpc.client.dumps(("caf\u00e9",), "m", encoding="iso-8859-1").encode("iso-8859-1")
        assert xml_wire.parse_request(body)[1] == ["caf\u00e9"]


class TestXmlRequestValues:
    @pytest.mark.parametrize(
        ("xml", "expected"),
        [
            ("<value>OpaqueRef:abc</value>", "OpaqueRef:abc"),
            ("<value></value>", ""),
            ("<value/>", ""),
            ("<value>  </value>", "  "),
            ("<value>\n two\nlines \n</value>", "\n two\nlines \n"),
            ("<value>4294967296</value>", "4294967296"),  # untyped digits stay a string
            ("<value><string> kept </string></value>", " kept "),
            ("<value><string/></value>", ""),
            ("<value>\n  <string>x</string>\n</value>", "x"),
            ("<value>a &amp; b &lt;c&gt; &quot;&#x3042;&#12354;</value>", 'a & b <c> "ああ'),
            ("<value><![CDATA[<raw> & stuff]]></value>", "<raw> & stuff"),
            ("<value>a<!-- comment -->b</value>", "ab"),
            (f"<value>{JAPANESE}</value>", JAPANESE),
        ],
    )
    def test_strings(self, xml: str, expected: str) -> None:
        assert parse_one(xml) == expected

    @pytest.mark.parametrize(
        ("xml", "expected"),
        [
            ("<value><i4>42</i4></value>", 42),
            ("<value><int>-7</int></value>", -7),
            ("<value><i8>9223372036854775807</i8></value>", 2**63 - 1),
            ("<value><i8>-9223372036854775808</i8></value>", -(2**63)),
            ("<value><int> +5\n</int></value>", 5),
            ("<value>\n\t<i4>1</i4>\n</value>", 1),
        ],
    )
    def test_integers(self, xml: str, expected: int) -> None:
        value = parse_one(xml)
        assert type(value) is int
        assert value == expected

    def test_booleans(self) -> None:
        assert parse_one("<value><boolean>1</boolean></value>") is True
        assert parse_one("<value><boolean>0</boolean></value>") is False

    @pytest.mark.parametrize(
        ("text", "expected"),
        [("1.5", 1.5), ("-2", -2.0), ("1e+20", 1e20), (" 0.1 ", 0.1), ("7", 7.0)],
    )
    def test_doubles(self, text: str, expected: float) -> None:
        value = parse_one(f"<value><double>{text}</double></value>")
        assert type(value) is float
        assert value == expected

    def test_double_nan(self) -> None:
        value = parse_one("<value><double>NaN</double></value>")
        assert isinstance(value, float)
        assert math.isnan(value)

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("20250319T04:16:24Z", dt.datetime(2025, 3, 19, 4, 16, 24, tzinfo=UTC)),
            ("20250319T04:16:24", dt.datetime(2025, 3, 19, 4, 16, 24)),
            ("2025-03-19T04:16:24Z", dt.datetime(2025, 3, 19, 4, 16, 24, tzinfo=UTC)),
            ("20250319T041624", dt.datetime(2025, 3, 19, 4, 16, 24)),
        ],
    )
    def test_datetimes(self, text: str, expected: dt.datetime) -> None:
        value = parse_one(f"<value><dateTime.iso8601>{text}</dateTime.iso8601></value>")
        assert value == expected
        assert isinstance(value, dt.datetime)
        assert value.tzinfo == expected.tzinfo

    def test_base64_with_line_breaks(self) -> None:
        assert parse_one("<value><base64>aGVs\nbG8=\n</base64></value>") == b"hello"

    def test_nil(self) -> None:
        assert parse_one("<value><nil/></value>") is None

    def test_empty_containers(self) -> None:
        assert parse_one("<value><array><data/></array></value>") == []
        assert parse_one("<value><array><data></data></array></value>") == []
        assert parse_one("<value><array/></value>") == []
        assert parse_one("<value><struct/></value>") == {}
        assert parse_one("<value><struct></struct></value>") == {}

    def test_nested_struct_and_array(self) -> None:
        xml = """
        <value><struct>
          <member><name>uuid</name><value>u-1</value></member>
          <member>
            <name> spaced key </name>
            <value><array><data>
              <value><i4>1</i4></value>
              <value>two</value>
              <value><struct><member><name>x</name><value/></member></struct></value>
            </data></array></value>
          </member>
        </struct></value>
        """
        assert parse_one(xml) == {"uuid": "u-1", " spaced key ": [1, "two", {"x": ""}]}

    def test_several_params(self) -> None:
        body = call_xml("<value>s</value>", "<value><i4>3</i4></value>", method="VM.set_x")
        assert xml_wire.parse_request(body) == ("VM.set_x", ["s", 3])

    def test_attributes_are_ignored(self) -> None:
        assert parse_one('<value><i4 kind="x">3</i4></value>') == 3


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<methodCall><methodName>m</methodName><params>
<param><value>&lol4;</value></param></params></methodCall>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<methodCall><methodName>m</methodName><params>
<param><value>&xxe;</value></param></params></methodCall>"""


class TestXmlRequestMalformed:
    @pytest.mark.parametrize(
        "body",
        [
            pytest.param(b"", id="empty"),
            pytest.param(b"garbage", id="garbage"),
            pytest.param(b"\xff\xfe\x00garbage", id="binary"),
            pytest.param(b'{"method": "x"}', id="json"),
            pytest.param(call_xml("<value>x</value>")[:-20], id="truncated"),
            pytest.param(b"<methodCall><methodName>m</methodName>", id="unclosed"),
            pytest.param(call_xml("<value>x</value>") + b"<extra/>", id="two-roots"),
            pytest.param(BILLION_LAUGHS, id="billion-laughs"),
            pytest.param(EXTERNAL_ENTITY, id="external-entity"),
            pytest.param(
                b"<!DOCTYPE methodCall><methodCall><methodName>m</methodName></methodCall>",
                id="plain-doctype",
            ),
            pytest.param(b"<methodResponse><params/></methodResponse>", id="wrong-root-response"),
            pytest.param(b"<value>x</value>", id="wrong-root-value"),
            pytest.param(b"<methodCall><params/></methodCall>", id="missing-methodName"),
            pytest.param(
                b"<methodCall><methodName></methodName><params/></methodCall>",
                id="empty-methodName",
            ),
            pytest.param(
                b"<methodCall><params/><methodName>m</methodName></methodCall>",
                id="methodName-after-params",
            ),
            pytest.param(
                b"<methodCall><methodName>m</methodName><params/><params/></methodCall>",
                id="params-twice",
            ),
            pytest.param(
                b"<methodCall>junk<methodName>m</methodName></methodCall>",
                id="text-in-methodCall",
            ),
            pytest.param(
                b"<methodCall><methodName><b>m</b></methodName></methodCall>",
                id="element-in-methodName",
            ),
            pytest.param(call_xml("<value>&undefined;</value>"), id="undefined-entity"),
        ],
    )
    def test_documents(self, body: bytes) -> None:
        with pytest.raises(WireError):
            xml_wire.parse_request(body)

    @pytest.mark.parametrize(
        "value_xml",
        [
            pytest.param("<value><i4>abc</i4></value>", id="i4-letters"),
            pytest.param("<value><i4>1.5</i4></value>", id="i4-fraction"),
            pytest.param("<value><i4></i4></value>", id="i4-empty"),
            pytest.param("<value><int>1_000</int></value>", id="int-underscore"),
            pytest.param("<value><int>0x10</int></value>", id="int-hex"),
            pytest.param("<value><i8>9223372036854775808</i8></value>", id="i8-overflow"),
            pytest.param("<value><boolean>2</boolean></value>", id="boolean-2"),
            pytest.param("<value><boolean>true</boolean></value>", id="boolean-word"),
            pytest.param("<value><boolean/></value>", id="boolean-empty"),
            pytest.param("<value><double>1,5</double></value>", id="double-comma"),
            pytest.param("<value><double>1_0</double></value>", id="double-underscore"),
            pytest.param(
                "<value><dateTime.iso8601>yesterday</dateTime.iso8601></value>", id="datetime"
            ),
            pytest.param("<value><base64>a</base64></value>", id="base64-padding"),
            pytest.param("<value><base64>\u3042</base64></value>", id="base64-unicode"),
            pytest.param("<value><foo>1</foo></value>", id="unknown-tag"),
            pytest.param("<value><ex:nil/></value>", id="namespaced-tag"),
            pytest.param("<value><string><i4>1</i4></string></value>", id="element-in-string"),
            pytest.param("<value><i4>1</i4><i4>2</i4></value>", id="two-types"),
            pytest.param("<value>text<i4>1</i4></value>", id="text-and-type"),
            pytest.param("<value><i4>1</i4>tail</value>", id="type-and-tail"),
            pytest.param("<value><nil>x</nil></value>", id="nil-with-text"),
            pytest.param("<value><array><value>x</value></array></value>", id="array-no-data"),
            pytest.param("<value><array><data>x</data></array></value>", id="text-in-data"),
            pytest.param("<value><array><data/><data/></array></value>", id="two-data"),
            pytest.param("<value><struct><value>x</value></struct></value>", id="struct-value"),
            pytest.param(
                "<value><struct><member><name>a</name></member></struct></value>",
                id="member-without-value",
            ),
            pytest.param(
                "<value><struct><member><value>x</value><name>a</name></member></struct></value>",
                id="member-value-first",
            ),
            pytest.param(
                "<value><struct><member><name>a</name><value/><value/></member></struct></value>",
                id="member-two-values",
            ),
            pytest.param(
                "<value><struct>junk<member><name>a</name><value/></member></struct></value>",
                id="text-in-struct",
            ),
        ],
    )
    def test_values(self, value_xml: str) -> None:
        with pytest.raises(WireError):
            xml_wire.parse_request(call_xml(value_xml))

    def test_param_structure(self) -> None:
        for params in (
            "<param/>",
            "<param><value>a</value><value>b</value></param>",
            "<value>x</value>",
            "<param>x</param>",
        ):
            body = (
                f"<methodCall><methodName>m</methodName><params>{params}</params></methodCall>"
            ).encode()
            with pytest.raises(WireError):
                xml_wire.parse_request(body)

    def test_reason_is_short(self) -> None:
        with pytest.raises(WireError, match="bad integer"):
            xml_wire.parse_request(call_xml("<value><i4>abc</i4></value>"))
        with pytest.raises(WireError, match="DOCTYPE"):
            xml_wire.parse_request(BILLION_LAUGHS)
        with pytest.raises(WireError, match="unknown tag"):
            xml_wire.parse_request(call_xml("<value><foo/></value>"))


# ---------------------------------------------------------------------------------------
# XML-RPC responses
# ---------------------------------------------------------------------------------------


class Power(enum.Enum):
    HALTED = "Halted"


class PowerStr(str, enum.Enum):  # noqa: UP042 - str() differs from StrEnum's
    RUNNING = "Running"


class TestXmlResponses:
    def test_success_envelope_exact(self) -> None:
        assert xml_wire.format_success("OpaqueRef:abc") == (
            b'<?xml version="1.0"?><methodResponse><params><param><value><struct>'
            b"<member><name>Status</name><value>Success</value></member>"
            b"<member><name>Value</name><value>OpaqueRef:abc</value></member>"
            b"</struct></value></param></params></methodResponse>"
        )

    def test_failure_envelope_exact(self) -> None:
        body = xml_wire.format_failure(["HANDLE_INVALID", "VM", "OpaqueRef:x"])
        assert body == (
            b'<?xml version="1.0"?><methodResponse><params><param><value><struct>'
            b"<member><name>Status</name><value>Failure</value></member>"
            b"<member><name>ErrorDescription</name><value><array><data>"
            b"<value>HANDLE_INVALID</value><value>VM</value><value>OpaqueRef:x</value>"
            b"</data></array></value></member>"
            b"</struct></value></param></params></methodResponse>"
        )
        assert sdk_loads(body) == {
            "Status": "Failure",
            "ErrorDescription": ["HANDLE_INVALID", "VM", "OpaqueRef:x"],
        }
        assert b"<fault>" not in body

    def test_failure_escapes_params(self) -> None:
        body = xml_wire.format_failure(["INTERNAL_ERROR", "a<b & c"])
        assert sdk_loads(body) == {
            "Status": "Failure",
            "ErrorDescription": ["INTERNAL_ERROR", "a<b & c"],
        }

    def test_bare_array(self) -> None:
        body = xml_wire.format_bare(["VM.get_all", "VM.snapshot"])
        assert body == (
            b'<?xml version="1.0"?><methodResponse><params><param><value><array><data>'
            b"<value>VM.get_all</value><value>VM.snapshot</value>"
            b"</data></array></value></param></params></methodResponse>"
        )
        assert sdk_loads(body) == ["VM.get_all", "VM.snapshot"]

    @pytest.mark.parametrize(
        ("value", "fragment"),
        [
            ("OpaqueRef:abc", "<value>OpaqueRef:abc</value>"),
            ("", "<value></value>"),
            (True, "<value><boolean>1</boolean></value>"),
            (False, "<value><boolean>0</boolean></value>"),
            (Int32(7), "<value><i4>7</i4></value>"),
            (4294967296, "<value>4294967296</value>"),
            (-3, "<value>-3</value>"),
            (0.1, "<value><double>0.1</double></value>"),
            (1.0, "<value><double>1</double></value>"),
            (1e20, "<value><double>1e+20</double></value>"),
            (1 / 3, "<value><double>0.3333333333333333</double></value>"),
            (float("nan"), "<value><double>NaN</double></value>"),
            (float("inf"), "<value><double>NaN</double></value>"),
            (float("-inf"), "<value><double>NaN</double></value>"),
            (None, "<value><nil/></value>"),
            (b"hi", "<value><base64>aGk=</base64></value>"),
            ([], "<value><array><data></data></array></value>"),
            ({}, "<value><struct></struct></value>"),
            (
                ["OpaqueRef:a", "OpaqueRef:b"],
                "<value><array><data><value>OpaqueRef:a</value>"
                "<value>OpaqueRef:b</value></data></array></value>",
            ),
            (("x",), "<value><array><data><value>x</value></data></array></value>"),
            (
                {"a": "1", 2: [Int32(3)]},
                "<value><struct><member><name>a</name><value>1</value></member>"
                "<member><name>2</name><value><array><data><value><i4>3</i4></value>"
                "</data></array></value></member></struct></value>",
            ),
            ('<a href="x">&</a>', "<value>&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;</value>"),
            ("bell\x07 tab\t nl\n cr\r", "<value>bell tab\t nl\n cr\r</value>"),
            ("lone\ud800surrogate\uffff", "<value>lonesurrogate</value>"),
            (PowerStr.RUNNING, "<value>Running</value>"),
        ],
    )
    def test_value_fragment(self, value: object, fragment: str) -> None:
        assert xml_wire.value_fragment(value) == fragment

    def test_datetimes(self) -> None:
        aware = dt.datetime(2025, 3, 19, 4, 16, 24, tzinfo=UTC)
        naive = dt.datetime(2025, 3, 19, 4, 16, 24)
        plus_two = dt.datetime(2025, 3, 19, 6, 16, 24, tzinfo=dt.timezone(dt.timedelta(hours=2)))
        assert xml_wire.value_fragment(aware) == (
            "<value><dateTime.iso8601>20250319T04:16:24Z</dateTime.iso8601></value>"
        )
        assert xml_wire.value_fragment(naive) == (
            "<value><dateTime.iso8601>20250319T04:16:24</dateTime.iso8601></value>"
        )
        assert xml_wire.value_fragment(plus_two) == xml_wire.value_fragment(aware)
        # The SDK keeps xapi's text; XenAPI users parse it themselves.
        from_aware = sdk_value(xml_wire.format_success(aware))
        from_naive = sdk_value(xml_wire.format_success(naive))
        assert isinstance(from_aware, xmlrpc.client.DateTime)
        assert isinstance(from_naive, xmlrpc.client.DateTime)
        assert from_aware.value == "20250319T04:16:24Z"
        assert from_naive.value == "20250319T04:16:24"

    def test_sdk_reads_types_as_xapi_sends_them(self) -> None:
        record = {
            "uuid": "5f0e8c1e-7e0e-411f-1b6c-4308fd33b164",
            "name_label": "",
            "memory_static_max": 4294967296,
            "VCPUs_max": 4,
            "is_a_template": False,
            "HVM_shadow_multiplier": 1.5,
            "snapshots": ["OpaqueRef:s1", "OpaqueRef:s2"],
            "other_config": {"a<b": "c&d", "nested": {"x": [Int32(1)]}},
            "name_description": JAPANESE,
            "blob": b"\x00\x01",
            "missing": None,
        }
        value = sdk_value(xml_wire.format_success(record))
        assert value == {
            "uuid": "5f0e8c1e-7e0e-411f-1b6c-4308fd33b164",
            "name_label": "",
            "memory_static_max": "4294967296",  # ints are strings on the wire
            "VCPUs_max": "4",
            "is_a_template": False,
            "HVM_shadow_multiplier": 1.5,
            "snapshots": ["OpaqueRef:s1", "OpaqueRef:s2"],
            "other_config": {"a<b": "c&d", "nested": {"x": [1]}},
            "name_description": JAPANESE,
            "blob": xmlrpc.client.Binary(b"\x00\x01"),
            "missing": None,
        }

    def test_nan_reads_back_as_float(self) -> None:
        value = sdk_value(xml_wire.format_success(float("nan")))
        assert isinstance(value, float)
        assert math.isnan(value)

    def test_unicode_is_utf8(self) -> None:
        body = xml_wire.format_success(JAPANESE)
        assert JAPANESE.encode("utf-8") in body
        assert sdk_value(body) == JAPANESE

    def test_our_requests_parse_our_values(self) -> None:
        value = {"a": ["x", "", {"b": True, "c": Int32(2), "d": 2.5, "e": None}]}
        body = call_xml(xml_wire.value_fragment(value))
        assert xml_wire.parse_request(body)[1] == [value]

    def test_unsupported_type(self) -> None:
        with pytest.raises(TypeError):
            xml_wire.value_fragment(object())
        with pytest.raises(TypeError):
            xml_wire.value_fragment(Power.HALTED)

    def test_many_odd_map_keys(self) -> None:
        # More distinct keys than the member-name cache holds.
        record = {f"key<{i}>": str(i) for i in range(10_000)}
        assert sdk_value(xml_wire.format_success(record)) == record

    def test_twenty_thousand_records(self) -> None:
        records = [
            {
                "uuid": f"uuid-{i}",
                "name_label": f"vm {i}",
                "power_state": "Halted",
                "memory_static_max": 2**32 + i,
                "is_a_snapshot": i % 2 == 0,
                "snapshots": [f"OpaqueRef:s{i}"],
                "other_config": {"folder": "/a&b"},
            }
            for i in range(20_000)
        ]
        body = xml_wire.format_success(records)
        value = sdk_value(body)
        assert isinstance(value, list)
        assert len(value) == 20_000
        assert value[19_999]["memory_static_max"] == str(2**32 + 19_999)
        assert value[0]["other_config"] == {"folder": "/a&b"}


# ---------------------------------------------------------------------------------------
# JSON-RPC
# ---------------------------------------------------------------------------------------


def json_body(request: object) -> bytes:
    return json.dumps(request).encode()


def v1_request(request_id: json_wire.JsonId = 1) -> json_wire.JsonRequest:
    return json_wire.JsonRequest(method="m", params=[], id=request_id, version="1.0")


def v2_request(request_id: json_wire.JsonId = 1) -> json_wire.JsonRequest:
    return json_wire.JsonRequest(method="m", params=[], id=request_id, version="2.0")


class TestJsonRequests:
    def test_v1(self) -> None:
        body = json_body({"method": "session.login_with_password", "params": ["u", "p"], "id": 3})
        assert json_wire.parse_request(body) == json_wire.JsonRequest(
            method="session.login_with_password", params=["u", "p"], id=3, version="1.0"
        )

    def test_v2(self) -> None:
        body = json_body(
            {"jsonrpc": "2.0", "method": "VM.get_all", "params": ["OpaqueRef:s"], "id": "abc"}
        )
        assert json_wire.parse_request(body) == json_wire.JsonRequest(
            method="VM.get_all", params=["OpaqueRef:s"], id="abc", version="2.0"
        )

    def test_param_types(self) -> None:
        params: list[WireValue] = [
            1,
            2**40,
            1.5,
            True,
            None,
            "20250319T04:16:24Z",
            {"k": [JAPANESE]},
            [],
        ]
        body = json.dumps({"method": "m", "params": params, "id": 0}, ensure_ascii=False)
        request = json_wire.parse_request(body.encode("utf-8"))
        assert request.params == params
        assert request.id == 0

    def test_v2_params_may_be_omitted_or_null(self) -> None:
        for request in (
            {"jsonrpc": "2.0", "method": "system.listMethods", "id": 1},
            {"jsonrpc": "2.0", "method": "system.listMethods", "params": None, "id": 1},
        ):
            assert json_wire.parse_request(json_body(request)).params == []

    @pytest.mark.parametrize(
        "body",
        [
            pytest.param(b"", id="empty"),
            pytest.param(b"garbage", id="garbage"),
            pytest.param(b'{"method": "m", "params": [], "id": 1', id="truncated"),
            pytest.param(b"\xff\xfe\xfd", id="not-utf8"),
            pytest.param(b"[" * 100_000 + b"]" * 100_000, id="too-deep"),
        ],
    )
    def test_not_json(self, body: bytes) -> None:
        with pytest.raises(json_wire.JsonParseError):
            json_wire.parse_request(body)

    @pytest.mark.parametrize(
        "request_object",
        [
            pytest.param([{"method": "m", "params": [], "id": 1}], id="batch-array"),
            pytest.param("m", id="string"),
            pytest.param(None, id="null"),
            pytest.param({"params": [], "id": 1}, id="missing-method"),
            pytest.param({"method": 5, "params": [], "id": 1}, id="method-number"),
            pytest.param({"method": "m", "params": {"a": 1}, "id": 1}, id="params-object"),
            pytest.param({"method": "m", "params": "x", "id": 1}, id="params-string"),
            pytest.param({"method": "m", "id": 1}, id="v1-missing-params"),
            pytest.param({"method": "m", "params": None, "id": 1}, id="v1-null-params"),
            pytest.param(
                {"jsonrpc": "2.0", "method": "m", "params": {"a": 1}, "id": 1},
                id="v2-params-object",
            ),
            pytest.param({"method": "m", "params": []}, id="missing-id"),
            pytest.param({"method": "m", "params": [], "id": None}, id="null-id"),
            pytest.param({"method": "m", "params": [], "id": 1.5}, id="float-id"),
            pytest.param({"method": "m", "params": [], "id": True}, id="bool-id"),
            pytest.param({"method": "m", "params": [], "id": [1]}, id="array-id"),
            pytest.param(
                {"jsonrpc": "1.0", "method": "m", "params": [], "id": 1}, id="jsonrpc-1.0"
            ),
            pytest.param({"jsonrpc": 2.0, "method": "m", "params": [], "id": 1}, id="jsonrpc-num"),
        ],
    )
    def test_invalid_requests(self, request_object: object) -> None:
        with pytest.raises(WireError) as raised:
            json_wire.parse_request(json_body(request_object))
        assert not isinstance(raised.value, json_wire.JsonParseError)


class TestJsonResponses:
    def test_v1_success_exact(self) -> None:
        assert json_wire.format_success(v1_request(7), "OpaqueRef:a") == (
            b'{"result":"OpaqueRef:a","error":null,"id":7}'
        )

    def test_v2_success_exact(self) -> None:
        assert json_wire.format_success(v2_request("x"), ["a"]) == (
            b'{"jsonrpc":"2.0","result":["a"],"id":"x"}'
        )

    def test_v1_failure_exact(self) -> None:
        body = json_wire.format_failure(v1_request(7), ["HANDLE_INVALID", "VM", "OpaqueRef:x"])
        assert body == (b'{"result":null,"error":["HANDLE_INVALID","VM","OpaqueRef:x"],"id":7}')

    def test_v2_failure_exact(self) -> None:
        body = json_wire.format_failure(v2_request(7), ["HANDLE_INVALID", "VM", "OpaqueRef:x"])
        assert body == (
            b'{"jsonrpc":"2.0","error":{"code":1,"message":"HANDLE_INVALID",'
            b'"data":["VM","OpaqueRef:x"]},"id":7}'
        )

    def test_v2_failure_without_params(self) -> None:
        body = json_wire.format_failure(v2_request(1), ["SESSION_INVALID"])
        assert json.loads(body)["error"] == {"code": 1, "message": "SESSION_INVALID", "data": []}

    def test_void_result(self) -> None:
        assert (
            json_wire.format_success(v2_request(1), "") == b'{"jsonrpc":"2.0","result":"","id":1}'
        )

    def test_value_types(self) -> None:
        value = {
            "count": Int32(3),
            "memory": 2**40,
            "ratio": 0.5,
            "flag": True,
            "when": dt.datetime(2025, 3, 19, 4, 16, 24, tzinfo=UTC),
            "local": dt.datetime(2025, 3, 19, 4, 16, 24),
            "refs": ("OpaqueRef:a",),
            "map": {"k": {"deep": [None]}},
            "blob": b"hi",
            "text": JAPANESE,
            "power": PowerStr.RUNNING,
        }
        body = json_wire.format_success(v1_request(1), value)
        assert b'"count":3,' in body
        assert b'"memory":1099511627776,' in body
        assert b'"when":"20250319T04:16:24Z"' in body
        assert b'"local":"20250319T04:16:24"' in body
        assert JAPANESE.encode("utf-8") in body  # raw UTF-8, like yojson
        assert json.loads(body)["result"] == {
            "count": 3,
            "memory": 2**40,
            "ratio": 0.5,
            "flag": True,
            "when": "20250319T04:16:24Z",
            "local": "20250319T04:16:24",
            "refs": ["OpaqueRef:a"],
            "map": {"k": {"deep": [None]}},
            "blob": "aGk=",
            "text": JAPANESE,
            "power": "Running",
        }

    def test_non_finite_floats_are_bare_tokens(self) -> None:
        body = json_wire.format_success(v2_request(1), [float("nan"), float("inf"), -float("inf")])
        assert body == b'{"jsonrpc":"2.0","result":[NaN,Infinity,-Infinity],"id":1}'
        nan, inf, neg_inf = json.loads(body)["result"]
        assert math.isnan(nan)
        assert inf == math.inf
        assert neg_inf == -math.inf

    def test_lone_surrogate_does_not_break_encoding(self) -> None:
        body = json_wire.format_success(v1_request(1), "a\ud800b")
        assert json.loads(body)["result"] == "a?b"

    def test_unsupported_type(self) -> None:
        with pytest.raises(TypeError):
            json_wire.format_success(v1_request(1), object())

    def test_twenty_thousand_records(self) -> None:
        records = {
            f"OpaqueRef:{i}": {
                "uuid": f"uuid-{i}",
                "memory_static_max": 2**32 + i,
                "snapshot_time": dt.datetime(2025, 1, 1, tzinfo=UTC),
                "snapshots": [],
            }
            for i in range(20_000)
        }
        result = json.loads(json_wire.format_success(v2_request(1), records))["result"]
        assert len(result) == 20_000
        assert result["OpaqueRef:19999"]["snapshot_time"] == "20250101T00:00:00Z"


class TestJsonWireErrors:
    def test_v2_parse_error(self) -> None:
        body = json_wire.format_wire_error(None, "2.0", "invalid JSON", code=json_wire.PARSE_ERROR)
        assert json.loads(body) == {
            "jsonrpc": "2.0",
            "error": {"code": -32700, "message": "Parse error", "data": ["invalid JSON"]},
            "id": None,
        }

    def test_v1_invalid_request(self) -> None:
        body = json_wire.format_wire_error(4, "1.0", "missing method")
        assert body == (
            b'{"result":null,"error":["INTERNAL_ERROR","Invalid Request: missing method"],"id":4}'
        )

    def test_request_error_for_garbage(self) -> None:
        body = b"{not json"
        with pytest.raises(WireError) as raised:
            json_wire.parse_request(body)
        reply = json.loads(json_wire.format_request_error(body, raised.value))
        assert reply["id"] is None
        assert reply["error"][0] == "INTERNAL_ERROR"
        assert reply["error"][1].startswith("Parse error: invalid JSON")

    def test_request_error_keeps_id_and_version(self) -> None:
        body = json_body({"jsonrpc": "2.0", "method": "m", "params": "x", "id": "req-9"})
        with pytest.raises(WireError) as raised:
            json_wire.parse_request(body)
        reply = json.loads(json_wire.format_request_error(body, raised.value))
        assert reply == {
            "jsonrpc": "2.0",
            "error": {
                "code": -32600,
                "message": "Invalid Request",
                "data": ["params must be an array"],
            },
            "id": "req-9",
        }

    @pytest.mark.parametrize(
        ("body", "expected"),
        [
            (b"junk", (None, "1.0")),
            (b"[1]", (None, "1.0")),
            (b'{"id": 5}', (5, "1.0")),
            (b'{"jsonrpc": "2.0", "id": "a"}', ("a", "2.0")),
            (b'{"jsonrpc": "2.0", "id": true}', (None, "2.0")),
            (b'{"jsonrpc": "2.0", "id": {"x": 1}}', (None, "2.0")),
        ],
    )
    def test_peek_id_and_version(self, body: bytes, expected: tuple[object, str]) -> None:
        assert json_wire.peek_id_and_version(body) == expected
