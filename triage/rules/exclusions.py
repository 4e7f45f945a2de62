"""Matters neither complaints procedure can consider.

The Children Act 1989 Representations Procedure (England) Regulations 2006 and "Getting
the Best from Complaints" (2006) ch. 2 leave out matters for a court, for another body,
or for another statutory route. The complainant is signposted, never simply turned away.
A decisive finding needs wording that the complaint is *about* the excluded matter; a
passing mention ("I said bye to my mates at school") is left to the model.
"""

from __future__ import annotations

import re

from triage.rules.findings import Complaint, Finding
from triage.rules.normalise import normalise

# Decisive only where the court's own decision or live proceedings are the subject. Orders
# named as background ("since the adoption order we have had no support") stay with the
# model: support after an order is a council function.
_COURT_DECISIVE = re.compile(
    r"\b(?:judge (?:said|decided|ordered|made|gave|refused|agreed|has|is|was|got)|"
    r"magistrates?|(?:the )?court (?:ordered|decided|made (?:a|an|the) (?:order|decision)|"
    r"refused|agreed with|approved|case|hearing|proceedings|appeal)|"
    r"(?:family|crown|high|county) court|care proceedings|court'?s decision|"
    r"final hearing|appeal the (?:order|judgment|decision of the court)|cafcass|"
    r"children's guardian|guardian ad litem|my barrister|(?:the )?order the judge)"
)
# "There is no court case", "it isn't a court matter": a court named only to deny it.
_NEGATED = re.compile(
    r"\b(?:no(?: \w+)?|not (?:a|an|any|in)|never (?:been )?(?:in|to)|"
    r"(?:isn't|wasn't) (?:a|an|any|in)|(?:aren't|weren't) (?:any|in)|without (?:a|an|any)) $"
)
# The complaints team turning a complaint away on the ground of court proceedings is a
# complaint about complaint handling; once the proceedings are over the Reg 8(1)(b) bar
# no longer plainly applies, so the finding asks the officer instead of deciding.
_REFUSED_FOR_COURT = re.compile(
    r"\b(?:refused|rejected|declined|won't|wouldn't|will not|would not) (?:to )?(?:consider|"
    r"investigate|look at|take|accept|deal with)? ?(?:my|our|the|his|her)? ?complaint\b"
    r"|\b(?:can't|cannot|can not|won't) consider (?:it|my complaint|the complaint)\b"
    r"|\bcomplaint (?:was|has been) (?:refused|rejected|closed|turned down)\b"
)
_PROCEEDINGS_OVER = re.compile(
    r"\b(?:proceedings|court case|case|hearing|court|it) (?:finished|ended|concluded|closed|"
    r"(?:was|were|is|are|has|have|had) (?:been )?(?:finished|ended|concluded|closed|over))\b"
)
# A commitment the council made at or to the court, or under the order, and has not kept
# ("at the final hearing the council agreed to pay for..."): the complaint is about the
# council's service after the order, which the procedure covers, unless the order itself
# is appealed.
_COUNCIL_PROMISE = re.compile(
    r"\b(?:told the court|at the (?:final |last )?hearing|when the (?:\w+ )?order was made)"
    r"[^.]{0,60}?\b(?:would|could|agreed|promised|said (?:she|he|they|it)(?:'d| would))\b|"
    r"\b(?:judge|court|order|care plan|plan) (?:said|says|ordered)[^.]{0,80}?[.,;]? "
    r"(?:and )?(?:the council|they|children's services|the local authority|the social worker) "
    r"(?:still )?(?:hasn't|has not|haven't|won't|only)\b|"
    r"\b(?:council's|their|the social worker's) (?:report|assessment|statement) (?:isn't|is not|"
    r"wasn't|hasn't been|has not been) (?:done|ready|finished|filed|completed)\b|"
    r"\b(?:the council|they|children's services|the local authority) (?:still )?(?:won't|"
    r"hasn't|haven't|never) [^.]{0,40}\b(?:said|promised|agreed)\b"
)
# The writer says the court's or the agency's decision is not what they complain about ("I
# accept the order", "not asking you to change it", "this is about the social worker, not
# the court"): the rest is the council's service, so the officer checks instead of the rule
# deciding.
_DISCLAIMED = re.compile(
    r"\b(?:not (?:about |complaining about |challenging |appealing )?the (?:court(?: case)?|"
    r"judge|order|court's decision|decision itself|sar|subject access request)\b|"
    r"not asking (?:you )?to (?:change|overturn|reverse|look at) "
    r"(?:it|that|the (?:decision|order))|"
    r"(?:i|we) (?:have )?accept(?:ed)? (?:it|that|the (?:order|decision|court's decision))\b|"
    r"(?:i|we) (?:know|understand) (?:i|we) (?:can't|cannot) change|"
    r"(?:court case|proceedings|court) (?:is|are) separate|separate from the court|"
    r"(?:don't|do not) want to complain about the (?:sar|court|decision|order)|"
    r"(?:would )?also (?:like|want) to complain)"
)
_APPEALS_ORDER = re.compile(
    r"\bappeal(?:ing)? (?:against )?the (?:order|judgment|judge's decision|decision of the court)"
)
# Decisive only where the school or the education service is the subject; education
# mentioned as background ("excluded from school", "his EHCP") stays with the model.
_EDUCATION_DECISIVE = re.compile(
    r"\b(?:the school(?:'s)? (?:excluded|exclude[sd]?|suspended|won't|refused|refuses|isn't|"
    r"wasn't|gave|put|keeps|didn't|did not|does not|doesn't|just|complaints panel)|"
    r"(?:head ?teacher|teachers?|senco)(?: at (?:my|the|his|her) (?:school|skool))? (?:is|was|"
    r"keeps|shouted|refused|won't|didn't|gave|put|excluded|pick|picks|read|called)|"
    r"(?:my|his|her) teachers? (?:told|laughed)|the final ehcp|"
    r"school admissions?|priority admission|admissions? appeal|school place|school exclusion|"
    r"(?:skool|school) (?:kicked|excluded)|excluded (?:me|him|her) (?:for \d+ days|for a week)|"
    r"ehc needs assessment|send tribunal|sen tribunal|sen team|special educational needs "
    r"(?:team|department)|educational psychologist|pupil premium|elective home education|"
    r"reduced timetable|alternative provision|home to school transport|academy trust|"
    r"the academy|exam board|school governors|(?:his|her|their|my) school won't)"
)
_OTHER_BODY = (
    r"(?:police|pcso|nhs|gp|hospital|camhs|doctor|nurse|dentist|midwife|health visitor|"
    r"paediatrician|psychiatrist|ambulance|nursery|pre-school|preschool|university|college|"
    r"job centre|jobcentre|home office|student finance(?: people)?|child maintenance service|"
    r"housing association|refuge|bus company|wheelchair service|eating disorder service|"
    r"speech and language(?: therapy)? service|sexual health clinic|continuing care team|"
    r"independent fostering agency|regional adoption agency|adoption agency|"
    r"drug and alcohol service|\w+ service, which is run by|school|academy|hmrc|"
    r"universal credit|benefits office|pcso|mental health trust|nhs trust|"
    r"health visiting service|designated safeguarding lead|children's centre nursery|"
    r"ofsted|dbs|disclosure and barring service|uni|university accommodation office|"
    r"community nursing team|school nurse|landlord|housing officer at the housing association)"
)
# "My son's academy has stopped...": the other body as the subject of the first clause,
# named through the child. Kept to verbs of acting, so "my daughter's school made a
# referral" (often the start of a complaint about the council) stays with the model.
_CHILDS = (
    r"(?:(?:my|our|his|her) (?:son|daughter|child|grandson|granddaughter|"
    r"foster (?:son|daughter|child))'s )"
)
_OTHER_BODY_DECISIVE = re.compile(
    rf"\b(?:complain\w* about (?:the |my )?{_OTHER_BODY}|"
    rf"(?:^|[.!?] )(?:our|his|her|their) {_OTHER_BODY}(?:'s)? (?:\w+ )?(?:refused|refuses|"
    r"won't|wouldn't|didn't|keeps|kept|told|said|says|shared|lost|took|cancelled|sent|"
    r"stopped|withdrew|closed|discharged)\b|"
    rf"(?:^|[.!?] )(?:the |my )?{_OTHER_BODY}(?:'s)? (?:\w+ )?(?:officer |team |staff )?"
    r"(?:refused|refuses|won't|wouldn't|didn't|did|has|have|had|is|are|was|were|keeps|kept|"
    r"keep|told|said|says|shared|lost|took|taken|cancelled|misdiagnosed|discharged|closed|"
    r"treated|sanctioning|arrested|never|changed|wrote|made|put|stopped|sent|opened)\b"
    r"(?! need(?:ed)? to)|"
    r"the police (?:officer|were|was|have|did|didn't|refused|won't|arrested|took|never)\b|"
    r"police officers? (?:were|was|is|did|didn't|refused|arrested)\b|"
    r"camhs (?:waiting list|refused|won't|have|has|didn't|discharged|closed|said)\b|"
    r"waiting list for (?:camhs|an? (?:autism|adhd) (?:assessment|diagnosis))|"
    r"nhs (?:trust|waiting|refused|continuing)|benefits? agency|dwp|"
    r"probation (?:officer|service)|ombudsman(?:'s)? (?:final )?decision|"
    r"ombudsman made a decision|the ombudsman (?:said|decided|found|refused)|"
    r"i work for an independent|with an independent fostering agency|not the council|"
    r"(?:independent fostering agency|ifa) (?:i|we) (?:foster|work) (?:for|with)|"
    r"(?:i|we) (?:foster|work) (?:for|with) an? (?:independent fostering agency|ifa)|"
    rf"(?:^|[.!?] )(?:a |{_CHILDS}){_OTHER_BODY}(?:'s)? (?:\w+ )?(?:refused|refuses|won't|"
    r"wouldn't|didn't|has|have|had|keeps|kept|told|said|says|shared|lost|took|cancelled|"
    r"discharged|closed|stopped|sent|failed|withdrew|holds)\b|"
    rf"(?:^|[.!?] )(?:the )?{_OTHER_BODY}(?:'s)? (?:failed|withdrew|holds|notification))"
)
_EMPLOYMENT_DECISIVE = re.compile(
    r"\b(?:(?:i'm|i am|i have worked as|i've worked as) an? (?:\w+ )?(?:social worker|"
    r"residential worker|family support worker|support worker|team manager)"
    r"(?: employed by| in| at| for) (?:the |one of the )?council|my (?:team manager|line manager)"
    r" (?:has|who|is)|my (?:overtime|grievance|job evaluation)|"
    r"grievance (?:about|with|against)|caseloads in my team)"
)
_DATA_DECISIVE = re.compile(
    r"\b(?:subject access(?: request)?|\bsar\b|information commissioner|\bico\b|"
    r"right to erasure|data subject|under (?:data protection|gdpr|the data protection act)|"
    r"(?:want|wanted|asked|asking|ask|request|requested|requesting|apply|applied|get|getting|"
    r"need|have|send me|sent me)(?: for| to (?:have|get|see|read))? (?:a )?cop(?:y|ies) of "
    r"(?:my|our|all (?:my|our|the)|the|his|her) (?:\w+ )?(?:file|files|records?|data|"
    r"information)|(?:want|wanted|asked|asking|ask|request|requested|right) (?:to )?(?:see|read|"
    r"access|have) (?:my|our|his|her|all (?:my|our|the)) (?:\w+ )?(?:files?|records)|"
    r"asked for my (?:files|records)|"
    r"request(?:ed|ing)? (?:my|our|all) (?:\w+ )?(?:records|files?|data))"
)
# Words that make a request for records a formal data protection request whoever makes it.
_DATA_FORMAL = re.compile(
    r"\b(?:subject access|sar|information commissioner|ico|gdpr|data protection|"
    r"right to erasure|data subject|cop(?:y|ies) of)\b"
)
# A child who is in care now (not "from when I was in care"): wanting to see their file is
# usually about understanding their own history, which is part of their care.
_STILL_IN_CARE = re.compile(
    r"\b(?:i(?:'m| am) (?:still )?(?:in care|looked after|in foster care|in a children's home)|"
    r"i(?:'ve| have) been in care since|i live (?:in a children's home|with my foster carers?)|"
    r"my iro)\b"
)

