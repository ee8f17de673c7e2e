"""R2v3 Appendix B quality control: at least 5 % of logically sanitized devices re-verified by someone independent.

A pure rule: given the erasures of a period (id and who performed each) and the auditor who will re-verify, it
draws the sample deterministically from a seed (so anyone can re-draw it and check that nothing was cherry-picked),
never gives an auditor their own erasures, and says how many must go to another auditor when this one cannot
cover the quota alone.
"""

from __future__ import annotations

import dataclasses
import math
import random
from collections.abc import Hashable, Sequence

R2V3_MINIMUM_FRACTION = 0.05


@dataclasses.dataclass(frozen=True, slots=True)
class QcSample:
    chosen: tuple[Hashable, ...]  # erasure ids to re-verify, in a stable order
    required: int  # how many the quota needs in all (ceil(fraction * population))
    population: int
    excluded_own: int  # erasures the auditor performed, so cannot re-verify
    shortfall: int  # how many more another auditor must take
    seed: str

    @property
    def complete(self) -> bool:
        return self.shortfall == 0


def select_for_reverification(
    erasures: Sequence[tuple[Hashable, str]],
    verifier: str,
    *,
    seed: str,
    fraction: float = R2V3_MINIMUM_FRACTION,
) -> QcSample:
    """Draw ``ceil(fraction x population)`` erasures (at least one when there are any) that ``verifier`` did not do."""
    if not 0 < fraction <= 1:
        raise ValueError("the QC fraction must be in (0, 1]")
    if fraction < R2V3_MINIMUM_FRACTION:
        raise ValueError(f"R2v3 requires at least {R2V3_MINIMUM_FRACTION:.0%} of the erasures to be re-verified")
    ids = [erasure_id for erasure_id, _ in erasures]
    if len(set(ids)) != len(ids):
        raise ValueError("each erasure must appear once")
    population = len(erasures)
    required = math.ceil(round(population * fraction, 9)) if population else 0
    eligible = sorted((e for e, who in erasures if who.casefold() != verifier.casefold()), key=repr)
    excluded = population - len(eligible)
    take = min(required, len(eligible))
    chosen = random.Random(f"r2v3-qc:{seed}").sample(eligible, take)
    return QcSample(
        chosen=tuple(sorted(chosen, key=repr)),
        required=required,
        population=population,
        excluded_own=excluded,
        shortfall=required - take,
        seed=seed,
    )
