"""blob: binary objects (VNC screenshots of checkpoints and the like), after xapi_blob.ml.

A blob record holds only metadata; its bytes live in ``sim.blob_payloads`` and
travel over ``GET``/``PUT /blob`` (http_handlers.py). A new blob has no bytes
yet, so fetching it answers 404 until something is uploaded, as in xapi.
"""

from __future__ import annotations

from ..call import Call
from ..coerce import EPOCH
from ..registry import implements

DEFAULT_MIME_TYPE = "application/octet-stream"


@implements("blob.create")
def create(call: Call, mime_type: str, public: bool = False) -> str:
    return call.db.create("blob", {
        "name_label": "", "name_description": "", "size": 0, "public": public,
        "last_updated": EPOCH, "mime_type": mime_type or DEFAULT_MIME_TYPE,
    })


@implements("blob.destroy")
def destroy(call: Call, blob: str) -> str:
    db = call.db
    with db.lock:
        db.row("blob", blob)
        # As xapi: only VMs are cleaned of references to the blob.
        for vm, row in db.rows("VM"):
            if blob in row["blobs"].values():
                db.set("VM", vm, "blobs", {k: v for k, v in row["blobs"].items() if v != blob})
        db.destroy("blob", blob)
        call.sim.blob_payloads.pop(blob, None)
    return ""


def _create_new_blob(call: Call, cls: str, owner: str, name: str, mime_type: str,
                     public: bool) -> str:
    db = call.db
    with db.lock:
        db.row(cls, owner)
        blob = create(call, mime_type, public)
        db.map_put(cls, owner, "blobs", name, blob)
    return blob


@implements("VM.create_new_blob")
def vm_create_new_blob(call: Call, vm: str, name: str, mime_type: str,
                       public: bool = False) -> str:
    return _create_new_blob(call, "VM", vm, name, mime_type, public)


@implements("pool.create_new_blob")
def pool_create_new_blob(call: Call, pool: str, name: str, mime_type: str,
                         public: bool = False) -> str:
    return _create_new_blob(call, "pool", pool, name, mime_type, public)


@implements("host.create_new_blob")
def host_create_new_blob(call: Call, host: str, name: str, mime_type: str,
                         public: bool = False) -> str:
    return _create_new_blob(call, "host", host, name, mime_type, public)


@implements("SR.create_new_blob")
def sr_create_new_blob(call: Call, sr: str, name: str, mime_type: str,
                       public: bool = False) -> str:
    return _create_new_blob(call, "SR", sr, name, mime_type, public)


@implements("network.create_new_blob")
def network_create_new_blob(call: Call, network: str, name: str, mime_type: str,
                            public: bool = False) -> str:
    return _create_new_blob(call, "network", network, name, mime_type, public)
