"""The API's one body parser: JSON, refused in the reader's language when it is not JSON."""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from shahrak.core.text import in_reader_digits


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, whose refusal is English and quotes Python's decoder («JSON parse error -
    Expecting property name…»): here it says where the body stops being JSON, in the reader's words."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except ParseError as error:
            cause = error.__context__
            if hasattr(cause, "lineno") and hasattr(cause, "colno"):
                message = _("The request body is not valid JSON (line %(line)s, column %(column)s).") % {
                    "line": in_reader_digits(cause.lineno),
                    "column": in_reader_digits(cause.colno),
                }
            else:
                message = _("The request body is not valid JSON.")
            raise ParseError(message) from None
