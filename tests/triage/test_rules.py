import subprocess
import sys
from datetime import date

from triage.rules import Complaint, apply_rules


def test_rules_import_without_spacy_or_sklearn():
    code = (
        "import sys, triage.rules, triage.decide; "
        "assert 'spacy' not in sys.modules and 'sklearn' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_apply_rules_collects_every_finding_with_eligibility_last():
    findings = apply_rules(
        Complaint("the judge decided 2 years ago and he hits me", "parent"), date(2026, 11, 27)
    )
    rules = [f.rule for f in findings.findings]
    assert rules[0] == "safeguarding_disclosure"
    assert "court_proceedings" in rules and "out_of_time" in rules
    assert rules[-1] == "eligible"
    assert findings.safeguarding
    assert [f.rule for f in findings.decisive()] == ["court_proceedings"]


def test_every_finding_cites_its_source():
    findings = apply_rules(
        Complaint("my foster allowance is late and the police were rude", "foster_carer"),
        date(2026, 11, 27),
    )
    assert all(f.citation for f in findings.findings)
