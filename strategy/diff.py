"""Differences between two versions of the strategy, section by section.

Sections are matched across versions by their key (copied with the version).
Words inserted are wrapped in <ins>, words deleted in <del>; the page shows a
legend, so that the marking does not rely on colour alone.

Two kinds of diff: `words_diff` of the Markdown as written (the section's
history, for its writers), and `rendered_diff` of the HTML the reading page
shows (the comparison of versions, for the council): paragraphs, headings,
list items and table cells are matched as blocks, words within a changed
paragraph or item are marked, and a block that is gone or new is marked whole.
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import markdown

TOKENS = re.compile(r"\s+|[^\s]+")
LINES = re.compile(r"[^\n]*\n|[^\n]+")


def words_diff(old: str, new: str) -> SafeString:
    """The new text with inserted and deleted words marked, HTML-escaped.

    Lines first, then words within the lines that changed: a word diff of a
    whole section takes time that grows with the square of its length (the
    spaces between words match everywhere), and most lines of a new version
    are unchanged.
    """
    a, b = LINES.findall(old or ""), LINES.findall(new or "")
    out = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[a1:a2])))
        else:
            out.append(_marked_words("".join(a[a1:a2]), "".join(b[b1:b2])))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped


def _marked_words(old: str, new: str) -> str:
    a, b = TOKENS.findall(old), TOKENS.findall(new)
    out = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[a1:a2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[a1:a2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[b1:b2]))}</ins>")
    return "".join(out)


@dataclass
class SectionDiff:
    change: str  # "same", "changed", "added", "removed"
    heading: SafeString
    body: SafeString
    moved: bool = False

    @property
    def is_changed(self) -> bool:
        return self.change != "same" or self.moved


def versions_diff(old_sections, new_sections, *, rendered=False) -> list[SectionDiff]:
    """Each section of the new version, then the removed ones, with what changed.

    rendered: the bodies as the reading page shows them (Markdown rendered and
    sanitised, from its cache), marked with `rendered_diff`; otherwise the
    Markdown as written, marked with `words_diff`."""
    body_diff = words_diff
    if rendered:
        texts = [s.body for s in old_sections] + [s.body for s in new_sections]
        html = dict(zip(texts, markdown.render_many(texts), strict=True))

        def body_diff(old, new):
            return rendered_diff(html.get(old, ""), html.get(new, ""))

    old_by_key = {s.key: (index, s) for index, s in enumerate(old_sections)}
    new_keys = {s.key for s in new_sections}
    common_old = [s.key for s in old_sections if s.key in new_keys]
    common_new = [s.key for s in new_sections if s.key in old_by_key]
    # A section moved when it is out of the longest order both versions share.
    matcher = difflib.SequenceMatcher(a=common_old, b=common_new, autojunk=False)
    in_order = set()
    for block in matcher.get_matching_blocks():
        in_order.update(common_new[block.b : block.b + block.size])
    result = []
    for section in new_sections:
        if section.key not in old_by_key:
            result.append(
                SectionDiff(
                    "added", escape(section.heading), body_diff("", section.body)
                )
            )
            continue
        old = old_by_key[section.key][1]
        same = old.heading == section.heading and old.body == section.body
        result.append(
            SectionDiff(
                "same" if same else "changed",
                words_diff(old.heading, section.heading),
                body_diff(old.body, section.body),
                moved=section.key not in in_order,
            )
        )
    for section in old_sections:
        if section.key not in new_keys:
            result.append(
                SectionDiff(
                    "removed", escape(section.heading), body_diff(section.body, "")
                )
            )
    return result


# --- The rendered diff ----------------------------------------------------------

# A tag, with quoted attributes that may hold «>»; a run of spaces; an entity;
# a word; punctuation (so that «samarbeide.» and «samarbeide tett.» share
# their word).
_HTML_TOKENS = re.compile(
    r"""<(?:[^>"']|"[^"]*"|'[^']*')*>|\s+|&[#\w]+;|\w+|[^\w\s<&]+|&"""
)
_ANY_TAG = re.compile(r"<[^>]*>")
_ALIKE = 0.4  # how alike two changed blocks must be to be marked word by word
_TAG_NAME = re.compile(r"</?([a-zA-Z0-9]+)")
_VOID = {"br", "hr", "img", "wbr"}
# Blocks whose content is text and inline tags: words can be marked inside.
_TEXT_BLOCKS = {"p", "h2", "h3", "h4", "h5", "h6", "li", "td", "th"}
# Blocks of blocks: their children are matched in turn.
_CONTAINERS = {"ul", "ol", "blockquote", "table", "thead", "tbody", "tr"}
# Children that may not be wrapped in <del>/<ins> (their parent allows only
# them): the marking goes inside instead.
_INSIDE_ONLY = {"li", "tr", "td", "th", "thead", "tbody"}
_NESTED_BLOCK = re.compile(r"<(ul|ol|table|blockquote|p|pre|h[2-6])\b")


@dataclass(frozen=True)
class _Block:
    tag: str  # "" for text between elements
    html: str
    open: str = ""
    inner: str = ""
    close: str = ""


def _blocks(html: str) -> list[_Block]:
    """The top-level elements of sanitised HTML, in order."""
    blocks, depth, start, tag = [], 0, 0, ""
    for match in _HTML_TOKENS.finditer(html):
        token = match.group()
        if not token.startswith("<"):
            if depth == 0 and token.strip():
                blocks.append(_Block("", token))
            continue
        name = _TAG_NAME.match(token)
        name = name.group(1).lower() if name else ""
        if token.startswith("</"):
            depth -= 1
            if depth == 0:
                end = match.end()
                outer = html[start:end]
                opening = _HTML_TOKENS.match(outer).group()
                blocks.append(
                    _Block(
                        tag,
                        outer,
                        opening,
                        outer[len(opening) : -len(token)],
                        token,
                    )
                )
        elif name in _VOID or token.endswith("/>"):
            if depth == 0:
                blocks.append(_Block(name, token, token))
        else:
            if depth == 0:
                start, tag = match.start(), name
            depth += 1
    return blocks


def _marked_whole(block: _Block, mark: str) -> str:
    if block.tag in _INSIDE_ONLY:
        if block.tag in _TEXT_BLOCKS:
            marked = f'<{mark} class="diff-block">{block.inner}</{mark}>'
            return block.open + marked + block.close
        # A row or a table part: mark each of its cells.
        return (
            block.open
            + "".join(_marked_whole(child, mark) for child in _blocks(block.inner))
            + block.close
        )
    return f'<{mark} class="diff-block">{block.html}</{mark}>'


def _marked_run(tokens: list[str], mark: str, *, keep_tags: bool) -> str:
    """Words and spaces in <mark>, tags outside it (or dropped)."""
    out, run = [], []

    def flush():
        if "".join(run).strip():
            out.append(f"<{mark}>{''.join(run)}</{mark}>")
        else:
            out.extend(run)
        run.clear()

    for token in tokens:
        if token.startswith("<"):
            flush()
            if keep_tags:
                out.append(token)
        else:
            run.append(token)
    flush()
    return "".join(out)


def _inline_diff(old: str, new: str) -> str:
    """The new inline HTML with the words changed since the old marked. Every
    tag of the new text is kept and none of the old, so the result nests as
    the new text does."""
    a, b = _HTML_TOKENS.findall(old), _HTML_TOKENS.findall(new)
    out = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append("".join(b[b1:b2]))
            continue
        if op in ("delete", "replace"):
            out.append(_marked_run(a[a1:a2], "del", keep_tags=False))
        if op in ("insert", "replace"):
            out.append(_marked_run(b[b1:b2], "ins", keep_tags=True))
    return "".join(out)


def _pair_diff(old: _Block, new: _Block) -> str | None:
    """Two blocks of the same kind, marked inside; None when they are not
    alike enough for that."""
    if old.tag != new.tag or not new.tag:
        return None
    if new.tag in _TEXT_BLOCKS and not _NESTED_BLOCK.search(old.inner + new.inner):
        return new.open + _inline_diff(old.inner, new.inner) + new.close
    if new.tag in _CONTAINERS:
        inner = _blocks_diff(_blocks(old.inner), _blocks(new.inner))
        return new.open + inner + new.close
    return None


def _blocks_diff(old: list[_Block], new: list[_Block]) -> str:
    out = []
    matcher = difflib.SequenceMatcher(
        a=[b.html for b in old], b=[b.html for b in new], autojunk=False
    )
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(b.html for b in new[b1:b2])
            continue
        for o, n in _paired(old[a1:a2], new[b1:b2]):
            marked = _pair_diff(o, n) if o and n else None
            if o is not None and marked is None:
                out.append(_marked_whole(o, "del"))
            if n is not None:
                out.append(marked or _marked_whole(n, "ins"))
    return "".join(out)


def _text(block: _Block) -> str:
    return _ANY_TAG.sub("", block.html)


def _paired(gone: list[_Block], came: list[_Block]):
    """(old, new) in the new order: an old block with the most alike new one of
    its kind after the last pair (if alike enough), else alone; a new one
    alone where nothing old is like it. Table cells pair by position."""
    pairs, start = {}, 0
    for i, old in enumerate(gone):
        best, best_ratio = None, _ALIKE
        for j in range(start, len(came)):
            if came[j].tag != old.tag:
                continue
            if old.tag in ("td", "th"):  # cells are paired by their column
                ratio = 1.0 if j - start == 0 else 0.0
            else:
                ratio = difflib.SequenceMatcher(
                    a=_text(old), b=_text(came[j]), autojunk=False
                ).ratio()
            if ratio > best_ratio:
                best, best_ratio = j, ratio
        if best is not None:
            pairs[best] = i
            start = best + 1
    i = 0
    for j, new in enumerate(came):
        if j in pairs:
            while i < pairs[j]:
                yield gone[i], None
                i += 1
            yield gone[i], new
            i += 1
        else:
            yield None, new
    while i < len(gone):
        yield gone[i], None
        i += 1


def rendered_diff(old_html: str, new_html: str) -> SafeString:
    """The new sanitised HTML with what changed since the old marked: words in
    <del>/<ins> within a paragraph, item or cell that changed; a paragraph,
    item, table or cell that is gone or new marked whole (class diff-block).

    Both inputs come from strategy.markdown (sanitised); only <del> and <ins>
    are added, so the result is as safe as they are."""
    return mark_safe(_blocks_diff(_blocks(old_html), _blocks(new_html)))  # noqa: S308
