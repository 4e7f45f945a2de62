"""The services layer: the only code that opens and commits transactions.

Views parse requests and render; CLI commands parse arguments and print; both call here.
"""
