"""Sprig's key and certificate generators: genPrivateKey, genCA, genCAWithKey, genSelfSignedCert(WithKey),
genSignedCert(WithKey), buildCustomCert.

They return Go's `sprig.certificate` struct (`Certificate`: fields Cert and Key, PEM text) and use the
`cryptography` package, with fresh OS randomness as Go's crypto/rand does; certificates start at the render
context's `ctx.now()`. RSA keys are 4096 bits for genPrivateKey and 2048 for certificates, ECDSA is P-256,
certificates are signed with SHA-256 (Ed25519 signs itself) and carry Sprig's usages (digital signature,
key encipherment, server and client auth; certificate signing for CAs). Error texts from Go's crypto
libraries are approximated by the `cryptography` package's. Without `cryptography` installed,
genPrivateKey returns `failed to generate private key: …` and the others return an error saying so.
"""

from __future__ import annotations

import datetime as _dt
import ipaddress
import re
import secrets
from typing import Any, ClassVar

from engine.templating.funcs.encoding import CorruptInput, go_b64decode
from engine.templating.funcs.registry import FunctionContext, GoError, go_func
from engine.templating.gojson import go_bytes, go_string
from engine.templating.gotypes import GoObject
from engine.templating.printing import sprint

try:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    _MISSING = ""
except ImportError:  # pragma: no cover - depends on the environment
    _MISSING = "the Python package `cryptography` is not installed"

__all__ = ["Certificate"]


class Certificate(GoObject):
    """Sprig's `certificate` struct: `.Cert` and `.Key` (PEM)."""

    go_type: ClassVar[str] = "sprig.certificate"
    fields: ClassVar[dict[str, Any]] = {"Cert": lambda c: c.cert, "Key": lambda c: c.key}
    is_stringer: ClassVar[bool] = False

    def __init__(self, cert: str = "", key: str = "") -> None:
        self.cert = cert
        self.key = key

    def go_string(self) -> str:
        return "{" + self.cert + " " + self.key + "}"


def _require() -> None:
    if _MISSING:
        raise GoError("certificates are not available in this engine: " + _MISSING)


def _pem_key(key: Any) -> str:
    if isinstance(key, ed25519.Ed25519PrivateKey):
        form = serialization.PrivateFormat.PKCS8
    else:
        form = serialization.PrivateFormat.TraditionalOpenSSL
    data: bytes = key.private_bytes(serialization.Encoding.PEM, form, serialization.NoEncryption())
    return data.decode("ascii")


@go_func("genPrivateKey(string) string")
def gen_private_key(kind: str) -> str:
    if _MISSING:
        return "failed to generate private key: " + _MISSING
    key: Any
    if kind in ("", "rsa"):
        key = rsa.generate_private_key(public_exponent=65537, key_size=4096)
    elif kind == "dsa":
        key = dsa.generate_private_key(key_size=2048)
    elif kind == "ecdsa":
        key = ec.generate_private_key(ec.SECP256R1())
    elif kind == "ed25519":
        key = ed25519.Ed25519PrivateKey.generate()
    else:
        return "Unknown type " + kind
    return _pem_key(key)


_PEM = re.compile(r"-----BEGIN ([^\n-]*)-----\r?\n(.*?)-----END \1-----", re.DOTALL)


def _pem_block(text: str) -> tuple[str, bytes] | None:
    """pem.Decode: the type and bytes of the first PEM block, or None."""
    match = _PEM.search(text)
    if match is None:
        return None
    body = "".join(line for line in match.group(2).splitlines() if ":" not in line)
    try:
        return match.group(1), go_b64decode(go_bytes(body))
    except CorruptInput:
        return None


def _parse_key(text: str) -> Any:
    """Sprig's parsePrivateKeyPEM."""
    block = _pem_block(text)
    if block is None:
        raise GoError("no PEM data in input")
    kind, data = block
    if kind == "PRIVATE KEY":
        try:
            return serialization.load_der_private_key(data, password=None)
        except (ValueError, TypeError) as error:
            raise GoError(f"decoding PEM as PKCS#8: {error}") from None
    if not kind.endswith(" PRIVATE KEY"):
        raise GoError(f"no private key data in PEM block of type {kind}")
    algorithm = kind[: -len(" PRIVATE KEY")]
    if algorithm not in ("RSA", "EC", "DSA"):
        raise GoError(f"invalid private key type {kind}")
    try:
        return serialization.load_der_private_key(data, password=None)
    except (ValueError, TypeError) as error:
        raise GoError(f"parsing {algorithm} private key from PEM: {error}") from None


def _names(values: list[Any] | None, what: str) -> list[str]:
    out: list[str] = []
    for value in values or ():
        if not isinstance(value, str):
            raise GoError(f"error parsing ip: {sprint(value)} is not a string" if what == "ip" else
                          f"error processing alternate dns name: {sprint(value)} is not a string")
        out.append(str(value))
    return out


