"""Disk erasure: NIST SP 800-88 Clear by overwrite (:mod:`.overwrite`), Purge through the drive's own commands
(:mod:`.purge`), the refusals that keep the agent from erasing what it runs on (:mod:`.safety`), and the report
(:mod:`.report`) that becomes an :class:`audit.readings.ErasureOutcome` and a certificate.
"""
