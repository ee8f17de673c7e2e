"""The rules and the records: readings, business rules, the device lifecycle, services and the database.

No Qt and no device I/O here; nothing imports app/, drivers/ or reports/.
"""