def _create(ctx: FunctionContext, cn: str, ips: list[Any] | None, dns: list[Any] | None, days: int,
            key: Any, issuer: Any = None, issuer_key: Any = None, is_ca: bool = False) -> Certificate:
    addresses = []
    for text in _names(ips, "ip"):
        try:
            addresses.append(ipaddress.ip_address(text))
        except ValueError:
            raise GoError(f"error parsing ip: {text}") from None
    names = _names(dns, "dns")
    signer = issuer_key if issuer_key is not None else key
    if isinstance(signer, dsa.DSAPrivateKey):
        raise GoError("error creating certificate: x509: certificate private key does not implement crypto.Signer")
    if isinstance(key, dsa.DSAPrivateKey):
        raise GoError("error creating certificate: x509: unsupported public key type: *dsa.PublicKey")
    now = ctx.now()
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)]) if cn else x509.Name([])
    builder = (x509.CertificateBuilder().subject_name(subject)
               .issuer_name(issuer.subject if issuer is not None else subject)
               .public_key(key.public_key()).serial_number(secrets.randbits(128) or 1)
               .not_valid_before(now).not_valid_after(now + _dt.timedelta(days=days))
               .add_extension(x509.KeyUsage(True, False, True, False, False, is_ca, False, False, False), True)
               .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH,
                                                     ExtendedKeyUsageOID.CLIENT_AUTH]), False)
               .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), True))
    if names or addresses:
        alternatives = [x509.DNSName(n) for n in names] + [x509.IPAddress(a) for a in addresses]
        builder = builder.add_extension(x509.SubjectAlternativeName(alternatives), False)
    if is_ca:
        builder = builder.add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    algorithm = None if isinstance(signer, ed25519.Ed25519PrivateKey) else hashes.SHA256()
    try:
        certificate = builder.sign(signer, algorithm)
    except (ValueError, TypeError) as error:
        raise GoError(f"error creating certificate: {error}") from None
    return Certificate(certificate.public_bytes(serialization.Encoding.PEM).decode("ascii"), _pem_key(key))


def _rsa_key() -> Any:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _issuer(ca: Certificate) -> tuple[Any, Any]:
    block = _pem_block(ca.cert)
    if block is None:
        raise GoError("unable to decode certificate")
    try:
        issuer = x509.load_der_x509_certificate(block[1])
    except ValueError as error:
        raise GoError(f"error parsing certificate: decodedSignerCert.Bytes: {error}") from None
    try:
        return issuer, _parse_key(ca.key)
    except GoError as error:
        raise GoError(f"error parsing private key: {error}") from None


def _with_key(text: str) -> Any:
    try:
        return _parse_key(text)
    except GoError as error:
        raise GoError(f"parsing private key: {error}") from None


@go_func("genCA(string, int) sprig.certificate,error", needs_context=True)
def gen_ca(ctx: FunctionContext, cn: str, days: int) -> Certificate:
    _require()
    return _create(ctx, cn, None, None, days, _rsa_key(), is_ca=True)


@go_func("genCAWithKey(string, int, string) sprig.certificate,error", needs_context=True)
def gen_ca_with_key(ctx: FunctionContext, cn: str, days: int, key: str) -> Certificate:
    _require()
    return _create(ctx, cn, None, None, days, _with_key(key), is_ca=True)


@go_func("genSelfSignedCert(string, []interface {}, []interface {}, int) sprig.certificate,error",
         needs_context=True)
def gen_self_signed_cert(ctx: FunctionContext, cn: str, ips: list[Any] | None, dns: list[Any] | None,
                         days: int) -> Certificate:
    _require()
    return _create(ctx, cn, ips, dns, days, _rsa_key())


@go_func("genSelfSignedCertWithKey(string, []interface {}, []interface {}, int, string) sprig.certificate,error",
         needs_context=True)
def gen_self_signed_cert_with_key(ctx: FunctionContext, cn: str, ips: list[Any] | None, dns: list[Any] | None,
                                  days: int, key: str) -> Certificate:
    _require()
    return _create(ctx, cn, ips, dns, days, _with_key(key))


@go_func("genSignedCert(string, []interface {}, []interface {}, int, sprig.certificate) sprig.certificate,error",
         needs_context=True)
def gen_signed_cert(ctx: FunctionContext, cn: str, ips: list[Any] | None, dns: list[Any] | None, days: int,
                    ca: Certificate) -> Certificate:
    _require()
    key = _rsa_key()
    issuer, issuer_key = _issuer(ca)
    return _create(ctx, cn, ips, dns, days, key, issuer, issuer_key)


@go_func("genSignedCertWithKey(string, []interface {}, []interface {}, int, sprig.certificate, string) "
         "sprig.certificate,error", needs_context=True)
def gen_signed_cert_with_key(ctx: FunctionContext, cn: str, ips: list[Any] | None, dns: list[Any] | None,
                             days: int, ca: Certificate, key: str) -> Certificate:
    _require()
    signee = _with_key(key)
    issuer, issuer_key = _issuer(ca)
    return _create(ctx, cn, ips, dns, days, signee, issuer, issuer_key)


@go_func("buildCustomCert(string, string) sprig.certificate,error")
def build_custom_cert(b64cert: str, b64key: str) -> Certificate:
    _require()
    try:
        cert = go_b64decode(go_bytes(b64cert))
    except CorruptInput:
        raise GoError("unable to decode base64 certificate") from None
    try:
        key = go_b64decode(go_bytes(b64key))
    except CorruptInput:
        raise GoError("unable to decode base64 private key") from None
    cert_block = _pem_block(go_string(cert))
    if cert_block is None:
        raise GoError("unable to decode certificate")
    try:
        x509.load_der_x509_certificate(cert_block[1])
    except ValueError as error:
        raise GoError(f"error parsing certificate: decodedCert.Bytes: {error}") from None
    key_block = _pem_block(go_string(key))
    if key_block is None:
        raise GoError("unable to decode key")
    try:
        parsed = serialization.load_der_private_key(key_block[1], password=None)
    except (ValueError, TypeError) as error:
        raise GoError(f"error parsing prive key: decodedKey.Bytes: {error}") from None
    if not isinstance(parsed, rsa.RSAPrivateKey) or key_block[0] == "PRIVATE KEY":
        raise GoError("error parsing prive key: decodedKey.Bytes: x509: failed to parse private key (use "
                      "ParsePKCS8PrivateKey instead for this key format)")
    return Certificate(go_string(cert), go_string(key))
