"""Typesetting the bulletin as a PDF with WeasyPrint and the Vazirmatn font.

The font is read from the files `make assets` installs (settings.VENDOR_DIR/fonts/ttf); nothing is
fetched from the network (only file: URLs, no redirects). WeasyPrint shapes Persian, sets it right
to left and numbers the pages in Persian digits.
"""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from .bulletin import Bulletin

FONT_DIR = Path(settings.VENDOR_DIR) / "fonts" / "ttf"
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


class FontMissing(RuntimeError):
    pass


def render_html(bulletin: Bulletin) -> str:
    texts = TEXTS[bulletin.lang]
    return render_to_string(
        "reports/bulletin.html",
        {
            "bulletin": bulletin,
            "fonts": FONT_DIR.as_uri(),
            "masthead": texts["masthead"],
            "figures_title": texts["figures"],
            "source": texts["source"],
        },
    )


def typeset(bulletin: Bulletin):
    """The bulletin laid out in pages (a WeasyPrint Document): what write_pdf prints."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    if not (FONT_DIR / "Vazirmatn-Regular.ttf").exists():
        raise FontMissing(f"the Vazirmatn font is not installed in {FONT_DIR}: run `make assets`")
    fetcher = URLFetcher(allowed_protocols=["file"], allow_redirects=False)
    html = HTML(string=render_html(bulletin), base_url=FONT_DIR.as_uri() + "/", url_fetcher=fetcher)
    return html.render()


def write_pdf(bulletin: Bulletin, target, **options) -> list[str]:
    """Write the bulletin as PDF to a path or a binary file object (options go to WeasyPrint).

    Returns the names of the fonts embedded, so that a silent fallback to another font (which
    would print Persian without its letters joined, or as boxes) can be caught.
    """
    document = typeset(bulletin)
    document.write_pdf(target, **options)
    return sorted({font.name.decode().lstrip("/").split("+", 1)[-1] for font in document.fonts.values()})
