"""Statutory and corporate rules for triage: pure functions, no I/O, no ML imports.

Each rule cites the clause or guidance it encodes. ``apply_rules`` runs them all.
"""

from __future__ import annotations

from datetime import date

from triage.rules.corporate import check_corporate
from triage.rules.eligibility import check_eligibility
from triage.rules.exclusions import check_exclusions
from triage.rules.findings import Complaint, Finding, RuleFindings
from triage.rules.safeguarding import Disclosure, check_safeguarding, find_disclosures
from triage.rules.time_limit import check_time_limit, months_since

__all__ = [
    "Complaint",
    "Disclosure",
    "Finding",
    "RuleFindings",
    "apply_rules",
    "check_corporate",
    "check_eligibility",
    "check_exclusions",
    "check_safeguarding",
    "check_time_limit",
    "find_disclosures",
    "months_since",
]


def apply_rules(complaint: Complaint, today: date) -> RuleFindings:
    """Run every rule on ``complaint``; ``today`` dates it when ``received`` is unset."""
    findings: list[Finding] = []
    if safeguarding := check_safeguarding(complaint):
        findings.append(safeguarding)
    findings.extend(check_exclusions(complaint))
    if late := check_time_limit(complaint, today):
        findings.append(late)
    findings.extend(check_corporate(complaint))
    findings.append(check_eligibility(complaint))
    return RuleFindings(tuple(findings))
