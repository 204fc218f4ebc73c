"""Envelope encryption, the per-record data keys it wraps, and master key rotation."""

from storage.crypto.envelope import (
    KEY_BYTES,
    DecryptionError,
    KeyFile,
    KeyRing,
    MissingMasterKeyError,
    associated_data,
    load_key_ring,
    new_data_key,
    new_key_id,
    open_bytes,
    parse_key_list,
    pseudonym,
    seal,
    seal_bytes,
    unseal,
)

__all__ = [
    "KEY_BYTES",
    "DecryptionError",
    "KeyFile",
    "KeyRing",
    "MissingMasterKeyError",
    "associated_data",
    "load_key_ring",
    "new_data_key",
    "new_key_id",
    "open_bytes",
    "parse_key_list",
    "pseudonym",
    "seal",
    "seal_bytes",
    "unseal",
]
