"""The marketplace hand-offs: every listing in the outbox with its state (see ``page.py``)."""
