"""Differences between two versions of the strategy, section by section.

Sections are matched across versions by their key (copied with the version).
Words inserted are wrapped in <ins>, words deleted in <del>; the page shows a
legend, so that the marking does not rely on colour alone.
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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


def versions_diff(old_sections, new_sections) -> list[SectionDiff]:
    """Each section of the new version, then the removed ones, with what changed."""
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
                    "added", escape(section.heading), words_diff("", section.body)
                )
            )
            continue
        old = old_by_key[section.key][1]
        same = old.heading == section.heading and old.body == section.body
        result.append(
            SectionDiff(
                "same" if same else "changed",
                words_diff(old.heading, section.heading),
                words_diff(old.body, section.body),
                moved=section.key not in in_order,
            )
        )
    for section in old_sections:
        if section.key not in new_keys:
            result.append(
                SectionDiff(
                    "removed", escape(section.heading), words_diff(section.body, "")
                )
            )
    return result
