"""What the theme view and the summary show: groups counted once, quotes."""

import pytest

from findings import services
from findings.themes import themes as themes_of
from tests.findings.helpers import answer, finding

pytestmark = pytest.mark.django_db


def test_a_group_counts_once_however_many_of_its_items_are_tagged(mipr):
    trust = finding(mipr, "Tillit og samarbeid")
    group_1 = answer(mipr, 1, 1)
    # Two more items of group 1 and group 2's first item.
    services.item_set_findings(answer=group_1, slot=0, findings=[trust])
    services.item_set_findings(answer=group_1, slot=1, findings=[trust])
    services.item_set_findings(
        answer=answer(mipr, 2, 1),
        slot=0,
        findings=[trust, finding(mipr, "Bygge ny identitet")],
    )
    themes = {t.finding.title: t for t in themes_of(process=mipr)}
    theme = themes["Tillit og samarbeid"]
    # Demo tags: group 1 item 3 and group 3's item; now also group 1 items 1-2
    # and group 2 item 1 (tagged twice: into two findings).
    assert [g.name for g in theme.groups] == ["Gruppe 1", "Gruppe 2", "Gruppe 3"]
    assert theme.group_count == 3
    assert len(theme.quotes) == 5
    identity = themes["Bygge ny identitet"]
    assert [g.name for g in identity.groups] == ["Gruppe 2"]
    assert [q.text for q in identity.quotes] == ["Boliger for unge"]


def test_an_empty_item_is_not_quoted_or_counted(mipr):
    trust = finding(mipr, "Tillit og samarbeid")
    empty = answer(mipr, 2, 1)  # its third item is empty
    services.item_set_findings(answer=empty, slot=2, findings=[trust])
    theme = themes_of(process=mipr)[0]
    assert "Gruppe 2" not in [g.name for g in theme.groups]
