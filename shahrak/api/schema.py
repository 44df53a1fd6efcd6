"""OpenAPI details the generator cannot infer from the shared filter classes."""

from drf_spectacular.utils import extend_schema_field

from shahrak.core.filters import JalaliDateFilter

# A Solar Hijri date such as 1401/01/01 (a year of 1700 or more is read as Gregorian): a string,
# not an ISO date. Annotating the class documents every list filter that uses it.
extend_schema_field(
    {"type": "string", "example": "1401/01/01", "description": "Solar Hijri (or Gregorian) date"}
)(JalaliDateFilter)
