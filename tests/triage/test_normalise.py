import pytest

from triage.rules.normalise import normalise


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("u dont no wot ur sw sed", "you don't no what your social worker said"),
        ("im scared 2 go home", "i'm scared to go home"),
        ("it was 2 years ago", "it was 2 years ago"),
        ("at 2pm", "at 2pm"),
        ("My SW’s   rude", "my sw's rude"),
    ],
)
def test_text_speak_is_expanded_and_numbers_kept(text, expected):
    assert normalise(text) == expected
