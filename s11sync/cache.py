"""The cache key of the side files: their `script_hash` (docs/files.md, "history.json").

First 12 hex characters of SHA-256 of "<package version>+<CACHE_EPOCH>". Raise CACHE_EPOCH whenever the
meaning of a cached file (intervals.json, routes.json, history.json) changes; equal value = cache valid.
"""

from __future__ import annotations

import hashlib

from s11sync import __version__

CACHE_EPOCH = 1


def script_hash(version: str = __version__, epoch: int = CACHE_EPOCH) -> str:
    return hashlib.sha256(f"{version}+{epoch}".encode()).hexdigest()[:12]
