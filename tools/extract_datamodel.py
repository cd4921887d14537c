"""Build xsnap_gui/xapi/data/datamodel.json from the reference files in ../shared.

The app and the simulator need the XenAPI datamodel at run time, including from a
wheel, so we ship a compact extract: types, qualifiers, defaults, parameters,
roles and error parameters. Descriptions are dropped except the error docs,
which the client turns into readable messages.

Run: python tools/extract_datamodel.py [SHARED_DIR]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "xsnap_gui" / "xapi" / "data" / "datamodel.json"


def extract(shared: Path) -> dict[str, Any]:
    dm = shared / "xapi" / "datamodel"
    classes_in = json.loads((dm / "xenapi.json").read_text())
    errors_in = json.loads((dm / "xenapi_errors.json").read_text())
    alerts_in = json.loads((dm / "xenapi_messages.json").read_text())
    classes: dict[str, Any] = {}
    enums: dict[str, list[str]] = {}
    for cls in classes_in:
        fields = {
            f["name"]: [f["type"], f["qualifier"], f.get("default")] for f in cls["fields"]
        }
        messages = {}
        for m in cls["messages"]:
            messages[m["name"]] = {
                "params": [
                    [p["name"], p["type"], bool(p.get("required", True))] for p in m["params"]
                ],
                "result": m["result"][0],
                "roles": m["roles"],
                "implicit": m["implicit"],
                "state": m["lifecycle"]["state"],
                "errors": [e["name"] for e in m["errors"]],
            }
        for e in cls.get("enums", []):
            enums[e["name"]] = [v["name"] for v in e["values"]]
        classes[cls["name"]] = {
            "state": cls["lifecycle"]["state"],
            "fields": fields,
            "messages": messages,
        }
    errors = {
        e["name"]: {"params": e["params"], "doc": e["doc"], "documented": e["documented"]}
        for e in errors_in["errors"]
    }
    alerts = {m["name"]: m["priority"] for m in alerts_in["messages"]}
    return {
        "source": "xen-api datamodel @ e2ee48d: xenapi.json, xenapi_errors.json, "
        "xenapi_messages.json",
        "classes": classes,
        "enums": enums,
        "errors": errors,
        "alerts": alerts,
    }


def main() -> None:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared"
    data = extract(shared)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
