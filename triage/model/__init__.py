"""Machine learning for triage: the only code that imports spaCy or scikit-learn."""
