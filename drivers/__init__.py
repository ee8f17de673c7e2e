"""Everything that talks to the outside world except the database: devices, peripherals, the marketplace.

Drivers return the value objects of :mod:`audit.readings` and import nothing else from the audit core.
"""
