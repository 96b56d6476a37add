"""Small rules for Norwegian text shown to people."""


def quoted(text: str) -> str:
    """The text in «guillemets», unless it already is: a finding named
    «Det beste av to verdener» is not shown as ««Det beste av to verdener»»."""
    text = str(text)
    if text.startswith("«") and text.endswith("»"):
        return text
    return f"«{text}»"