# The conference's own decision (plan, category, de-registration) goes to the safeguarding
# partnership's appeal procedure; a complaint that also raises the council's part (a report,
# the minutes, a social worker) stays statutory and the officer signposts the appeal part.
_CONFERENCE_DECISION = re.compile(
    r"\b(?:appeal(?: against)?(?: the)?(?: \w+)?(?: child protection)? conference|"
    r"(?:challenge|overturn|review) the (?:outcome|decision) of the (?:\w+ ){0,2}conference|"
    r"(?:the )?conference(?:'s)? (?:decision|decided|put|putting|kept|changed|refus\w*|"
    r"got it wrong|was wrong)|"
    r"(?:decided|decision) to (?:keep|put|make) (?:\w+ ){0,3}(?:on|subject to) (?:a|the) "
    r"(?:child protection )?plan|"
    r"(?:put|kept) on (?:a|the) (?:child protection )?plan at the (?:\w+ )?conference)"
)
_COUNCILS_PART = re.compile(r"\b(?:report|minutes|social worker|sw)\b")
# The council's own children's social care named alongside another body: the council
# answers for its part (Getting the Best from Complaints para 2.5 and ch. 3 on complaints
# that involve more than one body), so the other body's finding asks the officer instead
# of deciding. Read on texts written after the rules, a school, the police or a GP named
# next to a social worker or an assessment was background as often as it was the subject.
_COUNCILS_SERVICE = re.compile(
    r"\b(?:social worker|sw|personal adviser|iro|independent reviewing officer|front door|mash|"
    r"duty team|early help|family hub|family support worker|(?:post-)?adoption support|"
    r"adoption service|fostering (?:service|team)|kinship team|leaving care|"
    r"disabled children's team|children's services|social services|social care|assessment|"
    r"(?:child protection|child in need|care|pathway|support) plan|core group|"
    r"child protection conference|review conference)\b"
)
# Decisions on approving adopters or foster carers have their own review route.
_APPROVAL_REVIEW = re.compile(
    r"\b(?:agency decision maker|independent review mechanism|irm|qualifying determination|"
    r"(?:not|aren't|isn't|wasn't|weren't) suitable to (?:adopt|foster)|"
    r"(?:end|ending|terminate|terminating|not (?:to )?renew|changed) (?:our|my) approval)\b"
)

