"""The statutory complaints report: records in, counted report out, as CSV, PDF or a page.

Regulation 13(3) of the Children Act 1989 Representations Procedure (England)
Regulations 2006 requires an annual report. ``records`` is the contract with the case
lifecycle; ``engine`` counts; ``export``, ``pdf``, ``charts`` and ``page`` present.
"""
