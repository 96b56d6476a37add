"""Where a finding is used beyond this app: the strategy sections that cite it.

Asked before a finding is deleted. The strategy app registers a function with
`used_by` (see mipr/hooks.py) that lists its uses of one finding.
"""

from dataclasses import dataclass

from mipr.hooks import Hook

used_by = Hook("what uses a finding")


@dataclass
class Use:
    text: str
    url: str


def uses_of(finding) -> list[Use]:
    return [use for uses in used_by.results(finding=finding) for use in uses]
