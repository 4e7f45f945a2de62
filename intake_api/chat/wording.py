"""Everything the chat widget itself says (the assistant's words are in `domain.yml`).

Written for a child of about nine who may be upset: short sentences, everyday words.
`tests/intake_api/test_chat_page.py` scores each text (Flesch-Kincaid grade 4 or below).
`{council}` is replaced with the council's name.
"""

from __future__ import annotations

WORDING: dict[str, str] = {
    "title": "Tell us what's wrong",
    "exit": "Leave this site",
    "exit_hint": "Need to leave fast? Use the Leave this site button. Or press Esc two times.",
    "privacy_summary": "Who sees what you write",
    "privacy": (
        "The complaints team at {council} will read what you write.\n"
        "They use it to sort out the problem.\n"
        "If you say you are not safe, they will get help to keep you safe.\n"
        "You do not have to give your name.\n"
        "This chat stays on this phone or computer until you close the browser.\n"
        "The Leave this site button wipes it at once.\n"
        "It does not wipe the list of sites you have been on."
    ),
    "log_label": "Chat with the helper",
    "you_said": "You said:",
    "helper_said": "Helper said:",
    "choose": "Choose an answer",
    "typing": "The helper is typing",
    "input_label": "Type your message",
    "input_hint": "Press Enter to send. Press Shift and Enter for a new line.",
    "send": "Send",
    "wait": "Please wait. The helper is still answering.",
    "error": "Sorry, the chat is not working right now. Please try again in a minute.",
    "retry": "Try again",
}


def chat_wording(council_name: str) -> dict[str, str]:
    """The widget's words with the council's name filled in."""
    return {key: text.replace("{council}", council_name) for key, text in WORDING.items()}
