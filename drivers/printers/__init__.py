"""Label printers: raw label data (ZPL, or a PDF for printers that take one) sent to a file, a TCP 9100 socket or a
serial port. The documents themselves are made in ``reports/``; a driver only carries bytes."""
