"""The Rasa assistant's Python side: custom actions for the Rasa action server."""
