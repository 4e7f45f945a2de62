"""The complainant's "check my complaint" secret: made at creation, stored as a keyed hash.

The secret is derived with HMAC from the app's secret key, the client's Idempotency-Key
and the case reference, so a client that retries a creation (same key) gets the same
secret back. It is 8 characters from the references' 30-letter alphabet, shown as
`ABCD-EFGH`: short enough for a child to keep, about 39 bits. That is too few to resist
an offline search of a plain hash, so the stored hash is an HMAC keyed with the app's
SECRET_KEY (a pepper kept out of the database) over the reference and the secret: a
leaked database alone gives nothing to brute-force, and online guessing is rate-limited
(`services.status`).
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app

from intake_api.references import ALPHABET

LENGTH = 8
METHOD = "hmac-sha256"


def _key() -> bytes:
    return str(current_app.config["SECRET_KEY"]).encode("utf-8")


def derive(idempotency_key: str, reference: str) -> str:
    """The secret for the case `reference` made with `idempotency_key`: `ABCD-EFGH`."""
    digest = hmac.new(
        _key(), f"status-secret:{idempotency_key}:{reference}".encode(), hashlib.sha256
    ).digest()
    number = int.from_bytes(digest, "big")
    chars = []
    for _ in range(LENGTH):
        number, index = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[index])
    half = LENGTH // 2
    return "".join(chars[:half]) + "-" + "".join(chars[half:])


def normalise(secret: str) -> str:
    """Upper-case, without spaces or dashes (people type it as they like)."""
    return "".join(ch for ch in secret.upper() if ch.isalnum())


def _digest(reference: str, secret: str) -> str:
    message = f"status-secret-hash:{reference}:{normalise(secret)}".encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def hash_secret(secret: str, reference: str) -> str:
    """`hmac-sha256$<hex>`: the secret keyed with SECRET_KEY and bound to its case."""
    return f"{METHOD}${_digest(reference, secret)}"


def check(secret: str, stored: str | None, reference: str) -> bool:
    """Whether `secret` matches the stored hash of case `reference` (constant-time).

    Hashes made before the keyed hash (`sha256$<salt>$<hex>`, 16-character secrets) are
    still accepted, so complainants given an older secret can use it.
    """
    if not stored:
        _digest(reference, secret)  # the same work either way: no timing tell
        return False
    method, _, rest = stored.partition("$")
    if method == METHOD:
        return hmac.compare_digest(_digest(reference, secret), rest)
    if method == "sha256":
        salt, _, digest = rest.partition("$")
        candidate = hashlib.sha256(f"{salt}:{normalise(secret)}".encode()).hexdigest()
        return hmac.compare_digest(candidate, digest)
    return False
