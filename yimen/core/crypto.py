"""National cryptography (商用密码) in one place: SM3 digests, HMAC-SM3 and SM4-GCM.

Keys come from settings (environment or generated local files, never the repository)."""

import base64
import hashlib
import os
from functools import cache

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

_NONCE = 12
_TAG = 16


def sm3(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def hmac_sm3(key: bytes, data: bytes) -> str:
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize().hex()


@cache
def _derived_key(secret: str, purpose: str, length: int) -> bytes:
    # One configured secret yields independent keys per purpose (encryption vs. blind index).
    return bytes.fromhex(hmac_sm3(secret.encode(), purpose.encode()))[:length]


def audit_key() -> bytes:
    return _derived_key(settings.YIMEN_AUDIT_KEY, "audit-chain", 32)


def backup_manifest_key() -> bytes:
    return _derived_key(settings.YIMEN_AUDIT_KEY, "backup-manifest", 32)


def sm4_encrypt(plaintext: str, *, secret: str | None = None) -> str:
    """SM4-GCM under the field key (`secret` only for re-keying: the key being rotated to/from)."""
    key = _derived_key(secret or settings.YIMEN_FIELD_KEY, "sm4-field", 16)
    nonce = os.urandom(_NONCE)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    body = encryptor.update(plaintext.encode()) + encryptor.finalize()
    return base64.b64encode(nonce + body + encryptor.tag).decode()


def sm4_decrypt(token: str, *, secret: str | None = None) -> str:
    """Raises cryptography's InvalidTag when the token was sealed under another key."""
    key = _derived_key(secret or settings.YIMEN_FIELD_KEY, "sm4-field", 16)
    raw = base64.b64decode(token)
    nonce, body, tag = raw[:_NONCE], raw[_NONCE:-_TAG], raw[-_TAG:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    return (decryptor.update(body) + decryptor.finalize()).decode()


# A sealed file: magic and format version, then nonce, ciphertext and tag as in sm4_encrypt.
FILE_MAGIC = b"YMS4\x01"


def sm4_seal_bytes(data: bytes, *, secret: str | None = None) -> bytes:
    """SM4-GCM over a file's bytes (attachments, photos), under its own key derived from the field
    key, so a file never shares a key stream with the field ciphertexts."""
    key = _derived_key(secret or settings.YIMEN_FIELD_KEY, "sm4-file", 16)
    nonce = os.urandom(_NONCE)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    body = encryptor.update(data) + encryptor.finalize()
    return FILE_MAGIC + nonce + body + encryptor.tag


def sm4_open_bytes(blob: bytes, *, secret: str | None = None) -> bytes:
    """The bytes sm4_seal_bytes sealed. Raises InvalidTag under another key or when a byte of the
    file changed, and ValueError for a file that was never sealed."""
    if not blob.startswith(FILE_MAGIC):
        raise ValueError("not a sealed file")
    key = _derived_key(secret or settings.YIMEN_FIELD_KEY, "sm4-file", 16)
    raw = blob[len(FILE_MAGIC) :]
    nonce, body, tag = raw[:_NONCE], raw[_NONCE:-_TAG], raw[-_TAG:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    return decryptor.update(body) + decryptor.finalize()


def blind_index(value: str, *, secret: str | None = None) -> str:
    """Keyed digest for exact-match search over an encrypted value."""
    return hmac_sm3(_derived_key(secret or settings.YIMEN_FIELD_KEY, "blind-index", 32), value.encode())


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
