"""Time-based one-time passwords (RFC 6238) and recovery codes: the pure parts.

Codes are 6 digits over 30-second steps; a code of the previous, current or next step is
accepted (clock drift of ±30 s), and only for a step newer than the last one used, so a
code cannot be replayed.
"""

from __future__ import annotations

import hmac
import io
import secrets
from datetime import datetime

import pyotp
import segno

__all__ = [
    "ISSUER",
    "RECOVERY_CODES",
    "matching_step",
    "new_recovery_code",
    "new_secret",
    "normalize_recovery_code",
    "provisioning_uri",
    "qr_svg",
]

ISSUER = "Podium"
RECOVERY_CODES = 10
WINDOW = 1  # steps either side of the current one


def new_secret() -> str:
    """A random 160-bit secret in base32, as authenticator apps expect it."""
    return pyotp.random_base32(length=32)


def provisioning_uri(secret: str, account: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads (from the QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER)


def qr_svg(uri: str) -> bytes:
    """A standalone SVG QR code of ``uri`` (attributes only: no script, no style)."""
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="svg", scale=5, border=4, light="#fff")
    return buffer.getvalue()


def matching_step(secret: str, code: str, at: datetime, after_step: int) -> int | None:
    """The time step ``code`` belongs to, within ±1 step of ``at`` and newer than
    ``after_step``; None if the code matches no such step."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(at)
    for step in range(now - WINDOW, now + WINDOW + 1):
        if step > after_step and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def new_recovery_code() -> str:
    """Ten random hex characters in two groups, e.g. ``3f9a1-c07d2`` (40 bits)."""
    raw = secrets.token_hex(5)
    return f"{raw[:5]}-{raw[5:]}"


def normalize_recovery_code(code: str) -> str:
    """The form in which a recovery code is hashed: lower case, dash, no spaces."""
    plain = "".join(ch for ch in code.lower() if ch.isalnum())
    return f"{plain[:5]}-{plain[5:]}" if len(plain) == 10 else plain
