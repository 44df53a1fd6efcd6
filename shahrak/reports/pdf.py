"""Typesetting the bulletin as a PDF: WeasyPrint and the Vazirmatn font, set up once in
shahrak/ui/pdf.py (shared with the allocation contract)."""

from django.template.loader import render_to_string

from shahrak.ui.pdf import FONT_URI, FontMissing, embedded_fonts
from shahrak.ui.pdf import typeset as typeset_html

from .bulletin import Bulletin

__all__ = ["FontMissing", "render_html", "typeset", "write_pdf"]

TEXTS = {
    "fa": {
        "masthead": "سازمان صنایع کوچک و شهرک‌های صنعتی — بولتن آماری",
        "figures": "ارقام اصلی",
        "source": (
            "منبع: سامانه شهرک، دفتر ثبت سازمان از شهرک‌ها و نواحی صنعتی؛ همه ارقام از سوابق ثبت‌شده در همین "
            "سامانه و هر یک با تعریفی ثابت شمرده شده است."
        ),
    },
    "en": {
        "masthead": "Small Industries and Industrial Parks — statistical bulletin",
        "figures": "Key figures",
        "source": (
            "Source: Shahrak, the organization's register of industrial parks and zones; every figure is "
            "counted from the records in that register, each by one fixed definition."
        ),
    },
}


def render_html(bulletin: Bulletin) -> str:
    texts = TEXTS[bulletin.lang]
    return render_to_string(
        "reports/bulletin.html",
        {
            "bulletin": bulletin,
            "fonts": FONT_URI,
            "masthead": texts["masthead"],
            "figures_title": texts["figures"],
            "source": texts["source"],
        },
    )


def typeset(bulletin: Bulletin):
    """The bulletin laid out in pages (a WeasyPrint Document): what write_pdf prints."""
    return typeset_html(render_html(bulletin))


def write_pdf(bulletin: Bulletin, target, **options) -> list[str]:
    """Write the bulletin as PDF to a path or a binary file object (options go to WeasyPrint).

    Returns the names of the fonts embedded (ui.pdf.embedded_fonts).
    """
    document = typeset(bulletin)
    document.write_pdf(target, **options)
    return embedded_fonts(document)
