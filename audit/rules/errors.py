"""The rules' exception family: one root, so callers can catch every rule failure at once."""


class RulesError(ValueError):
    """Root of every error raised by ``audit.rules``."""


class RuleDataError(RulesError):
    """A packaged data file (channels, test plan, rubric) is missing, malformed or inconsistent."""


class RuleInputError(RulesError):
    """The rules were asked to judge something impossible (a return before the sale, a lens on a laptop)."""
