"""The complainant's "check my complaint" secret: made at creation, stored hashed.

The secret is derived with HMAC from the app's secret key, the client's Idempotency-Key
and the case reference, so a client that retries a creation (same key) gets the same
secret back, while only its hash is stored. 16 characters from a 30-letter alphabet are
about 78 bits: far beyond guessing, even offline against the hash, so a fast salted
SHA-256 is enough (a slow password hash would cost every creation tens of milliseconds).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app

from intake_api.references import ALPHABET

LENGTH = 16


def derive(idempotency_key: str, reference: str) -> str:
    """The secret for the case `reference` made with `idempotency_key`: `ABCD-EFGH-JKMN-PQRS`."""
    key = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    digest = hmac.new(
        key, f"status-secret:{idempotency_key}:{reference}".encode(), hashlib.sha256
    ).digest()
    number = int.from_bytes(digest, "big")
    chars = []
    for _ in range(LENGTH):
        number, index = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[index])
    return "-".join("".join(chars[i : i + 4]) for i in range(0, LENGTH, 4))


def normalise(secret: str) -> str:
    """Upper-case, without spaces or dashes (people type it as they like)."""
    return "".join(ch for ch in secret.upper() if ch.isalnum())


def hash_secret(secret: str) -> str:
    """`sha256$<salt>$<hex>` of the normalised secret."""
    salt = secrets.token_hex(8)
    digest = hashlib.sha256(f"{salt}:{normalise(secret)}".encode()).hexdigest()
    return f"sha256${salt}${digest}"


def check(secret: str, stored: str | None) -> bool:
    """Whether `secret` matches the stored hash (constant-time)."""
    if not stored:
        return False
    try:
        method, salt, digest = stored.split("$", 2)
    except ValueError:
        return False
    if method != "sha256":
        return False
    candidate = hashlib.sha256(f"{salt}:{normalise(secret)}".encode()).hexdigest()
    return hmac.compare_digest(candidate, digest)
