"""The bench, Qt-free: a supervisor per connected device runs its automatic steps; the coordinator follows the
drivers' attach and detach and reports everything as events (:mod:`app.bench.events`) to one callback."""
