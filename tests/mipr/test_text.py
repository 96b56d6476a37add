import pytest

from mipr.text import quoted


@pytest.mark.parametrize(
    "text, shown",
    [
        ("Tillit og samarbeid", "«Tillit og samarbeid»"),
        ("«Det beste av to verdener»", "«Det beste av to verdener»"),
        ("«Halvt", "««Halvt»"),
        ("", "«»"),
    ],
)
def test_quoted_adds_guillemets_once(text, shown):
    assert quoted(text) == shown
