"""Ed25519 keys as Multikey values, and signatures as multibase, per W3C Controlled Identifiers.

A Multikey public key is `z` + base58btc(0xed 0x01 + 32 key bytes) (multicodec `ed25519-pub`,
written as an unsigned varint); a secret key uses `ed25519-priv` (0x1300 -> 0x80 0x26). A
proofValue is `z` + base58btc(64 signature bytes). base58btc is the Bitcoin alphabet (`base58`).
"""

from __future__ import annotations

from functools import lru_cache

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519_PUB = b"\xed\x01"  # multicodec 0xed as a varint
ED25519_PRIV = b"\x80\x26"  # multicodec 0x1300 as a varint
BASE58BTC = "z"  # multibase prefix


class MultibaseError(ValueError):
    """A value is not the multibase / multicodec form it claims to be."""


def encode_multibase(data: bytes) -> str:
    return BASE58BTC + base58.b58encode(data).decode("ascii")


def decode_multibase(text: str) -> bytes:
    if not isinstance(text, str) or not text.startswith(BASE58BTC) or len(text) > 200:
        raise MultibaseError("not a base58btc multibase value (it must start with 'z')")
    try:
        return base58.b58decode(text[1:])
    except ValueError as err:
        raise MultibaseError(f"not base58btc: {err}") from None


def public_multikey(key: Ed25519PublicKey) -> str:
    return encode_multibase(ED25519_PUB + key.public_bytes(Encoding.Raw, PublicFormat.Raw))


@lru_cache(maxsize=1024)  # a harvest checks thousands of proofs against a few keys
def public_key_from_multikey(text: str) -> Ed25519PublicKey:
    raw = decode_multibase(text)
    if not raw.startswith(ED25519_PUB) or len(raw) != 34:
        raise MultibaseError("not an Ed25519 Multikey (multicodec ed25519-pub, 32 key bytes)")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def private_key_from_multikey(text: str) -> Ed25519PrivateKey:
    raw = decode_multibase(text)
    if not raw.startswith(ED25519_PRIV) or len(raw) != 34:
        raise MultibaseError("not an Ed25519 secret Multikey (multicodec ed25519-priv, 32 bytes)")
    return Ed25519PrivateKey.from_private_bytes(raw[2:])
