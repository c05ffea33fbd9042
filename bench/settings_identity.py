"""The benchmark's settings with the identity transform in place of AES-256-GCM: what the
pages cost without encryption, measured beside the encrypted ones (the crypto stage).
A system check (vault.E002) refuses VAULT_IDENTITY_CIPHER in any settings without
BENCH_SETTINGS, and the sealed fields ignore it there too."""

from bench.settings import *  # noqa: F403

BENCH_SETTINGS = True
VAULT_IDENTITY_CIPHER = True
