"""Connection.connect: plain and TLS logins, redirects, rights, clocks, relogin and close."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from xsnap_gui.simulator.api import RunningSimulator
from xsnap_gui.simulator.core import SimConfig
from xsnap_gui.simulator.faults import MoveMaster
from xsnap_gui.xapi.client import Connection
from xsnap_gui.xapi.errors import (
    AuthenticationFailed,
    ConnectionClosed,
    PermissionDenied,
    SessionInvalid,
)
from xsnap_gui.xapi.transport import endpoint_for_address, parse_url

from .conftest import (
    PASSWORDS,
    ROOT_PASSWORD,
    assert_clean_error,
    assert_no_password,
    login,
    pin_of,
    run,
    sdk,
    start,
)


def test_plain_http_login_when_allowed(sim_http: RunningSimulator) -> None:
    async def scenario() -> None:
        conn = await Connection.connect(sim_http.url, "root", ROOT_PASSWORD,
                                        allow_plain_http=True)
        try:
            info = conn.info
            assert info.url == sim_http.url
            assert info.redirected_from is None
            assert info.is_local_superuser
            assert info.role is None
            assert conn.can("vm.snapshot") and conn.can("VMSS.create")
            assert info.pool_ref == sim_http.sim.pool
            assert info.master_ref == sim_http.sim.master
            assert info.api_version[0] >= 2
            assert info.certificate_fingerprint is None
            assert_no_password(repr(conn), repr(info))
        finally:
            await conn.close()

    run(scenario())


def test_plain_http_refused_without_the_flag(sim_http: RunningSimulator) -> None:
    sessions_before = len(sim_http.sim.db.all_refs("session"))
    with pytest.raises(ValueError, match="plain http") as caught:
        run(Connection.connect(sim_http.url, "root", ROOT_PASSWORD))
    assert_clean_error(caught.value)
    # Refused before anything was sent.
    assert len(sim_http.sim.db.all_refs("session")) == sessions_before


def test_pool_member_redirects_to_the_coordinator(sim_https: RunningSimulator,
                                                  protocol: str) -> None:
    member_url = next(iter(sim_https.member_urls.values()))
    assert member_url != sim_https.url

    async def scenario() -> None:
        conn = await login(sim_https, url=member_url, protocol=protocol)
        try:
            assert conn.info.redirected_from == member_url
            assert conn.info.url == sim_https.url
            assert conn.url == sim_https.url
            # Calls then go to the coordinator.
            assert await conn.call("pool.get_master", conn.info.pool_ref) == sim_https.sim.master
        finally:
            await conn.close()

    run(scenario())


def test_wrong_password(sim_https: RunningSimulator, protocol: str) -> None:
    with pytest.raises(AuthenticationFailed) as caught:
        run(Connection.connect(sim_https.url, "admin", PASSWORDS["reader"],
                               trusted_fingerprint=pin_of(sim_https), protocol=protocol))
    error = caught.value
    assert error.code == "SESSION_AUTHENTICATION_FAILED"
    assert error.params[0] == "admin"
    assert "credentials given by the user are incorrect" in error.message
    assert_clean_error(error)


def test_read_only_user_rights(sim_https: RunningSimulator) -> None:
    async def scenario() -> None:
        conn = await login(sim_https, "reader")
        try:
            info = conn.info
            assert not info.is_local_superuser
            assert info.role == "read-only"
            assert "vm.get_record" in info.permissions
            assert conn.can("VM.get_record")
            assert not conn.can("vm.snapshot")
            assert not conn.can("vmss.create")
            with pytest.raises(PermissionDenied) as caught:
                await conn.call("VM.snapshot", _some_vm(sim_https), "not allowed")
            assert caught.value.permission == "vm.snapshot"
            assert "RBAC permission denied" in caught.value.message
        finally:
            await conn.close()

    run(scenario())


def test_vm_admin_rights(sim_https: RunningSimulator) -> None:
    async def scenario() -> None:
        conn = await login(sim_https, "vmadmin")
        try:
            assert conn.info.role == "vm-admin"
            assert conn.can("vm.clone") and conn.can("vm.destroy")
            # Snapshots need vm-power-admin; schedules pool-operator.
            assert not conn.can("vm.snapshot")
            assert not conn.can("vmss.create")
        finally:
            await conn.close()

    run(scenario())


def test_power_admin_rights(sim_https: RunningSimulator) -> None:
    async def scenario() -> None:
        conn = await login(sim_https, "poweradmin")
        try:
            assert conn.info.role == "vm-power-admin"
            assert conn.can("vm.snapshot") and conn.can("vm.revert")
            assert not conn.can("vmss.create")
        finally:
            await conn.close()

    run(scenario())


def _some_vm(running: RunningSimulator) -> str:
    return next(ref for ref, row in running.sim.db.rows("VM")
                if not row["is_a_snapshot"] and not row["is_control_domain"])


def test_server_clock_and_pool_timezone() -> None:
    ahead = dt.timedelta(hours=2, minutes=3)
    running = start(tls=False, config=SimConfig(
        timezone="Asia/Kolkata", clock_start=dt.datetime.now(dt.UTC) + ahead))
    try:
        async def scenario() -> None:
            conn = await login(running)
            try:
                info = conn.info
                # xapi sends whole seconds; allow for that and a slow machine.
                assert abs(info.server_time_offset - ahead) < dt.timedelta(seconds=30)
                assert info.pool_utc_offset == dt.timedelta(hours=5, minutes=30)
                assert info.pool_timezone is None
                assert info.tzinfo().utcoffset(None) == dt.timedelta(hours=5, minutes=30)
            finally:
                await conn.close()

        run(scenario())
        session = sdk(running)
        try:
            session.xenapi.pool.add_to_other_config(running.sim.pool, "timezone",
                                                    "Asia/Kolkata")
        finally:
            session.xenapi.session.logout()

        async def named() -> None:
            conn = await login(running)
            try:
                assert conn.info.pool_timezone == "Asia/Kolkata"
                assert str(conn.info.tzinfo()) == "Asia/Kolkata"
            finally:
                await conn.close()

        run(named())
    finally:
        running.stop()


def test_an_unknown_timezone_name_is_ignored(sim_http: RunningSimulator) -> None:
    master = sim_http.sim.master
    session = sdk(sim_http)
    try:
        session.xenapi.host.add_to_other_config(master, "timezone", "Mars/Olympus_Mons")
        try:
            conn = run(login(sim_http))
            assert conn.info.pool_timezone is None
            run(conn.close())
        finally:
            session.xenapi.host.remove_from_other_config(master, "timezone")
    finally:
        session.xenapi.session.logout()


def test_session_invalid_then_relogin(sim_https: RunningSimulator, protocol: str) -> None:
    async def scenario() -> None:
        conn = await login(sim_https, "reader", protocol=protocol)
        try:
            first = conn.info.session_ref
            sim_https.sim.expire_sessions()
            with pytest.raises(SessionInvalid) as caught:
                await conn.call("pool.get_all")
            assert_clean_error(caught.value)
            # Several coroutines noticing at once share one new login.
            await asyncio.gather(*(conn.relogin() for _ in range(5)))
            assert conn.info.session_ref != first
            assert conn.info.role == "read-only"
            sessions = [ref for ref, row in sim_https.sim.db.rows("session")
                        if row["auth_user_name"] == "reader"]
            assert sessions == [conn.info.session_ref]
            assert await conn.call("pool.get_all") == [sim_https.sim.pool]
        finally:
            await conn.close()

    run(scenario())


def test_close_logs_out_and_refuses_further_calls(sim_https: RunningSimulator) -> None:
    async def scenario() -> None:
        conn = await login(sim_https, "vmadmin")
        session = conn.info.session_ref
        assert sim_https.sim.db.exists("session", session)
        await conn.call("pool.get_all")
        await conn.close()
        assert conn.closed
        assert not sim_https.sim.db.exists("session", session)
        with pytest.raises(ConnectionClosed) as caught:
            await conn.call("pool.get_all")
        assert caught.value.reason == "closed"
        await conn.close()  # closing twice is harmless

    run(scenario())


def test_async_context_manager(sim_http: RunningSimulator) -> None:
    async def scenario() -> None:
        async with await login(sim_http, "reader") as conn:
            assert await conn.call("pool.get_all") == [sim_http.sim.pool]
            session = conn.info.session_ref
        assert not sim_http.sim.db.exists("session", session)

    run(scenario())


@pytest.mark.parametrize(("address", "expected"), [
    ("10.0.0.2", "https://10.0.0.2"),
    ("10.0.0.2:4443", "https://10.0.0.2:4443"),
    ("[fe80::1]:8443", "https://[fe80::1]:8443"),
    ("fe80::1", "https://[fe80::1]"),
    ("https://xcp-02.example:443/", "https://xcp-02.example"),
])
def test_coordinator_addresses(address: str, expected: str) -> None:
    here = parse_url("https://10.0.0.9:4443", allow_plain_http=False)
    assert endpoint_for_address(here, address).url == expected


def test_url_forms() -> None:
    assert parse_url("xcp-01.example", allow_plain_http=False).url == "https://xcp-01.example"
    assert parse_url("HTTPS://[::1]:8443/", allow_plain_http=False).port == 8443
    with pytest.raises(ValueError, match="own fields"):
        parse_url("ftp://root:secret@xcp-01", allow_plain_http=False)
    with pytest.raises(ValueError, match="unsupported URL scheme"):
        parse_url("ftp://xcp-01", allow_plain_http=True)
    with pytest.raises(ValueError, match="only makes sense with https"):
        parse_url("http://xcp-01", allow_plain_http=True, pin="AB" * 32)


def test_relogin_follows_a_new_coordinator() -> None:
    running = start(tls=True)
    try:
        async def scenario() -> None:
            async with await login(running, "admin") as conn:
                old_master = running.sim.master
                new_master = next(iter(running.members))
                running.sim.faults.add(MoveMaster(new_master))
                running.sim.expire_sessions()
                with pytest.raises(SessionInvalid):
                    await conn.call("pool.get_all")
                await conn.relogin()
                assert conn.info.master_ref == new_master != old_master
                assert conn.info.url == running.member_urls[new_master]
                assert conn.info.redirected_from == running.url
                assert conn.url == conn.info.url
                assert await conn.call("pool.get_master", conn.info.pool_ref) == new_master
                # Every worker, and the event connection, now talk to the new coordinator.
                await asyncio.gather(*(conn.call("pool.get_all") for _ in range(10)))
                assert (await conn.event_from(["pool"], "", 0.0))["events"]

        run(scenario())
    finally:
        running.stop()
