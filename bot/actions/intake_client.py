"""A small HTTP client for the intake API's `POST /api/v1/cases`.

Create one per call (`IntakeClient.from_env()`); it holds no connection between calls.
Connection errors, timeouts and 5xx answers are retried with backoff using the same
idempotency key, so the API never makes a second case. 4xx answers are not retried.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests

logger = logging.getLogger(__name__)

DEFAULT_INTAKE_API_URL = "http://localhost:8000"
CASES_PATH = "/api/v1/cases"
STATUS_PATH = "/api/v1/status"

# Status codes worth trying again: the server is down, busy or restarting.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# The request was fine but our credentials are not: an operator can fix that, so whoever
# holds the complaint should keep it and try again later rather than drop it.
AUTH_STATUSES = frozenset({401, 403})


class IntakeError(Exception):
    """Base class for intake API failures."""


class IntakeUnavailable(IntakeError):
    """The API could not be reached or kept failing after all attempts."""


class IntakeRejected(IntakeError):
    """The API answered with a 4xx: sending the same request again will not help."""

    def __init__(self, status: int, code: str | None, message: str) -> None:
        """Keep the status, the API's error code and its message."""
        super().__init__(f"{status} {code or ''}: {message}".strip())
        self.status = status
        self.code = code
        self.message = message
        self.retry_after: str | None = None

    @property
    def is_auth_error(self) -> bool:
        """True for 401/403: a configuration problem that an operator can fix."""
        return self.status in AUTH_STATUSES


@dataclass(frozen=True)
class CaseCreated:
    """The API's answer to a successful `POST /api/v1/cases`."""

    reference: str
    status_code: int
    case: dict[str, Any]

    @property
    def is_new(self) -> bool:
        """True when this call made the case (201), False on an idempotent replay (200)."""
        return self.status_code == 201


@dataclass(frozen=True)
class StatusAnswer:
    """The API's answer to `POST /api/v1/status`: stage and due date, nothing else."""

    reference: str
    stage: str | None
    due_on: str | None
    message: str | None


class IntakeClient:
    """Creates cases in the intake API with an idempotency key."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: float = 10.0,
        max_attempts: int = 3,
        backoff: float = 0.5,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """Set where to send, how to authenticate, and how hard to try."""
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.max_attempts = max(1, max_attempts)
        self.backoff = backoff
        self._session = session
        self._sleep = sleep

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> IntakeClient:
        """Build a client from `INTAKE_API_URL`, `INTAKE_API_TOKEN` and `INTAKE_API_TIMEOUT`."""
        env = os.environ if environ is None else environ
        token = env.get("INTAKE_API_TOKEN", "")
        if not token:
            logger.error("INTAKE_API_TOKEN is not set; the intake API will refuse complaints")
        options: dict[str, Any] = {"timeout": float(env.get("INTAKE_API_TIMEOUT", "10"))}
        options.update(overrides)
        return cls(env.get("INTAKE_API_URL", DEFAULT_INTAKE_API_URL), token, **options)

    def create_case(self, payload: Mapping[str, Any], idempotency_key: str) -> CaseCreated:
        """POST the case, retrying transient failures with the same key.

        Raises:
            IntakeRejected: the API answered 4xx (not retried).
            IntakeUnavailable: every attempt failed (connection error, timeout, other
                transport error, or 5xx).
        """
        url = f"{self.base_url}{CASES_PATH}"
        headers = {
            "Authorization": f"Bearer {self.token}",
            "Idempotency-Key": idempotency_key,
            "Accept": "application/json",
        }
        last_problem = "no attempt made"
        for attempt in range(1, self.max_attempts + 1):
            try:
                response = self._post(url, json=dict(payload), headers=headers)
            except requests.RequestException as exc:
                # Connection errors and timeouts, and also a reply cut off mid-way
                # (ChunkedEncodingError) or a bad URL: none may crash the action and lose
                # the complaint, so all end as "unavailable" (kept in the outbox).
                last_problem = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code in (200, 201):
                    return self._parse_created(response)
                if response.status_code in RETRY_STATUSES:
                    last_problem = f"HTTP {response.status_code}"
                elif 400 <= response.status_code < 500:
                    raise _rejection(response)
                else:
                    last_problem = f"unexpected HTTP {response.status_code}"
            logger.warning(
                "intake API attempt %d/%d failed (%s), key %s",
                attempt,
                self.max_attempts,
                last_problem,
                idempotency_key,
            )
            if attempt < self.max_attempts:
                self._sleep(self.backoff * 2 ** (attempt - 1))
        raise IntakeUnavailable(last_problem)

    def check_status(self, reference: str, secret: str) -> StatusAnswer:
        """Ask for a case's stage and due date with its reference and secret (one attempt).

        Raises:
            IntakeRejected: 404/422 (no case with that reference and secret) or 429 (too
                many tries: `retry_after` says how long to wait).
            IntakeUnavailable: the API could not be reached or failed.
        """
        url = f"{self.base_url}{STATUS_PATH}"
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        try:
            body = {"reference": reference, "secret": secret}
            response = self._post(url, json=body, headers=headers)
        except requests.RequestException as exc:
            raise IntakeUnavailable(f"{type(exc).__name__}: {exc}") from exc
        if response.status_code == 200:
            try:
                body = response.json()
                return StatusAnswer(
                    reference=str(body.get("reference") or reference),
                    stage=body.get("stage"),
                    due_on=body.get("due_on"),
                    message=body.get("message"),
                )
            except (ValueError, AttributeError) as exc:
                raise IntakeUnavailable(f"status answer was not JSON: {exc}") from exc
        if 400 <= response.status_code < 500:
            rejection = _rejection(response)
            rejection.retry_after = response.headers.get("Retry-After")
            raise rejection
        raise IntakeUnavailable(f"HTTP {response.status_code}")

    def _post(self, url: str, **kwargs: Any) -> requests.Response:
        if self._session is not None:
            return self._session.post(url, timeout=self.timeout, **kwargs)
        with requests.Session() as session:
            return session.post(url, timeout=self.timeout, **kwargs)

    @staticmethod
    def _parse_created(response: requests.Response) -> CaseCreated:
        try:
            case = response.json()
            reference = case["reference"]
        except (ValueError, KeyError, TypeError) as exc:
            # The case may exist; the same key later returns it, so treat as "try again".
            raise IntakeUnavailable(f"case created but the answer had no reference: {exc}") from exc
        return CaseCreated(reference=str(reference), status_code=response.status_code, case=case)


def _rejection(response: requests.Response) -> IntakeRejected:
    """Turn a 4xx answer into an IntakeRejected with the API's code and message."""
    code: str | None = None
    message = response.reason or "request rejected"
    try:
        error = response.json().get("error", {})
        code = error.get("code")
        message = error.get("message") or message
    except (ValueError, AttributeError):
        pass
    return IntakeRejected(response.status_code, code, message)
