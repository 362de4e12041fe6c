"""Hashes that name what went into a file, so a build can tell what changed."""
from __future__ import annotations

import hashlib


def digest(*parts) -> str:
    """A 32-hex-digit hash of the parts (bytes, or anything else as its str), each length-prefixed
    so that ("ab", "c") and ("a", "bc") differ."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8")
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def quick_digest(*parts: str) -> str:
    """A hash of a few strings that cannot contain NUL (keys made of other digests and names)."""
    return hashlib.blake2b("\0".join(parts).encode("utf-8"), digest_size=16).hexdigest()
