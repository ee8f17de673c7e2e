"""Crash safety: a station process killed with SIGKILL mid-step, then the database reopened and checked."""
