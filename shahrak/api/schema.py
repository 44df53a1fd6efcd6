"""OpenAPI details the generator cannot infer from the shared filter classes."""

from drf_spectacular.utils import extend_schema_field

from shahrak.core.filters import JalaliDateFilter

# A Solar Hijri date such as 1401/01/01 (a year of 1700 or more is read as Gregorian): a string,
# not an ISO date. Annotating the class documents every list filter that uses it.
extend_schema_field(
    {"type": "string", "example": "1401/01/01", "description": "Solar Hijri (or Gregorian) date"}
)(JalaliDateFilter)


# --- Error responses -------------------------------------------------------------------------
# drf-spectacular documents only success statuses, so a generated client raises on every refusal.
# Every operation gets the refusals it can give and their bodies: 400 names fields (or `detail` when
# the body is not JSON), every other refusal is `{"detail": "..."}`.

ERROR_COMPONENTS = {
    "Error": {
        "type": "object",
        "description": "A refusal, in the user's language.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "ValidationError": {
        "type": "object",
        "description": (
            "What was wrong, by field (or query parameter); `non_field_errors` for the record as a whole, "
            "`detail` when the body could not be read at all."
        ),
        "properties": {
            "detail": {"type": "string"},
            "non_field_errors": {"type": "array", "items": {"type": "string"}},
        },
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
}
ERROR_TEXT = {
    "400": "The request or a filter value is invalid; each field says why.",
    "401": "Not signed in: send `Authorization: Token <key>`.",
    "403": "The user's role or province may not do this; the message says why.",
    "404": "No such record (or page) that this user may see.",
    "409": "Other records still refer to this one; change or delete them first.",
    "415": "The body is not `application/json`.",
}


def error_statuses(path: str, method: str, operation: dict) -> list[str]:
    if path == "/api/token/":
        return ["400", "415"]
    codes = ["400", "401", "403"]
    if "{" in path or method == "get":
        codes.append("404")
    if method in ("post", "put", "patch"):
        codes.append("415")
    if method == "delete":
        codes.append("409")
    return codes


GREGORIAN = "Gregorian date, ISO 8601 (YYYY-MM-DD), e.g. 2022-03-21 for 1 Farvardin 1401."


def state_calendars(result) -> None:
    """Every date field of a record says its calendar: the API reads and writes Gregorian ISO dates
    (the web and imports take Solar Hijri); a client sending 1401-05-12 means AD 1401."""
    for component in result.get("components", {}).get("schemas", {}).values():
        for field in component.get("properties", {}).values():
            if field.get("format") == "date":
                described = field.get("description", "")
                if GREGORIAN not in described:
                    field["description"] = f"{described} {GREGORIAN}".strip()


def document_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: the error responses of every operation, and the calendar
    of every date field."""
    state_calendars(result)
    result.setdefault("components", {}).setdefault("schemas", {}).update(ERROR_COMPONENTS)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code in error_statuses(path, method, operation):
                name = "ValidationError" if code == "400" else "Error"
                responses.setdefault(
                    code,
                    {
                        "description": ERROR_TEXT[code],
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
                    },
                )
    return result
