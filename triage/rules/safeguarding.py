"""Safeguarding disclosures: a child at risk of harm now.

Working Together to Safeguard Children (2023) ch. 2 and "Getting the Best from Complaints"
(2006) para 2.6: a complaint that discloses a risk of significant harm is referred at once
to the safeguarding route (s47 Children Act 1989) and is not held back by the complaints
timescales. Recall comes first here: a missed disclosure can cost a child's safety, a
false alarm costs an officer a minute. Negation only suppresses a phrase when a negation
word plainly governs it ("he has never hit me"); "he never stops hitting me" still counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from triage.rules.findings import Complaint, Finding
from triage.rules.normalise import normalise

_PERSON = r"(?:me|him|her|us|them|my (?:\w+ )?(?:brother|sister|son|daughter|child|kids?|baby|mum))"
_HARM_VERBS = (
    r"(?:hit|hits|hitting|beat|beats|beating|beaten|kick|kicks|kicking|kicked|punch|punches|"
    r"punching|punched|slap|slaps|slapping|slapped|strangle[sd]?|strangling|choke[sd]?|choking|"
    r"burn(?:s|t|ed)?|batter(?:s|ed)?|whip(?:s|ped)?|smack(?:s|ed|ing)?|throttl\w+|"
    r"hurt(?:s|ing)?|shove[sd]?|shoving|push(?:es|ed|ing)?|pushed)"
)

_LEXICON: tuple[tuple[str, str], ...] = (
    (
        "physical harm",
        rf"\b{_HARM_VERBS} {_PERSON}\b(?! out| off|'s (?:wheel)?chair|'s pram|'s buggy)",
    ),
    ("physical harm", r"\binjured (?:his|her|my|their) (?:\w+ )?(?:sister|brother|mum|dad|baby)\b"),
    ("physical harm", r"\b(?:i'll|i will|i might|i could) hurt (?:the baby|him|her|them)\b"),
    ("physical harm", r"\bburns? on (?:my|his|her|their)\b"),
    (
        "physical harm",
        r"\b(?<!way )(?<!way my )(?<!like )(?<!like my )(?:daddy|mummy|dad|mum|he|she) did it "
        r"(?:again|to (?:me|her|him|us|them))\b",
    ),
    ("weapon", r"\b(?:knife|knives|machete|gun|weapon)\b"),
    ("sexual harm", r"\b(?:touch(?:es|ed|ing)?|touching) (?:me|him|her|us)\b"),
    (
        "sexual harm",
        r"\b(?<!non-)(?:rape[sd]?|raping|sexual(?:ly)? (?:abus\w+|assault\w*)|molest\w*)\b",
    ),
    (
        "sexual harm",
        r"\b(?:groom(?:ed|ing)|sends? (?:me|her|him) (?:pictures|photos|nudes)|"
        r"wants? nudes|thinks he's (?:her|my) boyfriend|messaging my \d+[- ]year[- ]old|"
        r"(?:older|grown) (?:man|men) (?:is |are |keeps )?(?:messag|meet|pick)\w*|to meet him)\b",
    ),
    ("sexual harm", r"\b(?:makes? me|made me) (?:do|watch) (?:things|stuff|sexual)\b"),
    ("sexual harm", r"\b(?:pictures|photos|videos) of me\b"),
    (
        "exploitation",
        r"\b(?:(?:a )?(?:man|men|guy|boy) (?:she|he|i) met online|"
        r"(?<!the )older (?:guys?|men|man|girls?|boys?)(?!'s)|"
        r"gives? (?:me|her|him) (?:weed|drugs|alcohol|money)|"
        r"given (?:her|him|me) (?:alcohol|drugs)|making (?:me|her|him) sell|"
        r"offering (?:me|her|him) a lift|money (?:she|he) won't explain)\b",
    ),
    (
        "sexual harm",
        r"\b(?:comes?|coming|came) into (?:my|her|his) (?:room|bed)(?: at night)?\b"
        r"(?! without knocking)",
    ),
    ("abuse", r"\b(?:abus(?:es|ing)) (?:me|him|her|us|my)\b"),
    ("abuse", r"\b(?:being abused|been abused)\b"),
    (
        "fear of going home",
        r"\b(?:scared|afraid|frightened|terrified|too scared) (?:to|of) (?:go(?:ing)? )?"
        r"(?:home|back)\b",
    ),
    ("fear of going home", r"\bdon't want to go (?:home|back)\b"),
    # "I don't feel safe telling her anything" is about trust in a worker, not a risk.
    (
        "not safe",
        r"\b(?:not|don't feel|never feel|doesn't feel|isn't|aren't) safe\b"
        r"(?! (?:sharing|telling|talking|speaking|to (?:share|tell|talk|speak)))",
    ),
    (
        "not safe",
        r"\b(?:unsafe(?! (?:caseloads?|workloads?|staffing))|"
        r"(?:she is|he is|she's|he's|they're|they are) terrified)\b",
    ),
    (
        "not safe",
        r"\b(?:scared|afraid|frightened|terrified) of (?:one of the staff|him|her|them|my)\b",
    ),
    (
        "not safe",
        r"\b(?:has|had|have|hasn't|haven't) not come home|hasn't come home|not come home\b",
    ),
    (
        "not safe",
        r"\b(?:scared|afraid|fear(?:ful)?|worried) for (?:his|her|their|my|our) "
        r"(?:safety|life|lives)\b",
    ),
    ("not safe", r"\bcan't keep (?:him|her|them|my \w+) safe\b"),
    (
        "not safe",
        r"\b(?:don't|do not) know where (?:they|he|she|the kids|the children) (?:are|is)\b",
    ),
    (
        "suicide or self-harm",
        r"\b(?:(?:want|going|wanna|gonna|try(?:ing)?|tried|plans?|planning) to (?:kill|hurt) "
        r"(?:myself|himself|herself)|kill (?:myself|himself|herself)|end it all|end (?:my|his|her) "
        r"life|want to die|wanna die|(?:want|wants|wanting) to be alive|suicid\w*|"
        r"(?:want|going) to self[- ]?harm|cutting (?:myself|himself|herself|really|deep)|"
        r"been cutting|"
        r"cut (?:myself|himself|herself)|take (?:my|his|her|their) (?:own )?li(?:fe|ves)|"
        r"(?:pills|tablets) (?:ready|saved)|saved up (?:pills|tablets)|tonight is the night|"
        r"ways to (?:do it|die|kill)|blood all over|wants? to die|jump off|"
        r"don't want to (?:live(?! with| in | at | there| here)|be alive|be here|wake up)|"
        r"no point (?:in )?(?:living|being alive)|"
        r"better off (?:dead|without me)|(?:a |my )?note to say goodbye|suicide note)\b",
    ),
    (
        "running away",
        r"\b(?:going to|gonna|will|planning to|about to) run away\b|"
        r"\brun(?:ning)? away (?:tonight|today|from (?:home|here|my placement))\b",
    ),
    (
        "threats",
        r"\b(?:threat\w* (?:to (?:kill|hurt|stab|beat)|with a)|"
        r"(?:will|gonna|going to) (?:kill|hurt|stab) (?:me|him|her|us)|"
        r"(?:he|she|they)(?:'ll| will) (?:kill|take (?:them|us|me|her|him)(?! out| to| for)|"
        r"send them)|"
        r"threatening (?:her|him|me|us))\b",
    ),
    (
        "neglect",
        r"\b(?:no food (?:in|at)|not (?:been )?fed|haven't eaten|not eaten|starving|"
        r"(?:nobody|no one|no-one) (?:feeds|gives me food)|never feed (?:me|us)|"
        r"locks? (?:me|us|him|her) in|locked (?:me|us|him|her) in|locked in (?:there|my room|"
        r"the room)|lock on the outside|left (?:home )?alone (?:all|for|at night)|"
        r"nowhere to (?:sleep|stay|live)|sleeping (?:rough|on the streets?|in a car)|"
        r"(?:kicked|thrown) (?:me |us )?out of (?:the )?(?:house|home)|"
        r"(?:drinking|using) again|turned up (?:at the house )?drunk|drunk and|"
        r"looking after my (?:baby|little) (?:sister|brother) on my own)\b",
    ),
    (
        "exploitation",
        r"\b(?:county lines|made to (?:sell|carry) drugs|(?:sell|carry|hold)ing drugs for|"
        r"(?:adults|men|people) who give (?:him|her|me|them) drugs|being exploited|trafficked)\b",
    ),
    (
        "stalking",
        r"\b(?:waiting|hanging around|turned up) outside (?:her|his|my|their) "
        r"(?:school|house|home|placement)\b",
    ),
    ("not safe", r"\b(?:terrified|scared|frightened) for (?:me|us|him|her|them|my)\b"),
    (
        "physical harm",
        r"\b(?:smash(?:ed|ing) (?:up|the)|unexplained (?:bruises|injuries|marks)|"
        r"squeezed (?:her|him|me)|(?:man|daddy|mummy) hurt|"
        r"(?:he|man|ex|ex-partner|partner|boyfriend|husband|stepdad|stepfather|dad|father)"
        r"(?: \S+){0,4} (?:has |had )?moved back in|"
        r"com(?:es|ing) in(?:to)? the bathroom|break (?:her|his|my|your) (?:arm|leg|neck))\b",
    ),
    (
        "exploitation",
        r"\b(?:(?:get|gets|got|getting) into (?:a|the|his|their) car with|grown men|"
        r"taking (?:the|my|our) (?:children|kids) abroad|not bringing (?:them|her|him) back)\b",
    ),
    ("not safe", r"\bcan't keep (?:them|us) (?:both |all )?safe\b"),
    (
        "threats",
        r"\b(?:kicking (?:the|my|our) door|he's still outside|shouting (?:he's|that he's|"
        r"she's) taking)\b",
    ),
    (
        "threats",
        r"\b(?:he|she|my ex|(?:my |her |his )?ex-(?:partner|husband|wife|boyfriend)|"
        r"(?:their|her|his) (?:dad|father|mum|mother|stepdad))(?: has| had| just| keeps)? "
        r"(?:turned|turns|turning) up (?:at|outside) (?:the |my |our )?"
        r"(?:nursery|school|door|house|refuge)\b",
    ),
)
# Weak signs: often a known, ongoing matter being complained about, not a new disclosure.
# They raise safeguarding only when the model also sees some risk (see triage.decide).
_WEAK_LEXICON: tuple[tuple[str, str], ...] = (
    ("self-harm", r"\b(?:self[- ]?harm(?:s|ing|ed)?|overdose[sd]?)\b"),
    ("injury", r"\b(?:bruises? on|bruised|black eye|marks on (?:my|his|her) (?!report))"),
    ("screaming", r"\b(?:screaming|screams)\b"),
    # Phrases that are a risk only with the right person or context; the model decides.
    (
        "possible harm",
        r"\b(?:(?<!way )(?<!way my )(?<!like )(?<!like my )(?:daddy|mummy|dad|mum|he|she) did it"
        r"(?! by (?:text|email|e-mail|phone|letter|post|message))|"
        r"(?:has )?moved back in|have to (?:do|watch) "
        r"(?:things|stuff)|(?:comes?|coming|came) into (?:my|her|his) (?:room|bed))\b",
    ),
    # Someone else turning up (a social worker, a grandchild): only with the model's support.
    (
        "someone turning up",
        r"\b(?:turned|turns) up (?:at|outside) (?:the |my |our )?"
        r"(?:nursery|school|door|house|refuge)\b",
    ),
)
# A sentence saying the risk has passed lets a phrase in it go ("he's safe now").
_PASSED = re.compile(
    r"\b(?:(?:is|he's|she's|i'm|im|they're|are|am) (?:safe|fine|ok) now|history|"
    r"return home interview|i accepted|wrote(?: \S+){0,6} that|minutes say|notes say|i admitted|"
    r"allegation|never said|"
    r"(?:said|says|claimed|alleged) (?:that )?i had|"
    r"(?:notes|minutes|records?|reports?|referral)(?: \S+){0,4} "
    r"(?:say|says|said|claimed|alleged))\b"
)
# A harm phrase after one of these is a near miss or a question, not a report that it
# happened ("the bus nearly hit me", "asked whether I hit her"): a weak sign only.
_HEDGED = re.compile(r"\b(?:nearly|almost|whether(?: \S+)?)$")
_COMPILED = tuple((label, re.compile(pattern), False) for label, pattern in _LEXICON) + tuple(
    (label, re.compile(pattern), True) for label, pattern in _WEAK_LEXICON
)

_NEGATION = re.compile(
    r"\b(?:not|never|no|don't|doesn't|didn't|won't|wouldn't|hasn't|haven't|hadn't|isn't|"
    r"wasn't|aren't|weren't|nobody|no one|no-one|nothing)\b"
)
_STILL_HAPPENING = re.compile(r"\b(?:stop|stops|stopped|stopping|even|just|only)\b")
_CLAUSE_BREAK = re.compile(r"[.!?;,]| but | and | so | because ")
CITATION = "Working Together to Safeguard Children (2023); s47 Children Act 1989"


@dataclass(frozen=True)
class Disclosure:
    """A safeguarding phrase found in the text."""

    kind: str
    phrase: str
    negated: bool
    weak: bool = False


def _negated(text: str, start: int, matched: str) -> bool:
    """True when a negation word governs the phrase starting at ``start``."""
    if _NEGATION.match(matched):
        return False  # the negation is part of the phrase ("not safe")
    window = text[max(0, start - 40) : start]
    # Only the current clause counts.
    parts = _CLAUSE_BREAK.split(window)
    clause = parts[-1] if parts else window
    words = clause.split()[-3:]
    tail = " ".join(words)
    if not _NEGATION.search(tail):
        return False
    # "never stops hitting me", "no one even hits me... " keep recall: treat as not negated.
    return not _STILL_HAPPENING.search(tail)


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(mark, 0, start) for mark in ".!?\n")
    rights = [i for i in (text.find(mark, end) for mark in ".!?\n") if i != -1]
    return text[left + 1 : min(rights) if rights else len(text)]


def find_disclosures(text: str) -> tuple[Disclosure, ...]:
    """Every safeguarding phrase in ``text``, each marked negated (or past) or not."""
    norm = normalise(text)
    found: list[Disclosure] = []
    for kind, pattern, weak in _COMPILED:
        for match in pattern.finditer(norm):
            phrase = match.group(0)
            passed = bool(_PASSED.search(_sentence(norm, match.start(), match.end())))
            negated = passed or _negated(norm, match.start(), phrase)
            hedged = bool(_HEDGED.search(norm[max(0, match.start() - 30) : match.start()].rstrip()))
            found.append(Disclosure(kind, phrase, negated, weak or hedged))
    return tuple(found)


def check_safeguarding(complaint: Complaint) -> Finding | None:
    """Flag a disclosure of current risk of harm; negated phrases alone do not count.

    A strong phrase ("he hits me") is a safeguarding finding on its own. A weak sign
    ("self-harming", "bruises") gives a ``possible_safeguarding`` finding that
    ``triage.decide`` raises only when the model also sees some risk.
    """
    live = [d for d in find_disclosures(complaint.text) if not d.negated]
    strong = [d for d in live if not d.weak]
    if strong:
        first = strong[0]
        return Finding(
            rule="safeguarding_disclosure",
            reason=(
                f'Possible safeguarding disclosure ({first.kind}: "{first.phrase}"): refer to the '
                "safeguarding team today and tell the person how to get help now; the complaint "
                "timescales do not hold this back."
            ),
            citation=CITATION,
            evidence=first.phrase,
            safeguarding=True,
            review=True,
        )
    if live:
        first = live[0]
        return Finding(
            rule="possible_safeguarding",
            reason=(
                f'Mentions {first.kind} ("{first.phrase}"): check whether a child is at risk now '
                "and, if so, refer to the safeguarding team today."
            ),
            citation=CITATION,
            evidence=first.phrase,
        )
    return None
