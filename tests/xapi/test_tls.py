"""TLS trust: system-CA verification, pinned fingerprints, and certificates that change."""

from __future__ import annotations

import datetime as dt
import ssl

import pytest

from xsnap_gui.simulator.api import RunningSimulator
from xsnap_gui.xapi import tls
from xsnap_gui.xapi.client import Connection
from xsnap_gui.xapi.errors import CertificateChanged, TlsError, UntrustedCertificate

from .conftest import ROOT_PASSWORD, assert_clean_error, login, pin_of, run, start


def test_self_signed_certificate_is_not_trusted(sim_https: RunningSimulator,
                                                protocol: str) -> None:
    with pytest.raises(UntrustedCertificate) as caught:
        run(Connection.connect(sim_https.url, "root", ROOT_PASSWORD, protocol=protocol))
    error = caught.value
    assert error.reason == "tls"
    assert error.fingerprint_sha256 == pin_of(sim_https)
    assert error.subject == "CN=xsnap-sim"
    assert error.not_before < dt.datetime.now(dt.UTC) < error.not_after
    assert error.pem.startswith("-----BEGIN CERTIFICATE-----")
    assert tls.fingerprint_sha256(ssl.PEM_cert_to_DER_cert(error.pem)) == pin_of(sim_https)
    assert "self-signed" in error.problem
    assert pin_of(sim_https) in str(error)
    assert_clean_error(error)


def test_trusting_the_fingerprint_works(sim_https: RunningSimulator) -> None:
    # The pin may be given in any common spelling.
    spellings = [pin_of(sim_https), pin_of(sim_https).replace(":", "").lower(),
                 "sha-256:" + pin_of(sim_https)]

    async def scenario() -> None:
        for pin in spellings:
            conn = await Connection.connect(sim_https.url, "root", ROOT_PASSWORD,
                                            trusted_fingerprint=pin)
            try:
                assert conn.info.certificate_fingerprint == pin_of(sim_https)
                assert await conn.call("pool.get_all") == [sim_https.sim.pool]
            finally:
                await conn.close()

    run(scenario())


def test_a_different_pinned_certificate_is_refused(sim_https: RunningSimulator) -> None:
    other = start(tls=True)
    try:
        with pytest.raises(CertificateChanged) as caught:
            run(Connection.connect(other.url, "root", ROOT_PASSWORD,
                                   trusted_fingerprint=pin_of(sim_https)))
        error = caught.value
        assert error.expected == pin_of(sim_https)
        assert error.actual == pin_of(other)
        assert pin_of(sim_https) in str(error) and pin_of(other) in str(error)
        assert_clean_error(error)
    finally:
        other.stop()


def test_the_pin_is_checked_on_every_new_connection(protocol: str) -> None:
    running = start(tls=True)
    other = start(tls=True)
    try:
        async def scenario() -> None:
            conn = await login(running, protocol=protocol)
            try:
                assert await conn.call("pool.get_all") == [running.sim.pool]
                # The host now presents another certificate (as after a swap by an attacker):
                # the event connection, opened next, must notice.
                assert other.certificate is not None
                running.master.tls = other.certificate.server_context()
                with pytest.raises(CertificateChanged) as caught:
                    await conn.event_from(["pool"], "", 0.0)
                assert caught.value.expected == pin_of(running)
                assert caught.value.actual == pin_of(other)
            finally:
                await conn.close()

        run(scenario())
    finally:
        other.stop()
        running.stop()


def test_https_to_a_plain_http_port(sim_http: RunningSimulator) -> None:
    url = sim_http.url.replace("http://", "https://")
    with pytest.raises(TlsError) as caught:
        run(Connection.connect(url, "root", ROOT_PASSWORD, timeout=10))
    assert "does not speak TLS" in str(caught.value)


def test_fingerprint_spellings() -> None:
    canonical = ":".join(["AB"] * 32)
    assert tls.normalise_fingerprint("ab" * 32) == canonical
    assert tls.normalise_fingerprint(f"SHA256:{canonical.lower()}") == canonical
    with pytest.raises(ValueError, match="not a SHA-256 fingerprint"):
        tls.normalise_fingerprint("AB:CD")


def test_a_coordinator_with_another_certificate_is_a_new_host() -> None:
    # Real pool members each have their own certificate. Pinning a member and being sent on
    # to the coordinator must ask about the coordinator's certificate, not cry "changed".
    running = start(tls=True)
    other = start(tls=True)
    try:
        assert other.certificate is not None
        member = next(iter(running.members.values()))
        member.tls = other.certificate.server_context()
        with pytest.raises(UntrustedCertificate) as caught:
            run(Connection.connect(member.url, "root", ROOT_PASSWORD,
                                   trusted_fingerprint=pin_of(other)))
        error = caught.value
        assert error.url == running.url
        assert error.fingerprint_sha256 == pin_of(running)
        assert "coordinator" in error.problem
        # Trusting the coordinator's certificate then works, at the coordinator's address.
        conn = run(Connection.connect(error.url, "root", ROOT_PASSWORD,
                                      trusted_fingerprint=error.fingerprint_sha256))
        run(conn.close())
    finally:
        other.stop()
        running.stop()
