"""Bench instruments on serial ports (pyserial): the USB power meter and the barcode scanner, and the like."""