COURT = "Reg 8(1)(b) Children Act 1989 Representations Procedure (England) Regulations 2006"
CONFERENCE = (
    "Working Together to Safeguard Children: a child protection conference's decision is "
    "challenged through the safeguarding partnership's conference appeal procedure"
)
APPROVAL = (
    "Reg 27 Adoption Agencies Regulations 2005 and reg 28 Fostering Services (England) "
    "Regulations 2011: an approval decision goes to the Independent Review Mechanism"
)
EDUCATION = (
    "Getting the Best from Complaints (2006) para 2.5: education matters go to the school, "
    "the admissions appeal panel or the SEND Tribunal"
)
OTHER_BODY = (
    "Getting the Best from Complaints (2006) para 2.5: complaints about another body "
    "(NHS, police, academies) go to that body's own procedure"
)
EMPLOYMENT = "Getting the Best from Complaints (2006) para 2.5: staff grievances are for HR"
DATA = (
    "UK GDPR Art. 15 and Data Protection Act 2018: subject access requests go to the data "
    "protection officer, then the Information Commissioner"
)


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    return match.group(0) if match else None


def _court_evidence(text: str) -> tuple[str | None, str]:
    """The first court wording that is not denied, and what it means for the route.

    "decisive" settles it. "over": the complaints team turned the complaint away because
    of court proceedings that are over. "promise": the council's unkept commitment made at
    or under the order. In both of those the officer decides.
    """
    for match in _COURT_DECISIVE.finditer(text):
        if _NEGATED.search(text[max(0, match.start() - 40) : match.start()]):
            continue
        if _REFUSED_FOR_COURT.search(text) and _PROCEEDINGS_OVER.search(text):
            return match.group(0), "over"
        if _COUNCIL_PROMISE.search(text) and not _APPEALS_ORDER.search(text):
            return match.group(0), "promise"
        if _DISCLAIMED.search(text) and not _APPEALS_ORDER.search(text):
            return match.group(0), "disclaimed"
        return match.group(0), "decisive"
    return None, ""


