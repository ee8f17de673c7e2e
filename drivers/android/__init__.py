"""Android phones over adb (adbutils): discovery, identity, battery, locks, functional probes and erasure."""
