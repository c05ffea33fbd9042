"""The blind index: search without plaintext.

A searchable value is normalised into tokens (a name into its words, lower case, without
accents; a BSN into its nine digits; a birth date into ISO form), and each token is stored
as HMAC-SHA256 under a search key held by the key provider (inside the PKCS#11 token). The
database holds only these digests: equal tokens give equal digests, nothing else can be
learnt without the key. So search finds whole words and exact values, never parts of words
(README, "Vernietigen op PostgreSQL").

While a search key is being rotated there are two: values are indexed under the newest,
and a search asks under every live key, so nothing goes missing halfway.
"""

from __future__ import annotations

import re
import unicodedata

from vault.cipher import KeyDestroyed
from vault.providers import provider

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def name_words(text: str) -> list[str]:
    """'Jansen-de Vries, Ömer' -> ['jansen', 'de', 'vries', 'omer'] (unique, in order)."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return list(dict.fromkeys(_WORD.findall(plain)))


def digest(kind: str, token: str) -> str:
    """The token's digest under the newest search key, hex."""
    return _under_live_keys(kind, token)[-1]


def digests(kind: str, token: str) -> list[str]:
    """The token's digest under every live search key: what a search asks for."""
    return _under_live_keys(kind, token)


def _under_live_keys(kind: str, token: str) -> list[str]:
    keys = provider()
    data = f"{kind}\x1f{token}".encode()
    try:
        return [keys.hmac(k, data).hex() for k in keys.current_search_keys()]
    except KeyDestroyed:  # a rotation elsewhere destroyed the key this process knew
        keys.refresh()
        return [keys.hmac(k, data).hex() for k in keys.current_search_keys()]
