"""The findings summary as 16:9 slides in a PDF, one page per slide, to mail or
show from another machine.

The same rules as the strategy's PDF (strategy/pdf/render.py), which this app
may not import (the layers in pyproject.toml): our print HTML and CSS, the
installed fonts, and a URL fetcher that fetches nothing from anywhere.
"""

import datetime

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import CSS, HTML, default_url_fetcher
from weasyprint.text.fonts import FontConfiguration

from mipr.models import Process

from .themes import Theme

# fontconfig's set-up is the slow part of a first render: one per process.
_font_config: FontConfiguration | None = None


def _fonts() -> FontConfiguration:
    global _font_config
    if _font_config is None:
        _font_config = FontConfiguration()
    return _font_config


def refuse_every_url(url: str, *args, **kwargs):
    """The slides need nothing from outside; a data: URL fetches nothing."""
    if url.startswith("data:"):
        return default_url_fetcher(url)
    raise ValueError(f"not fetched: {url[:200]}")


def slides_pdf(
    *,
    process: Process,
    themes: list[Theme],
    total_groups: int,
    today: datetime.date,
) -> bytes:
    """A title slide, then one slide per finding (templates/findings/pdf/)."""
    html = render_to_string(
        "findings/pdf/slides.html",
        {
            "process": process,
            "themes": themes,
            "total_groups": total_groups,
            "today": today,
        },
    )
    fonts = _fonts()
    stylesheet = CSS(
        filename=finders.find("css/slides-pdf.css"),
        font_config=fonts,
        url_fetcher=refuse_every_url,
    )
    return HTML(
        string=html, base_url=str(settings.BASE_DIR), url_fetcher=refuse_every_url
    ).write_pdf(stylesheets=[stylesheet], font_config=fonts)