def _outside(
    rule: str, reason: str, citation: str, evidence: str, *, review: bool = False
) -> Finding:
    """A finding that points outside the procedure: decisive (it overrides the model), or,
    with `review`, one that asks an officer to check."""
    return Finding(
        rule=rule,
        reason=reason,
        citation=citation,
        route="outside_procedure",
        decisive=not review,
        review=review,
        evidence=evidence,
    )


def check_exclusions(complaint: Complaint) -> tuple[Finding, ...]:
    """Findings for court, education, other-organisation and data protection matters."""
    text = normalise(complaint.text)
    found: list[Finding] = []
    disclaimed = (
        " The writer says that decision is not what they complain about: check what is."
        if _DISCLAIMED.search(text)
        else ""
    )
    evidence, court = _court_evidence(text)
    councils_part = bool(_COUNCILS_SERVICE.search(text))
    also = (
        " It also names the council's own children's social care, which answers for its "
        "part: check which the complaint is about."
        if councils_part
        else ""
    )
    if evidence and court == "decisive":
        found.append(
            _outside(
                "court_proceedings",
                (
                    f'Mentions court proceedings ("{evidence}"): matters decided in court are '
                    "outside the procedure (Reg 8(1)(b)); point the person to the court, their "
                    "solicitor or the appeal route." + also
                ),
                COURT,
                evidence,
                review=councils_part,
            )
        )
    elif evidence and court == "promise":
        found.append(
            _outside(
                "court_promise_not_kept",
                (
                    f'Mentions court proceedings ("{evidence}") as where the council made a '
                    "commitment it has not kept: support after an order is a council function "
                    "the procedure covers (Reg 8(1)(b) bars only what the court decides), so "
                    "check that nothing complained of is still before the court."
                ),
                COURT,
                evidence,
                review=True,
            )
        )
    elif evidence and court == "disclaimed":
        found.append(
            _outside(
                "court_not_complained_of",
                (
                    f'Mentions court proceedings ("{evidence}") but says the court\'s decision is '
                    "not what is complained of: what the council itself did is for the "
                    "procedure (Reg 8(1)(b) bars only what the court decides), so check that "
                    "nothing complained of is before the court."
                ),
                COURT,
                evidence,
                review=True,
            )
        )
    elif evidence:
        found.append(
            _outside(
                "court_proceedings_over",
                (
                    f'Mentions court proceedings ("{evidence}") that seem to be over, as the '
                    "reason a complaint was turned away: Reg 8(1)(b) bars only matters decided "
                    "or being decided in court, so check whether what is complained of is still "
                    "before the court."
                ),
                COURT,
                evidence,
                review=True,
            )
        )
    # Adults asking for their adoption records are served by the adoption agency's own
    # duties (ss60-65 Adoption and Children Act 2002), so that stays with the model.
    evidence = _first(_DATA_DECISIVE, text)
    if evidence and not _DATA_FORMAL.search(text) and _STILL_IN_CARE.search(text):
        found.append(
            _outside(
                "records_request_in_care",
                (
                    f'A child in care asks to see their file ("{evidence}"): helping a '
                    "looked-after child understand their history is part of their care, which "
                    "the statutory procedure covers (s26(3) Children Act 1989). Only a formal "
                    "request for the records themselves is a subject access request for the "
                    "Information Commissioner route: an officer checks which is meant."
                ),
                DATA,
                evidence,
                review=True,
            )
        )
    elif evidence and "adoption" not in evidence:
        found.append(
            _outside(
                "subject_access",
                (
                    f'Asks for personal records ("{evidence}"): a subject access request is '
                    "handled under data protection law, with the Information Commissioner as "
                    "the route of complaint, not this procedure." + disclaimed
                ),
                DATA,
                evidence,
                review=bool(disclaimed),
            )
        )
    if evidence := _first(_EDUCATION_DECISIVE, text):
        found.append(
            _outside(
                "education",
                (
                    f'About a school or education matter ("{evidence}"): schools, admissions and '
                    "SEN decisions have their own complaint and appeal routes." + also
                ),
                EDUCATION,
                evidence,
                review=councils_part,
            )
        )
    evidence = _first(_CONFERENCE_DECISION, text)
    if evidence and not _COUNCILS_PART.search(text):
        found.append(
            _outside(
                "conference_appeal",
                (
                    f'Challenges a child protection conference\'s decision ("{evidence}"): that '
                    "goes to the safeguarding partnership's conference appeal procedure, not the "
                    "complaints procedures."
                ),
                CONFERENCE,
                evidence,
            )
        )
    if evidence := _first(_APPROVAL_REVIEW, text):
        found.append(
            _outside(
                "approval_review",
                (
                    "Disputes a decision on approval as an adopter or foster carer "
                    f'("{evidence}"): that goes to the agency\'s own review or the Independent '
                    "Review Mechanism." + disclaimed
                ),
                APPROVAL,
                evidence,
                review=bool(disclaimed),
            )
        )
    if evidence := _first(_EMPLOYMENT_DECISIVE, text):
        found.append(
            _outside(
                "employment",
                (
                    f'A member of staff\'s own employment matter ("{evidence}"): grievances go '
                    "through the council's HR procedures, not the complaints procedures."
                ),
                EMPLOYMENT,
                evidence,
            )
        )
    if evidence := _first(_OTHER_BODY_DECISIVE, text):
        found.append(
            _outside(
                "other_organisation",
                (
                    f'About another organisation ("{evidence}"): the NHS, police, academies and '
                    "other bodies answer complaints through their own procedures." + also
                ),
                OTHER_BODY,
                evidence,
                review=councils_part,
            )
        )
    return tuple(found)
