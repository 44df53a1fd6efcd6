"""What a reader sees on a page, and the Latin letters, Latin digits and middle dots in it.

Visible text = text nodes (the <title> included, <script> and <style> left out) and the attributes
a person reads or hears: an input's value (not of hidden inputs), placeholder, title, aria-label
and alt. Left out on purpose, with everything inside them:

- elements with the class `code` — codes and identifiers written in Latin letters and digits as
  they are issued (estate, workshop and project codes, national IDs, ISO and SCI codes, ISIC
  classes, currency codes, user names, file names). Templates mark them `<span class="code" dir="ltr">`;
- elements with `lang="en"` — text that is English on purpose on a Persian page (the language
  switch «English», a record's English name shown as such);
- in plain text, where no element can mark it (a <title>, a select's <option>, an input's value,
  a message), a code written between a left-to-right isolate and its pop, U+2066 … U+2069: the
  plain-text form of `<bdi class="code" dir="ltr">` that `shahrak.core.text.code_text` writes (and
  the only writer: typed text has these marks removed).

Nothing else is left out: a code that is not marked, or a Latin word, is found.
"""

import re
from html.parser import HTMLParser

LATIN = re.compile(r"[A-Za-z0-9]+")
# A code marked in plain text (see shahrak.core.text.code_text): left-to-right isolate … pop.
MARKED_CODE = re.compile("\u2066[^\u2069]*\u2069")
# A middle dot with a digit (Persian, Arabic or Latin) beside it, spaces allowed between.
DOT_BY_DIGIT = re.compile(r"[0-9۰-۹٠-٩]\s*·|·\s*[0-9۰-۹٠-٩]")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
READ_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
# Inputs whose value is not shown as text (a box's value is; a checkbox's is not).
UNSEEN_INPUTS = {"hidden", "checkbox", "radio"}


class VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: is it (or an ancestor) left out?
        self.pieces: list[str] = []

    def _skipped(self) -> bool:
        return bool(self.stack) and self.stack[-1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skipped = (
            self._skipped()
            or tag in ("script", "style", "template")
            or "code" in (attrs.get("class") or "").split()
            or attrs.get("lang") == "en"
        )
        if not skipped:
            for name in READ_ATTRIBUTES:
                if attrs.get(name):
                    self.pieces.append(attrs[name])
            if tag == "input" and (attrs.get("type") or "text") not in UNSEEN_INPUTS and attrs.get("value"):
                self.pieces.append(attrs["value"])
        if tag not in VOID:
            self.stack.append(skipped)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not self._skipped() and data.strip():
            self.pieces.append(data.strip())


def visible_pieces(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return parser.pieces


def latin_leftovers(html: str) -> list[str]:
    """The visible pieces of text that hold a Latin letter or digit outside a marked code."""
    return [piece for piece in visible_pieces(html) if LATIN.search(MARKED_CODE.sub("", piece))]


def dots_by_digits(text: str) -> list[str]:
    """Each middle dot written next to a digit, with the digit."""
    return [m.group() for m in DOT_BY_DIGIT.finditer(text)]
