"""The simulated bench: simulators that speak the real wire protocols, so the real client libraries run unchanged."""
