"""Documents: ReportLab PDFs (audit report, erasure certificate, lot report) and labels (PDF, ZPL)."""
