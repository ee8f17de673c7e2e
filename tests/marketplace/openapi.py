"""Checks HTTP requests and responses against Back Market's OpenAPI 3.0 document (a copy kept in ``data/``).

OpenAPI 3.0 schemas are JSON Schema draft 4 plus ``nullable``; ``nullable`` is turned into a ``null`` type here, the
rest is handed to ``jsonschema`` as is, ``$ref``s resolved in the whole document.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft4Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry
from referencing.jsonschema import DRAFT4

SPEC_PATH = Path(__file__).parent / "data" / "backmarket-openapi.yml"
_URI = "urn:backmarket-openapi"
USER_AGENT = re.compile(r"^BM-[^-;\s]+-[^;\s]+;[^@\s;]+@[^@\s;]+\.[^@\s;]+$")


class SpecViolation(AssertionError):
    pass


def _nullable(node: Any) -> Any:
    if isinstance(node, list):
        return [_nullable(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _nullable(value) for key, value in node.items()}
    if out.pop("nullable", False) is True:
        if "type" in out:
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
        elif "$ref" in out:
            out = {"anyOf": [{"$ref": out.pop("$ref")}, {"type": "null"}], **out}
    return out


class Spec:
    def __init__(self, path: Path = SPEC_PATH) -> None:
        self.document = _nullable(yaml.safe_load(path.read_text(encoding="utf-8")))
        self.registry: Registry[Any] = Registry().with_resource(_URI, DRAFT4.create_resource(self.document))
        self._templates = [
            (re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"), template)
            for template in sorted(self.document["paths"], key=lambda t: t.count("{"))  # literal paths first
        ]

    def _pointer(self, *parts: str) -> str:
        return "#/" + "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)

    def _validate(self, instance: Any, *parts: str) -> None:
        validator = Draft4Validator(
            {"$ref": _URI + self._pointer(*parts)}, registry=self.registry, format_checker=FormatChecker()
        )
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
        if errors:
            raise SpecViolation("; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5]))

    def _resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            target: Any = self.document
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
        return node

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any]]:
        for pattern, template in self._templates:
            if pattern.match(path):
                item = self.document["paths"][template]
                if method.lower() in item:
                    return template, item
        raise SpecViolation(f"{method} {path} is not in Back Market's API")

    def _parameters(self, template: str, method: str) -> list[tuple[dict[str, Any], tuple[str, ...]]]:
        item = self.document["paths"][template]
        found = []
        for where in ((), (method.lower(),)):
            owner = item
            for key in where:
                owner = owner[key]
            for index, raw in enumerate(owner.get("parameters", [])):
                param = self._resolve(raw)
                if "$ref" in raw:
                    pointer = tuple(raw["$ref"].lstrip("#/").split("/"))
                else:
                    pointer = ("paths", template, *where, "parameters", str(index))
                found.append((param, pointer))
        return found

    @staticmethod
    def _coerce(value: str, schema: dict[str, Any]) -> Any:
        kinds = [schema.get("type")] + [option.get("type") for option in schema.get("oneOf", [])]
        if ("integer" in kinds or ["integer", "null"] in kinds) and re.fullmatch(r"-?\d+", value):
            return int(value)
        return value

    def validate_request(
        self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str], body: bytes
    ) -> None:
        template, item = self.operation(method, path)
        operation = item[method.lower()]
        where = f"{method} {path}"
        if operation.get("security") and not headers.get("authorization", "").startswith("Basic "):
            raise SpecViolation(f"{where}: no 'Authorization: Basic <token>' header")
        if not USER_AGENT.match(headers.get("user-agent", "")):
            raise SpecViolation(f"{where}: User-Agent {headers.get('user-agent')!r} is not BM-{{Company}}-...;contact")
        if headers.get("accept") != "application/json":
            raise SpecViolation(f"{where}: Accept must be application/json")
        known_query = set()
        segments = dict(zip(template.split("/"), path.split("/"), strict=True))
        for param, pointer in self._parameters(template, method):
            name, place = param["name"], param["in"]
            if place == "query":
                known_query.add(name)
                value = query.get(name, [None])[0]
            elif place == "header":
                value = headers.get(name.lower())
            elif place == "path":
                value = segments.get("{" + name + "}")
            else:
                continue
            if value is None:
                if param.get("required"):
                    raise SpecViolation(f"{where}: the required {place} parameter {name} is missing")
                continue
            try:
                self._validate(self._coerce(value, param["schema"]), *pointer, "schema")
            except SpecViolation as exc:
                raise SpecViolation(f"{where}: {place} parameter {name}={value!r}: {exc}") from None
        unknown = set(query) - known_query
        if unknown:
            raise SpecViolation(f"{where}: query parameters not in the spec: {sorted(unknown)}")
        request_body = operation.get("requestBody")
        if request_body is None:
            if body:
                raise SpecViolation(f"{where}: a body was sent but the operation takes none")
            return
        if headers.get("content-type", "").split(";")[0] != "application/json":
            raise SpecViolation(f"{where}: Content-Type must be application/json")
        try:
            instance = json.loads(body)
        except ValueError as exc:
            raise SpecViolation(f"{where}: the body is not JSON: {exc}") from None
        self._validate(
            instance, "paths", template, method.lower(), "requestBody", "content", "application/json", "schema"
        )

    def validate_response(self, method: str, path: str, status: int, body: bytes) -> None:
        template, item = self.operation(method, path)
        responses = item[method.lower()]["responses"]
        key = str(status)
        if key not in responses:
            # Faults a server may answer on any endpoint (Cloudflare's 429, a 5xx) are checked as Back Market's
            # usual error body.
            if status == 429 or status >= 500:
                self._validate(json.loads(body), "components", "schemas", "ErrorResponseV1")
                return
            raise SpecViolation(f"{method} {path}: status {status} is not documented")
        response = responses[key]
        pointer: tuple[str, ...] = ("paths", template, method.lower(), "responses", key)
        if "$ref" in response:
            pointer = tuple(response["$ref"].lstrip("#/").split("/"))
            response = self._resolve(response)
        if "content" not in response:
            return
        self._validate(json.loads(body), *pointer, "content", "application/json", "schema")


@cache
def spec() -> Spec:
    return Spec()


__all__ = ["SPEC_PATH", "Spec", "SpecViolation", "ValidationError", "spec"]
