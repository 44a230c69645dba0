"""What an Intervals.icu athlete id and API key look like: checked before any request.

A bad value is a ConfigError (exit 2) that says what the value should look like; the key itself is
never quoted.
"""

from __future__ import annotations

import re

from s11sync.errors import ConfigError

_ATHLETE_RE = re.compile(r"^(i\d+|\d+)$")


def normalize_athlete_id(raw: str) -> str:
    """Accept `i123456`, `I123456`, `123456` (numeric ids exist too) and `0` (the key's own athlete).

    Numeric ids are not prefixed here: the client tries them as given and, on 404, once with an `i`.
    """
    value = raw.strip()
    if value[:1] == "I":
        value = "i" + value[1:]
    if not _ATHLETE_RE.match(value):
        raise ConfigError(
            f"ATHLETE_ID {raw!r} is not an Intervals.icu athlete id. It looks like i123456 "
            "(Intervals.icu → Settings, bottom of the page); 0 means the key's own athlete."
        )
    return value


def check_api_key(key: str) -> str:
    """Reject keys pasted with an auth scheme, spaces, quotes or characters no key has (a frequent
    Bearer/Basic mix-up, or a key copied from a document with typographic quotes)."""
    stripped = key.strip()
    lowered = stripped.lower()
    if lowered.startswith(("bearer ", "basic ")) or " " in stripped:
        raise ConfigError(
            "INTERVALS_KEY must be the bare API key from Intervals.icu → Settings → Developer Settings, "
            "without 'Bearer' or 'Basic' and without spaces. s11sync sends it with HTTP Basic auth "
            "(user API_KEY, password = the key); Bearer tokens are for OAuth apps only."
        )
    for position, char in enumerate(stripped, start=1):
        if not (char.isascii() and char.isprintable()) or char in "\"'`":
            raise ConfigError(
                f"INTERVALS_KEY has a character no Intervals.icu API key has (U+{ord(char):04X} at "
                f"position {position}: a quote, a space or an invisible character, often picked up "
                "when copying). Paste the bare key from Intervals.icu → Settings → Developer "
                "Settings again, without quotes."
            )
    return stripped
