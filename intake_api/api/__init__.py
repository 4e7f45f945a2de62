"""JSON API under `/api/v1`."""

from intake_api.api.routes import bp

__all__ = ["bp"]
