"""Business rules: pure functions from readings to verdicts.

Battery, locks, functional tests, cosmetic grading, identifiers, returns (RMA) and trade-in reconciliation.
Thresholds and tables live as data in the ``resources`` package, per sales channel; nothing here does I/O
except reading those packaged files.
"""
