"""The node's signing keys: Ed25519 pairs in `<data_dir>/keys/`, outside everything the node serves.

- `<data_dir>/keys/<id>.pem`: a private key (PKCS#8 PEM), mode 0600, in a 0700 folder.
- `<data_dir>/keys/keys.json`: every public key ever used, as Multikey, with its validity:
  `created`, `expires` (set when the key is rotated out: its older proofs keep verifying) and
  `revoked` (set by `stafett node key revoke`: proofs made after that moment are refused).
The current key is the newest one that is neither expired nor revoked. Each key's IRI is
`{base_url}#key-{id}`, a fragment of the catalogue at `/`, which publishes them all.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from stafett.integrity.multikey import public_multikey
from stafett.node.settings import NodeSettings
from stafett.problems import Problem

KEYS_DIR = "keys"
KEY_LIST = "keys.json"


@dataclass(frozen=True)
class NodeKey:
    id: str
    public_key_multibase: str
    created: str
    expires: str | None = None
    revoked: str | None = None

    def iri(self, settings: NodeSettings) -> str:
        return key_iri(settings, self.id)

    @property
    def usable(self) -> bool:
        return self.expires is None and self.revoked is None


def key_iri(settings: NodeSettings, key_id: str) -> str:
    return f"{settings.base_url}#key-{key_id}"


def now_text() -> str:
    """Microseconds, like the proofs' `created`: a proof made just before a rotation must not
    look later than its key's expiration because the expiration was rounded down."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def keys_dir(settings: NodeSettings) -> Path:
    return Path(settings.data_dir) / KEYS_DIR


def list_keys(settings: NodeSettings) -> list[NodeKey]:
    path = keys_dir(settings) / KEY_LIST
    if not path.exists():
        return []
    return [NodeKey(**entry) for entry in orjson.loads(path.read_bytes())]


def write_list(settings: NodeSettings, keys: list[NodeKey]) -> None:
    path = keys_dir(settings) / KEY_LIST
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(orjson.dumps([asdict(k) for k in keys], option=orjson.OPT_INDENT_2))
    tmp.replace(path)  # readers never see half a list
    _cache.clear()


def current_key(settings: NodeSettings) -> NodeKey | None:
    usable = [k for k in list_keys(settings) if k.usable]
    return max(usable, key=lambda k: k.created) if usable else None


def create_key(settings: NodeSettings) -> NodeKey:
    """A new key becomes current; keys in use until now expire now (`rotate` and `init`)."""
    folder = keys_dir(settings)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    private = Ed25519PrivateKey.generate()
    multikey = public_multikey(private.public_key())
    key_id = hashlib.sha256(multikey.encode()).hexdigest()[:12]
    pem = private.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    descriptor = os.open(folder / f"{key_id}.pem", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(pem)
    moment = now_text()
    keys = [k if not k.usable else NodeKey(**{**asdict(k), "expires": moment}) for k in list_keys(settings)]
    key = NodeKey(key_id, multikey, moment)
    write_list(settings, [*keys, key])
    return key


def revoke_key(settings: NodeSettings, key_id: str, after: str) -> NodeKey:
    """Refuse the key's proofs made after `after` (an xsd:dateTime or a date); keep the key listed."""
    moment = revocation_time(after)
    keys = list_keys(settings)
    if not any(k.id == key_id for k in keys):
        known = ", ".join(k.id for k in keys) or "none"
        raise Problem(
            404, "unknown-key", "No such key", f"the node has no key {key_id!r} (its keys: {known})"
        )
    keys = [NodeKey(**{**asdict(k), "revoked": moment}) if k.id == key_id else k for k in keys]
    write_list(settings, keys)
    return next(k for k in keys if k.id == key_id)


def revocation_time(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise Problem(
            422,
            "bad-date",
            "Not a date",
            f"--after {text!r} is not a date or time; write e.g. 2026-12-01 or 2026-12-01T09:30:00Z",
        ) from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_cache: dict[tuple[str, str], Ed25519PrivateKey] = {}


def signing_key(settings: NodeSettings) -> tuple[Ed25519PrivateKey, NodeKey]:
    """The current private key (made now if the node has none yet, e.g. a node from before 1.2)."""
    key = current_key(settings) or create_key(settings)
    cached = _cache.get((str(settings.data_dir), key.id))
    if cached is None:
        pem = (keys_dir(settings) / f"{key.id}.pem").read_bytes()
        loaded = load_pem_private_key(pem, password=None)
        if not isinstance(loaded, Ed25519PrivateKey):
            raise Problem(
                500, "bad-key", "The signing key is not Ed25519", f"{key.id}.pem holds another key type"
            )
        cached = _cache[(str(settings.data_dir), key.id)] = loaded
    return cached, key


def did_web(settings: NodeSettings) -> str | None:
    """`did:web:<host>` for an https base at a host's root (the only form served), else None."""
    base = settings.base_url
    if not base.startswith("https://"):
        return None
    host_and_path = base[len("https://") :].rstrip("/")
    if "/" in host_and_path:
        return None
    return "did:web:" + host_and_path.replace(":", "%3A")
