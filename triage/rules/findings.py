"""Plain data the rules read and write."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Complaint:
    """What the rules know about a complaint: its words, who made it, and when."""

    text: str
    complainant: str | None = None
    received: date | None = None


@dataclass(frozen=True)
class Finding:
    """One rule's conclusion about a complaint.

    ``route`` is the route the rule points to, or None when the rule only adds a reason.
    A ``decisive`` finding overrides the model; an advisory one only asks for review when
    the model disagrees. ``review`` forces officer review whatever the route.
    """

    rule: str
    reason: str
    citation: str
    route: str | None = None
    decisive: bool = False
    review: bool = False
    evidence: str = ""
    safeguarding: bool = False
    service_area: str | None = None
    causes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleFindings:
    """Every finding for one complaint, in the order the rules ran."""

    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def safeguarding(self) -> bool:
        """True when any rule found a safeguarding disclosure."""
        return any(f.safeguarding for f in self.findings)

    def decisive(self) -> tuple[Finding, ...]:
        """Findings that settle the route on their own."""
        return tuple(f for f in self.findings if f.decisive and f.route)

    def advisory(self) -> tuple[Finding, ...]:
        """Findings that point to a route but leave the decision to the model."""
        return tuple(f for f in self.findings if f.route and not f.decisive)

    def by_rule(self, rule: str) -> Finding | None:
        """The first finding made by ``rule``, if any."""
        return next((f for f in self.findings if f.rule == rule), None)
