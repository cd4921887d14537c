"""session: logout, and the caller's identity. login_with_password lives in core.dispatch."""

from __future__ import annotations

from ..call import Call
from ..errors import XapiError
from ..registry import implements


@implements("session.logout")
def logout(call: Call) -> str:
    if call.session is not None and call.db.exists("session", call.session):
        call.db.destroy("session", call.session)
    return ""


@implements("session.local_logout")
def local_logout(call: Call) -> str:
    return logout(call)


@implements("session.change_password")
def change_password(call: Call, old_pwd: str, new_pwd: str) -> str:
    name = str(call.session_field("auth_user_name"))
    user = call.sim.users.get(name)
    if user is None or user.password != old_pwd:
        raise XapiError("SESSION_AUTHENTICATION_FAILED", name, "Authentication failure")
    from ..core import User  # noqa: PLC0415 - avoid an import cycle at module load

    call.sim.users[name] = User(name, new_pwd, user.role)
    return ""


@implements("session.get_all_subject_identifiers")
def get_all_subject_identifiers(call: Call) -> list[str]:
    with call.db.lock:
        sids = {str(row["auth_user_sid"]) for _, row in call.db.rows("session")}
    return sorted(s for s in sids if s)
