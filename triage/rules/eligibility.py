"""Who may use the statutory procedure.

Section 26(3) Children Act 1989: the council must consider representations from (a) a
child it looks after or who is in need, (b) a parent, (c) anyone else with parental
responsibility, (d) a local authority foster parent, and (e) anyone the council judges to
have sufficient interest in the child's welfare; s26(3C) and Reg 5 add special
guardianship support; Reg 10 lets a representation be made on a child's behalf (the
advocate's case, with the child's consent).
"""

from __future__ import annotations

import re

from triage.rules.findings import Complaint, Finding
from triage.rules.normalise import normalise

ELIGIBLE: dict[str, tuple[str, str]] = {
    "child": ("the child or young person", "s26(3)(a) Children Act 1989"),
    "parent": ("a parent", "s26(3)(b) Children Act 1989"),
    "foster_carer": ("a local authority foster carer", "s26(3)(d) Children Act 1989"),
    "special_guardian": (
        "a special guardian",
        "s26(3C) Children Act 1989; Reg 5 Representations Procedure Regulations 2006",
    ),
    "advocate": (
        "an advocate on the child's behalf (the child's consent is recorded)",
        "s26A Children Act 1989; Reg 10 Representations Procedure Regulations 2006",
    ),
}
DISCRETION = "s26(3)(e) Children Act 1989 (sufficient interest, at the council's discretion)"
_PARENTAL_RESPONSIBILITY = re.compile(
    r"\b(?:i have (?:parental responsibility|pr)|parental responsibility for|"
    r"special guardianship order|i'm (?:her|his|their) special guardian|"
    r"child arrangements order for)\b"
)


def check_eligibility(complaint: Complaint) -> Finding:
    """Say whether the complainant may use the statutory procedure, or who must decide."""
    kind = complaint.complainant
    if kind in ELIGIBLE:
        who, citation = ELIGIBLE[kind]
        return Finding(
            rule="eligible",
            reason=f"Made by {who}: eligible to use the statutory procedure ({citation}).",
            citation=citation,
        )
    if _PARENTAL_RESPONSIBILITY.search(normalise(complaint.text)):
        return Finding(
            rule="eligible",
            reason=(
                "The complainant says they have parental responsibility: eligible to use the "
                "statutory procedure (s26(3)(c) Children Act 1989)."
            ),
            citation="s26(3)(c) Children Act 1989",
        )
    if kind is None:
        return Finding(
            rule="complainant_unknown",
            reason=(
                "Who is complaining was not given: check eligibility (s26(3) Children Act "
                "1989) before the statutory procedure is used."
            ),
            citation=DISCRETION,
        )
    label = {"relative": "a relative", "professional": "a professional"}.get(kind, "someone")
    return Finding(
        rule="sufficient_interest",
        reason=(
            f"Made by {label} without parental responsibility: the council decides whether "
            "they have sufficient interest in the child's welfare for the statutory procedure "
            "(s26(3)(e) Children Act 1989)."
        ),
        citation=DISCRETION,
        review=kind == "other",
    )
