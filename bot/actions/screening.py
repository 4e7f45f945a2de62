"""Reading a message for danger, and for matters the complaints procedure cannot handle.

Both use the triage package's pure rules (`triage.rules`), which import no spaCy or
scikit-learn, so the action server shares one lexicon with the intake API's triage.
The assistant never decides a complaint's route: it only tells the person, kindly, where
else they can go, and still lets them send it (an officer decides).
"""

from __future__ import annotations

import re

from triage.rules.exclusions import check_exclusions
from triage.rules.findings import Complaint
from triage.rules.safeguarding import check_safeguarding

#: The intent the NLU model gives to a disclosure of danger.
DANGER_INTENT = "disclose_danger"

#: Where to go instead, by the triage exclusion rule that matched (see domain.yml).
SIGNPOSTS: dict[str, str] = {
    "education": "utter_signpost_school",
    "court_proceedings": "utter_signpost_court",
    "subject_access": "utter_signpost_records",
    "conference_appeal": "utter_signpost_conference",
    "approval_review": "utter_signpost_approval",
    "police": "utter_signpost_police",
    "nhs": "utter_signpost_nhs",
    "other_organisation": "utter_signpost_other",
}

# Whole words only: "nurse" must not match "nursery", and a probation officer is not police.
_POLICE_WORDS = re.compile(r"\b(?:police\w*|pcso|arrest\w*|custody|coppers?)\b")
_NHS_WORDS = re.compile(
    r"\b(?:nhs|hospitals?|doctors?|gp|camhs|nurses?|health visitors?|a&e|ambulance|"
    r"dentists?|midwi(?:fe|ves)|paediatricians?|psychiatrists?|mental health)\b"
)


def discloses_danger(text: str | None, intent: str | None = None) -> bool:
    """True when the message tells us a child may be in danger now.

    Either the NLU model says so, or the triage safeguarding lexicon finds a strong,
    un-negated phrase ("he hits me", "I want to kill myself"). Recall comes first.
    """
    if intent == DANGER_INTENT:
        return True
    if not text or not text.strip():
        return False
    finding = check_safeguarding(Complaint(text=text))
    return finding is not None and finding.safeguarding


def signpost_for(text: str | None) -> str | None:
    """The response that says where to go instead, or None when nothing points elsewhere."""
    if not text or not text.strip():
        return None
    findings = check_exclusions(Complaint(text=text))
    for finding in findings:
        if finding.rule == "other_organisation":
            evidence = finding.evidence.lower()
            if _POLICE_WORDS.search(evidence):
                return SIGNPOSTS["police"]
            if _NHS_WORDS.search(evidence):
                return SIGNPOSTS["nhs"]
        if finding.rule in SIGNPOSTS:
            return SIGNPOSTS[finding.rule]
    return None
