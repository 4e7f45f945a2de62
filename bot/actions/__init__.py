"""Custom actions for the complaints assistant.

The action server (`python -m rasa_sdk --actions bot.actions`) imports every module in this
package and registers the actions it finds. Nothing here runs at import time.
"""
