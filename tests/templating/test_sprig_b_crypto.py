"""Sprig family B, hashes and crypto (deterministic ones against Go's outputs; random ones by shape)."""

from __future__ import annotations

import base64
import datetime as dt
import random
import re
from typing import Any

import pytest

from engine.templating.funcs import certs, crypto
from engine.templating.funcs.registry import GoError, GoPanic


def test_hashes() -> None:
    assert crypto.sha1sum("é€😀") == "c18ebd62bacc0aac83670707d9204486ec605731"
    assert crypto.sha1sum("hello") == "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"
    assert crypto.sha1sum("") == "da39a3ee5e6b4b0d3255bfef95601890afd80709"
    assert crypto.sha1sum("a\nb") == "fcd127ffa1016069006ad91f3f361248f9bdf272"
    assert crypto.sha1sum("<a href='x'>&</a>") == "641f683a4defdbd1cd4608d3ce02d8ea08304f96"
    assert crypto.sha1sum("12") == "7b52009b64fd0a2a49e6d8a939753077792b0554"
    fox = "The quick brown fox jumps over the lazy dog"
    assert crypto.sha1sum(fox) == "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"
    assert crypto.sha512sum(fox) == (
        "07e547d9586f6a73f73fbac0435ed76951218fb7d0c8d788a309d785436bbb642e93a252a954f23912547d1e8a3b5ed6e1bfd7"
        "097821233fa0538f3db854fee6")
    assert crypto.sha256sum("12") == "6b51d431df5d7f141cbececcf79edf3dd861c3b4069f0b11661a3eefacbba918"
    assert crypto.adler32sum(fox) == "1541148634"
    assert crypto.adler32sum("") == "1"
    assert crypto.adler32sum("a\nb") == "27001038"
    assert crypto.adler32sum("é€😀") == "537855524"


def test_derive_password() -> None:
    assert crypto.derive_password(1, "basic", "pw", "user", "example.com") == "FlB56sqs"
    assert crypto.derive_password(1, "long", "password", "user", "example.com") == "ZedaFaxcZaso9*"
    assert crypto.derive_password(2, "maximum", "pw", "user", "example.com") == "h7=IY3OKwB15CMem6PwX"
    assert crypto.derive_password(1, "nope", "pw", "user", "example.com") == "cannot find password template nope"


def test_decrypt_aes() -> None:
    assert crypto.decrypt_aes("k2", "cFqxYhs7pc0VLZn4wF5WNG/fprKf55xc4ruEu2KPqtg=") == "héllo wörld"
    assert crypto.decrypt_aes("k2", "") == ""
    with pytest.raises(GoError, match="^illegal base64 data at input byte 9$"):
        crypto.decrypt_aes("secretkey", "notbase64!")
    with pytest.raises(GoPanic, match=r"^runtime error: slice bounds out of range \[:16\] with capacity 3$"):
        crypto.decrypt_aes("k", "AAAA")
    with pytest.raises(GoPanic, match="^crypto/cipher: input not full blocks$"):
        crypto.decrypt_aes("k", "A" * 24)


def test_encrypt_aes_round_trip_and_shape() -> None:
    encrypted = crypto.encrypt_aes("key", "text")
    assert re.fullmatch(r"[A-Za-z0-9+/]{43}=", encrypted)
    assert crypto.decrypt_aes("key", encrypted) == "text"
    assert crypto.encrypt_aes("key", "") == ""
    long_key = "k" * 40  # truncated to 32 bytes, as Go's copy() does
    assert crypto.decrypt_aes("k" * 32, crypto.encrypt_aes(long_key, "x" * 16)) == "x" * 16


class _Context:
    def __init__(self) -> None:
        self.random = random.Random(3)

    def now(self) -> dt.datetime:
        return dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


CTX: Any = _Context()


def test_rand_bytes_shape() -> None:
    assert re.fullmatch(r"[A-Za-z0-9+/]{11}=", crypto.rand_bytes(CTX, 8))
    assert len(base64.b64decode(crypto.rand_bytes(CTX, 33))) == 33


def test_bcrypt_shape_or_explicit_unavailability() -> None:
    if crypto.optional_module("bcrypt") is None:
        with pytest.raises(GoPanic, match="bcrypt is not available"):
            crypto.bcrypt("pw")
        return
    assert re.fullmatch(r"\$2a\$10\$[./A-Za-z0-9]{53}", crypto.bcrypt("pw"))
    assert re.fullmatch(r"user:\$2a\$10\$[./A-Za-z0-9]{53}", crypto.htpasswd("user", "pw"))


def test_htpasswd_refuses_a_colon() -> None:
    assert crypto.htpasswd("a:b", "pw") == "invalid username: a:b"


@pytest.mark.skipif(crypto.optional_module("cryptography") is None, reason="cryptography is not installed")
def test_keys_and_certificates() -> None:
    assert certs.gen_private_key("ecdsa").startswith("-----BEGIN EC PRIVATE KEY-----\n")
    assert certs.gen_private_key("ed25519").startswith("-----BEGIN PRIVATE KEY-----\n")
    assert certs.gen_private_key("nope") == "Unknown type nope"
    ca = certs.gen_ca(CTX, "ca", 365)
    assert ca.cert.startswith("-----BEGIN CERTIFICATE-----\n") and ca.key.startswith("-----BEGIN RSA PRIVATE KEY")
    signed = certs.gen_signed_cert(CTX, "srv", ["127.0.0.1"], ["a.example"], 30, ca)
    assert signed.fields["Cert"](signed).startswith("-----BEGIN CERTIFICATE-----")
    own = certs.gen_self_signed_cert_with_key(CTX, "x", None, None, 1, certs.gen_private_key("ecdsa"))
    assert own.key.startswith("-----BEGIN EC PRIVATE KEY-----")
    rebuilt = certs.build_custom_cert(base64.b64encode(ca.cert.encode()).decode(),
                                      base64.b64encode(ca.key.encode()).decode())
    assert (rebuilt.cert, rebuilt.key) == (ca.cert, ca.key)
    with pytest.raises(GoError, match="^error parsing ip: 1 is not a string$"):
        certs.gen_self_signed_cert(CTX, "x", [1], None, 1)
    with pytest.raises(GoError, match="^unable to decode base64 certificate$"):
        certs.build_custom_cert("!", "x")
    with pytest.raises(GoError, match="^parsing private key: no PEM data in input$"):
        certs.gen_ca_with_key(CTX, "x", 1, "junk")
