"""Pages for council officers: sign in, sign out, the queue of cases."""

from intake_api.officer.routes import bp

__all__ = ["bp"]
