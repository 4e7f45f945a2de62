"""Complaints about children's services that go to the corporate procedure.

"Getting the Best from Complaints" (2006) para 2.3: the statutory procedure covers the
council's Children Act functions for eligible people; the rest, such as a late payment to
a foster carer, or a member of the public with no interest in a child's welfare, goes
through the council's corporate complaints procedure.
"""

from __future__ import annotations

import re

from triage.rules.findings import Complaint, Finding
from triage.rules.normalise import normalise

_FOSTER_CARER = re.compile(
    r"\b(?:foster carers?|fostering|foster (?:mum|dad|parents?)|we foster)\b"
)
_PAYMENT = re.compile(
    r"\b(?:allowances?|payments?|paid|pay|fees?|mileage|expenses|remittance|invoice|"
    r"reimburse\w*|money|arrears|backdated)\b"
)
_LATE_OR_MISSED = re.compile(
    r"\b(?:late|missed|missing|not (?:been )?paid|never paid|unpaid|hasn't (?:been )?paid|"
    r"haven't (?:been )?paid|hasn't (?:arrived|come)|haven't (?:received|had|got)|"
    r"not (?:received|arrived)|stopped|wrong amount|underpaid|short|overdue|delayed|"
    r"still waiting|weeks? behind|months? behind|owed|owe)\b"
)
_NO_INTEREST = re.compile(
    r"\b(?:i'm (?:a|their|the) neighbour|i am (?:a|their|the) neighbour|as a neighbour|"
    r"next door|(?:my|a) neighbour'?s? (?:kids|children|child|family)|member of the public|"
    r"live (?:on|in) the same (?:street|road|estate)|parked|parking|noise from|"
    r"passer-?by|the children's home (?:next|near|opposite|on my))\b"
)
_RELATIONSHIP = re.compile(
    r"\b(?:my (?:son|daughter|child|children|kids|grand\w+|niece|nephew|foster child)|"
    r"i'm (?:his|her|their) (?:mum|dad|nan|aunt|uncle|grandparent|carer|guardian))\b"
)
# A foster carer's own supervision, reviews, training and support groups: the fostering
# service's dealings with the carer, not a Children Act service to a child.
_CARER_OWN = re.compile(
    r"\b(?:supervising social worker|supervision(?: visits?)?|(?:my|our) (?:annual |foster carer |"
    r"carer )?review|carers' (?:review|support group|training)|support group|training|"
    r"buddy carer)\b"
)
# Anything about a child's care, or a decision on the carer's approval, stays with the model:
# those can be statutory (s26(3)(d) Children Act 1989).
_ABOUT_A_CHILD = re.compile(
    r"\b(?:child's|boy's|girl's|(?:placed|living) with (?:us|me)|in (?:our|my) care|we foster|"
    r"i foster|care plan|contact|placements?|a child|the (?:child|children|boy|girl|baby|"
    r"teenager|young person|kids?)|foster (?:son|daughter|child|children)|allegation|panel|"
    r"decision|decided|approval|deregist\w*)\b"
)
# Money tied to a child's legal order or plan (foster to adopt, adoption, special
# guardianship, a residence or child arrangements order, staying put) is part of a Children
# Act service to the child, not the fostering service's pay (data README, convention 3).
_ORDER_OR_PLAN_MONEY = re.compile(
    r"\b(?:foster(?:ing)?[ -]to[ -]adopt|fostering for adoption|adoption (?:order|allowance)|"
    r"placement order|special guardian\w*|sgo|residence order|child arrangements? order|"
    r"staying put|leaving care)\b"
)
CITATION = "Getting the Best from Complaints (2006) para 2.3 (corporate procedure)"
_WINDOW = 60  # characters: the payment and its lateness must be in the same breath


def _payment_near_lateness(text: str) -> str | None:
    """The words showing a payment was late or missed, when they sit close together."""
    for payment in _PAYMENT.finditer(text):
        start, end = max(0, payment.start() - _WINDOW), payment.end() + _WINDOW
        late = _LATE_OR_MISSED.search(text, start, end)
        if late and not re.search(
            r"[.!?]", text[min(late.start(), payment.start()) : max(late.end(), payment.end())]
        ):
            return text[min(late.start(), payment.start()) : max(late.end(), payment.end())]
    return None


def check_corporate(complaint: Complaint) -> tuple[Finding, ...]:
    """Findings that point to the corporate procedure."""
    text = normalise(complaint.text)
    found: list[Finding] = []
    is_carer = complaint.complainant == "foster_carer" or bool(_FOSTER_CARER.search(text))
    near = None if _ORDER_OR_PLAN_MONEY.search(text) else _payment_near_lateness(text)
    if is_carer and near:
        evidence = near
        found.append(
            Finding(
                rule="foster_carer_payment",
                reason=(
                    f'A late or missed payment to a foster carer ("{evidence}"): this is about '
                    "the council's payments, not a Children Act service to the child, so it goes "
                    "to the corporate procedure."
                ),
                citation=CITATION,
                route="corporate",
                decisive=True,
                evidence=evidence,
                service_area="fostering",
                causes=("finance",),
            )
        )
    own = _CARER_OWN.search(text)
    if (
        complaint.complainant == "foster_carer"
        and own
        and not near
        and not _ABOUT_A_CHILD.search(text)
    ):
        found.append(
            Finding(
                rule="foster_carer_own_treatment",
                reason=(
                    "A foster carer's complaint about their own supervision or support "
                    f'("{own.group(0)}"), not about a child\'s services: the corporate procedure '
                    "(a foster carer may use the statutory one about a child's services, s26(3)(d) "
                    "Children Act 1989)."
                ),
                citation=CITATION,
                route="corporate",
                decisive=True,
                evidence=own.group(0),
                service_area="fostering",
            )
        )
    no_interest = _NO_INTEREST.search(text)
    outsider = complaint.complainant in (None, "other", "professional")
    if no_interest and outsider and not _RELATIONSHIP.search(text):
        found.append(
            Finding(
                rule="no_sufficient_interest",
                reason=(
                    f"Made by someone with no stated interest in a child's welfare "
                    f'("{no_interest.group(0)}"): a neighbour or member of the public goes to '
                    "the corporate procedure unless the council decides they have sufficient "
                    "interest (s26(3)(e) Children Act 1989)."
                ),
                citation=CITATION,
                route="corporate",
                decisive=True,
                evidence=no_interest.group(0),
            )
        )
    return tuple(found)
