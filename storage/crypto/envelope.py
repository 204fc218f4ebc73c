"""Envelope encryption: master keys outside the database wrap one AES-GCM data key per record.

Every ciphertext carries associated data naming its table, row and field, so a ciphertext
copied to another row or field fails to decrypt instead of showing the wrong text.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from storage.instance import file_lock, write_private_file

NONCE_BYTES = 12
KEY_BYTES = 32


class DecryptionError(Exception):
    """The ciphertext does not belong here, or its key is gone (crypto-shredded). Its message
    never quotes what was sealed, so it may be logged."""


class MissingMasterKeyError(DecryptionError):
    """The record is wrapped by a master key this process's ring lacks: the record is sound,
    the process is not (started before a rotation added the key, or on another host's ring).
    Retried once the process holds the key, it reads."""

    def __init__(self, key_id: str) -> None:
        super().__init__(key_id)
        self.key_id = key_id

    def __str__(self) -> str:
        return f"master key {self.key_id!r} is not in the key ring"


def associated_data(table: str, row_id: object, field: str) -> bytes:
    return f"sauti:v1:{table}:{row_id}:{field}".encode()


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def seal(key: bytes, plaintext: str, aad: bytes) -> bytes:
    return _sealed_with(AESGCM(key), plaintext.encode(), aad)


def unseal(key: bytes, blob: bytes, aad: bytes) -> str:
    return open_sealed(AESGCM(key), blob, aad)


def open_sealed(cipher: AESGCM, blob: bytes, aad: bytes) -> str:
    """`unseal` with the cipher of a data key already made, for many texts under one key."""
    try:
        return cipher.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad).decode()
    except InvalidTag as error:
        raise DecryptionError("ciphertext does not match its key or its place") from error


@dataclass(frozen=True)
class KeyRing:
    """Master keys by id; new data keys are wrapped with the active one. A ring read from a
    key file reads it again when it meets a key id it lacks: `flask keys rotate` adds a key
    and re-wraps at once, and the app and the workers already running must read what it
    wrapped without a restart."""

    keys: dict[str, bytes]
    active_id: str
    source: KeyFile | None = field(default=None, compare=False)

    def wrap(self, data_key: bytes, aad: bytes) -> tuple[str, bytes]:
        return self.active_id, _sealed_with(_master_cipher(self.keys[self.active_id]), data_key, aad)

    def unwrap(self, key_id: str, wrapped: bytes, aad: bytes) -> bytes:
        if key_id not in self.keys and self.source is not None:
            self.keys.update(self.source.load_or_create().keys)
        if key_id not in self.keys:
            raise MissingMasterKeyError(key_id)
        try:
            return _master_cipher(self.keys[key_id]).decrypt(
                wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], aad
            )
        except InvalidTag as error:
            raise DecryptionError("wrapped key does not match its master key or its owner") from error


@lru_cache(maxsize=16)
def _master_cipher(key: bytes) -> AESGCM:
    """A master key's cipher, made once: every report wraps a data key with it, and a search
    unwraps thousands."""
    return AESGCM(key)


def seal_bytes(key: bytes, data: bytes, aad: bytes) -> bytes:
    return _sealed_with(AESGCM(key), data, aad)


def _sealed_with(cipher: AESGCM, data: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + cipher.encrypt(nonce, data, aad)


def open_bytes(key: bytes, blob: bytes, aad: bytes) -> bytes:
    try:
        return AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
    except InvalidTag as error:
        raise DecryptionError("wrapped key does not match its master key or its owner") from error


def parse_key_list(value: str) -> KeyRing:
    """Parse `id:base64key,id:base64key`; the first listed key is the active one."""
    keys: dict[str, bytes] = {}
    for item in value.split(","):
        key_id, _, encoded = item.strip().partition(":")
        key = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        if not key_id or len(key) != KEY_BYTES:
            raise ValueError(f"master key {key_id!r} must be 32 bytes, base64-encoded, as id:key")
        keys[key_id] = key
    if not keys:
        raise ValueError("SAUTI_MASTER_KEYS names no key")
    return KeyRing(keys=keys, active_id=next(iter(keys)))


class KeyFile:
    """A key ring kept in a JSON file readable by its owner only."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load_or_create(self) -> KeyRing:
        with file_lock(self.path):
            if not self.path.exists():
                self.save(KeyRing(keys={new_key_id(): new_data_key()}, active_id=""))
        document = json.loads(self.path.read_text())
        keys = {kid: base64.urlsafe_b64decode(b64) for kid, b64 in document["keys"].items()}
        return KeyRing(keys=keys, active_id=document["active"], source=self)

    def save(self, ring: KeyRing) -> None:
        active = ring.active_id or next(iter(ring.keys))
        document = {
            "active": active,
            "keys": {kid: base64.urlsafe_b64encode(k).decode() for kid, k in ring.keys.items()},
        }
        write_private_file(self.path, json.dumps(document, indent=2))


def new_key_id() -> str:
    return "k" + secrets.token_hex(4)


def load_key_ring(master_keys: str | None, key_file: Path) -> KeyRing:
    if master_keys:
        return parse_key_list(master_keys)
    return KeyFile(key_file).load_or_create()


def pseudonym(pepper: bytes, e164_number: str) -> str:
    """A keyed hash of a number: links one reporter's reports without storing who they are."""
    return hmac.new(pepper, e164_number.encode(), hashlib.sha256).hexdigest()
