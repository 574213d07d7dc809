"""Sprig's hashes and crypto: sha1sum, sha256sum, sha512sum, adler32sum, derivePassword, encryptAES,
decryptAES, bcrypt, htpasswd, randBytes (certificates and keys are in `certs`).

* Hashes and derivePassword (the Master Password algorithm: scrypt then HMAC-SHA256) use the standard
  library and are exact.
* encryptAES / decryptAES are AES-256-CBC with the password as key (truncated or zero-padded to 32 bytes),
  PKCS#7 padding and base64(IV‖ciphertext), with Go's panics on malformed input. They need the
  `cryptography` package; without it they return an error saying so.
* bcrypt / htpasswd need the `bcrypt` package (cost 10, `$2a$`); without it they panic saying so (a
  pure-Python bcrypt would take seconds per call).
* Random bytes: encryptAES's IV comes from the OS (Go's crypto/rand); `randBytes` uses the render's
  `ctx.random`, which should be a `random.SystemRandom` outside tests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import importlib
import os
import zlib
from types import ModuleType
from typing import Any

from engine.templating.funcs.encoding import CorruptInput, go_b64decode
from engine.templating.funcs.registry import FunctionContext, GoError, GoPanic, go_func
from engine.templating.gojson import go_bytes, go_string

__all__ = ["optional_module"]


def optional_module(name: str) -> ModuleType | None:
    """An optional dependency, or None when it is not installed."""
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


@go_func("sha1sum(string) string")
def sha1sum(text: str) -> str:
    return hashlib.sha1(go_bytes(text)).hexdigest()


@go_func("sha256sum(string) string")
def sha256sum(text: str) -> str:
    return hashlib.sha256(go_bytes(text)).hexdigest()


@go_func("sha512sum(string) string")
def sha512sum(text: str) -> str:
    return hashlib.sha512(go_bytes(text)).hexdigest()


@go_func("adler32sum(string) string")
def adler32sum(text: str) -> str:
    return str(zlib.adler32(go_bytes(text)))


# ---------------------------------------------------------------------------------------- derivePassword

_SEED = b"com.lyndir.masterpassword"
_CHARACTERS = {
    "V": "AEIOU", "C": "BCDFGHJKLMNPQRSTVWXYZ", "v": "aeiou",
    "c": "bcdfghjklmnpqrstvwxyz", "A": "AEIOUBCDFGHJKLMNPQRSTVWXYZ",
    "a": "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz", "n": "0123456789",
    "o": "@&%?,=[]_:-+*$#!'^~;()/.", "x": "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
}
_TEMPLATES = {
    "maximum": ("anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"),
    "long": ("CvcvnoCvcvCvcv", "CvcvCvcvnoCvcv", "CvcvCvcvCvcvno", "CvccnoCvcvCvcv", "CvccCvcvnoCvcv",
             "CvccCvcvCvcvno", "CvcvnoCvccCvcv", "CvcvCvccnoCvcv", "CvcvCvccCvcvno", "CvcvnoCvcvCvcc",
             "CvcvCvcvnoCvcc", "CvcvCvcvCvccno", "CvccnoCvccCvcv", "CvccCvccnoCvcv", "CvccCvccCvcvno",
             "CvcvnoCvccCvcc", "CvcvCvccnoCvcc", "CvcvCvccCvccno", "CvccnoCvcvCvcc", "CvccCvcvnoCvcc",
             "CvccCvcvCvccno"),
    "medium": ("CvcnoCvc", "CvcCvcno"),
    "short": ("Cvcn",),
    "basic": ("aaanaaan", "aannaaan", "aaannaaa"),
    "pin": ("nnnn",),
}


@go_func("derivePassword(uint32, string, string, string, string) string")
def derive_password(counter: int, kind: str, password: str, user: str, site: str) -> str:
    templates = _TEMPLATES.get(kind)
    if templates is None:
        return f"cannot find password template {kind}"
    user_bytes, site_bytes = go_bytes(user), go_bytes(site)
    salt = _SEED + len(user_bytes).to_bytes(4, "big") + user_bytes
    key = hashlib.scrypt(go_bytes(password), salt=salt, n=32768, r=8, p=2, dklen=64, maxmem=128 * 1024 * 1024)
    message = _SEED + len(site_bytes).to_bytes(4, "big") + site_bytes + (counter & 0xFFFFFFFF).to_bytes(4, "big")
    seed = hmac.new(key, message, hashlib.sha256).digest()
    template = templates[seed[0] % len(templates)]
    return "".join(_CHARACTERS[c][seed[i + 1] % len(_CHARACTERS[c])] for i, c in enumerate(template))


# ---------------------------------------------------------------------------------------------------- AES

def _cipher(key: bytes, iv: bytes) -> Any:
    module = optional_module("cryptography.hazmat.primitives.ciphers")
    if module is None:
        raise GoError("AES is not available in this engine: the Python package `cryptography` is not installed")
    return module.Cipher(module.algorithms.AES(key), module.modes.CBC(iv))


def _key(password: str) -> bytes:
    return go_bytes(password)[:32].ljust(32, b"\0")


@go_func("encryptAES(string, string) string,error")
def encrypt_aes(password: str, plaintext: str) -> str:
    if not plaintext:
        return ""
    content = go_bytes(plaintext)
    padding = 16 - len(content) % 16
    iv = os.urandom(16)
    encryptor = _cipher(_key(password), iv).encryptor()
    data: bytes = encryptor.update(content + bytes([padding]) * padding) + encryptor.finalize()
    return base64.b64encode(iv + data).decode("ascii")


@go_func("decryptAES(string, string) string,error")
def decrypt_aes(password: str, encoded: str) -> str:
    if not encoded:
        return ""
    raw = go_bytes(encoded)
    try:
        crypt = go_b64decode(raw)
    except CorruptInput as error:
        raise GoError(str(error)) from None
    capacity = len(raw) // 4 * 3
    if capacity < 16:
        raise GoPanic(f"runtime error: slice bounds out of range [:16] with capacity {capacity}")
    if len(crypt) < 16:
        raise GoPanic(f"runtime error: slice bounds out of range [16:{len(crypt)}]")
    iv, body = crypt[:16], crypt[16:]
    if len(body) % 16:
        raise GoPanic("crypto/cipher: input not full blocks")
    decryptor = _cipher(_key(password), iv).decryptor()
    plain: bytes = decryptor.update(body) + decryptor.finalize()
    if not plain:
        raise GoPanic("runtime error: index out of range [-1]")
    end = len(plain) - plain[-1]
    if end < 0:
        raise GoPanic(f"runtime error: slice bounds out of range [:{end}]")
    return go_string(plain[:end])


# ------------------------------------------------------------------------------------------------- bcrypt

def _bcrypt(password: str) -> str:
    module = optional_module("bcrypt")
    if module is None:
        raise GoPanic("bcrypt is not available in this engine: the Python package `bcrypt` is not installed")
    secret = go_bytes(password)
    if len(secret) > 72:
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
    hashed: bytes = module.hashpw(secret, module.gensalt(rounds=10, prefix=b"2a"))
    return hashed.decode("ascii")


@go_func("bcrypt(string) string")
def bcrypt(password: str) -> str:
    return _bcrypt(password)


@go_func("htpasswd(string, string) string")
def htpasswd(user: str, password: str) -> str:
    if ":" in user:
        return f"invalid username: {user}"
    return f"{user}:{_bcrypt(password)}"


@go_func("randBytes(int) string,error", needs_context=True)
def rand_bytes(ctx: FunctionContext, count: int) -> str:
    if count < 0:
        raise GoPanic("runtime error: makeslice: len out of range")
    return base64.b64encode(ctx.random.randbytes(count)).decode("ascii")
