"""The chat page: `intake_api/chat/`."""

from __future__ import annotations


def test_the_chat_page_is_public_and_knows_where_rasa_is(client):
    response = client.get("/chat")
    assert response.status_code == 200
    assert 'data-rasa-url="http://rasa.test:5005"' in response.get_data(as_text=True)
