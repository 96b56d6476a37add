"""Markdown to safe HTML: the `markdown` package renders, `nh3` sanitises.

Only the tags a strategy text needs survive (headings, paragraphs, lists,
emphasis, links, tables, quotes); scripts, event handlers, styles and
javascript: links are removed whatever the Markdown contains.
"""

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

from mipr.fragments import cached_many

ALLOWED_TAGS = {
    "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "ul", "ol", "li", "strong", "em",
    "a", "blockquote", "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
    "del", "ins", "sup", "sub",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


def render(text: str) -> SafeString:
    html = markdown_lib.markdown(
        text or "",
        extensions=["tables", "sane_lists"],
        # align="…" survives the sanitising below; style="text-align: …" would not.
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )
    # A section's own headings start at h2: the section heading is the h1/h2 above.
    html = (
        nh3.clean(
            html,
            tags=ALLOWED_TAGS | {"h1"},
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer",
        )
        .replace("<h1>", "<h2>")
        .replace("</h1>", "</h2>")
    )
    return mark_safe(html)  # noqa: S308 - sanitised by nh3 just above


def render_many(texts: list[str]) -> list[SafeString]:
    """render() of each text, from the cache where the same text was rendered.

    The output depends on the text alone, so the text is the state its
    fragment is keyed on: an edited section gets a new key, and nothing stale
    can be shown.
    """
    html = cached_many(
        "strategy:markdown",
        {index: text or "" for index, text in enumerate(texts)},
        lambda missing: {index: render(texts[index]) for index in missing},
        seconds=24 * 60 * 60,
    )
    # Sanitised by render(), whether just now or when it was cached.
    return [mark_safe(html[index]) for index in range(len(texts))]  # noqa: S308
