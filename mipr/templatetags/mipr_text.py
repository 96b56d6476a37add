from django import template

from mipr.text import quoted as _quoted

register = template.Library()


@register.filter
def quoted(text) -> str:
    """{{ finding.title|quoted }}: «title», never ««title»»."""
    return _quoted(text)
