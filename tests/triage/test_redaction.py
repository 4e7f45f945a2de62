import pytest

from triage import redact


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("email me at jo.bloggs@example.co.uk please", "jo.bloggs@example.co.uk"),
        ("ring me on 07700 900123", "07700 900123"),
        ("my number is +44 (0)20 7946 0958", "7946 0958"),
        ("landline (01632) 960 001", "960 001"),
        ("we live at SW1A 1AA now", "SW1A 1AA"),
        ("postcode m1 1ae", "m1 1ae"),
        ("my name is Jo Bloggs and I am 14", "Jo Bloggs"),
        ("im called jake", "jake"),
        ("I'm called Aisha Khan", "Aisha Khan"),
        ("his date of birth is 12/03/2011", "12/03/2011"),
        ("DOB: 3rd March 2011", "3rd March 2011"),
        ("born on 4 July 2010 in Leeds", "4 July 2010"),
        ("my son Sam is seven", "Sam"),
        ("NI number QQ 12 34 56 C", "QQ 12 34 56 C"),
    ],
)
def test_personal_data_is_replaced_by_a_placeholder(text, secret):
    redacted = redact(text)
    assert secret not in redacted
    assert "[" in redacted


@pytest.mark.parametrize(
    "text",
    [
        "I am scared to go home",
        "my name is not important",
        "I am writing about my son",
        "the meeting was on 12 March and nobody came",
        "it happened 2 years ago",
    ],
)
def test_ordinary_words_are_left_alone(text):
    assert redact(text) == text


def test_redaction_does_not_need_spacy():
    import subprocess
    import sys

    code = (
        "import sys, triage; triage.redact('my name is Jo'); "
        "assert 'spacy' not in sys.modules and 'sklearn' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_empty_text_is_returned_as_is():
    assert redact("") == ""
