"""The ProductType catalogue (``resources/ios_models.json``): marketing names, family, marketing storage sizes."""

from __future__ import annotations

import dataclasses
import functools
import json
from importlib import resources
from typing import Any

from audit.readings import DeviceFamily

_CATALOGUE = "ios_models.json"


@dataclasses.dataclass(frozen=True, slots=True)
class ModelInfo:
    product_type: str
    name: str
    family: DeviceFamily
    variant: str | None = None
    colours: tuple[tuple[str, str], ...] = ()  # DeviceEnclosureColor code -> marketing colour

    def colour(self, code: object) -> str | None:
        """The marketing colour of this model for a DeviceEnclosureColor ("3", "#e1ccb7"); unknown code -> None."""
        if isinstance(code, int) and not isinstance(code, bool):
            code = str(code)
        if not isinstance(code, str):
            return None
        return dict(self.colours).get(code.strip().lower())


@dataclasses.dataclass(frozen=True, slots=True)
class Catalogue:
    models: dict[str, ModelInfo]
    storage_sizes_gb: tuple[int, ...]

    def lookup(self, product_type: object) -> ModelInfo | None:
        if not isinstance(product_type, str):
            return None
        return self.models.get(product_type.strip())

    def marketing_storage_bytes(self, total_disk_capacity: object) -> int | None:
        """The capacity printed on the box, from the disk size the device reports (a 128 GB phone says ~127.9e9).

        A figure that is not near any marketing size is kept as it is rather than rounded to a made-up one.
        """
        if isinstance(total_disk_capacity, bool) or not isinstance(total_disk_capacity, int):
            return None
        if total_disk_capacity <= 0:
            return None
        for size in self.storage_sizes_gb:
            marketing = size * 1_000_000_000
            if 0.85 * marketing <= total_disk_capacity <= 1.1 * marketing:
                return marketing
        return total_disk_capacity


def parse_catalogue(document: dict[str, Any]) -> Catalogue:
    models: dict[str, ModelInfo] = {}
    for product_type, entry in document["models"].items():
        colours = tuple(sorted((str(code).lower(), str(name)) for code, name in entry.get("colours", {}).items()))
        models[product_type] = ModelInfo(
            product_type=product_type,
            name=entry["name"],
            family=DeviceFamily(entry["family"]),
            variant=entry.get("variant"),
            colours=colours,
        )
    sizes = tuple(sorted(int(size) for size in document["storage_sizes_gb"]))
    return Catalogue(models=models, storage_sizes_gb=sizes)


@functools.cache
def load_catalogue() -> Catalogue:
    text = resources.files("resources").joinpath(_CATALOGUE).read_text(encoding="utf-8")
    return parse_catalogue(json.loads(text))
