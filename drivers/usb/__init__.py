"""USB on the bench (pyusb): bays (physical ports), what a plugged-but-silent device is, hotplug, bay learning.

The bench's source of truth is the USB tree as libusb enumerates it (or the simulated tree of ``drivers.sim.usb``):
``topology.read_sightings(backend)`` turns it into plain :class:`~drivers.usb.topology.UsbSighting` values, and every
other module works on those values only, so they are tested without hardware.
"""
