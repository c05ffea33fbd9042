"""A SoftHSM2 token for development, tests and CI: made in a directory of its own.

`.ci/run` and the test suite call `ensure_token(directory)`: it writes a softhsm2.conf
whose token directory lies inside `directory`, initialises a token there once (label
`zrm-intake`, a PIN of its own), and returns the environment the app needs to use it
(KEY_PROVIDER=pkcs11 and the PKCS11_* variables, SOFTHSM2_CONF). Production uses its own
HSM and never this module. `python -m vault.softhsm DIR` prints the variables as `export`
lines for a shell.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

MODULE = "/usr/lib/softhsm/libsofthsm2.so"
LABEL = "zrm-intake"
PIN = "zrm-dev-1234"  # noqa: S105 - a throw-away development token
SO_PIN = "zrm-dev-so-1234"  # noqa: S105


def available() -> bool:
    return shutil.which("softhsm2-util") is not None and Path(MODULE).exists()


def ensure_token(directory: Path) -> dict[str, str]:
    directory = directory.resolve()
    tokens = directory / "tokens"
    tokens.mkdir(parents=True, exist_ok=True, mode=0o700)
    conf = directory / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {tokens}\nobjectstore.backend = file\n"
        "log.level = ERROR\nslots.removable = false\n"
    )
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    util = shutil.which("softhsm2-util") or "softhsm2-util"
    listed = subprocess.run(  # noqa: S603 - our own arguments
        [util, "--show-slots"], env=env, capture_output=True, text=True, check=True
    ).stdout
    if f"Label:            {LABEL}" not in listed:
        subprocess.run(  # noqa: S603 - our own arguments
            [
                util,
                "--init-token",
                "--free",
                "--label",
                LABEL,
                "--pin",
                PIN,
                "--so-pin",
                SO_PIN,
            ],
            env=env,
            capture_output=True,
            check=True,
        )
    return {
        "SOFTHSM2_CONF": str(conf),
        "KEY_PROVIDER": "pkcs11",
        "PKCS11_MODULE": MODULE,
        "PKCS11_TOKEN_LABEL": LABEL,
        "PKCS11_PIN": PIN,
    }


if __name__ == "__main__":
    for name, value in ensure_token(Path(sys.argv[1])).items():
        print(f"export {name}={value}")
