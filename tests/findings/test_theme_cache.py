"""The theme view comes from the cache, and every change it shows is seen at
once: tags, findings (edits, order, merges), sources and the tagged answers."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from findings.models import Finding, ItemTag, Source
from mipr.ordering import move_in_order
from workshops import services as workshop_services
from workshops.models import Answer

pytestmark = pytest.mark.django_db

SLUG = "mipr-2026-2029"
URL = f"/strategi/{SLUG}/funn/"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def page(as_user, mipr):
    client = as_user("arbeidsgruppe")

    def get():
        return client.get(URL).content.decode()

    get()  # cached from here on
    return get


@pytest.fixture
def trust(mipr):
    return mipr.findings.get(title="Tillit og samarbeid")


def titles(html):
    return re.findall(r'<h2 class="h4" id="finding-\d+">([^<]+)</h2>', html)


def test_a_new_tag_and_a_removed_one_show_at_once(page, trust, mipr):
    group = mipr.workshops.get().groups.get(number=5)
    question = mipr.workshops.get().questions.get(number=1)
    text = "Gruppe fem vil ha felles innkjøp."
    workshop_services.answer_save(
        group=group,
        question=question,
        content=[{"text": text}],
        version=0,
        editor="Kari",
    )
    answer = Answer.objects.get(group=group, question=question)
    assert text not in page()
    tag = ItemTag.objects.create(finding=trust, answer=answer, slot=0)
    assert text in page()
    tag.delete()
    assert text not in page()


def test_an_edited_finding_and_a_new_order_show_at_once(page, trust, mipr):
    trust.title = "Tillit, samarbeid og åpenhet"
    trust.save()
    before = titles(page())
    assert "Tillit, samarbeid og åpenhet" in before
    move_in_order(mipr.findings.all(), pk=trust.pk, direction=1)
    after = titles(page())
    assert after != before and sorted(after) == sorted(before)


def test_merging_findings_shows_at_once(page, trust, mipr):
    from findings.services import finding_merge

    others = list(mipr.findings.exclude(pk=trust.pk)[:1])
    finding_merge(into=trust, others=others)
    assert len(titles(page())) == Finding.objects.filter(process=mipr).count()


def test_a_linked_and_an_edited_source_show_at_once(page, trust, mipr):
    source = Source.objects.filter(process=mipr).exclude(findings=trust).first()
    trust.sources.add(source)
    part = page().split("Tillit og samarbeid", 1)[1].split('class="card mb-3"')[0]
    assert source.title in part
    source.title = "Et nytt navn på kilden"
    source.save()
    assert "Et nytt navn på kilden" in page()


def test_a_tagged_answer_rewritten_by_its_group_shows_at_once(page, trust):
    tag = ItemTag.objects.filter(finding=trust).select_related("answer").first()
    answer = tag.answer
    old = answer.question.filled_slots(answer.content)[tag.slot].text
    assert old in page()
    content = [dict(slot) for slot in answer.content]
    content[tag.slot] = {**content[tag.slot], "text": "Helt ny tekst fra gruppen."}
    result = workshop_services.answer_save(
        group=answer.group,
        question=answer.question,
        content=content,
        version=answer.version,
        editor="Simen",
    )
    assert result.outcome == "saved"
    html = page()
    assert "Helt ny tekst fra gruppen." in html and old not in html


def test_the_cached_move_buttons_carry_each_readers_own_token(people, mipr, trust):
    first = Client(enforce_csrf_checks=True)
    first.force_login(people["sekretariat"])
    first.get(URL)
    second = Client(enforce_csrf_checks=True)
    second.force_login(people["arbeidsgruppe"])
    html = second.get(URL).content.decode()
    form = re.search(
        rf'action="(/strategi/{SLUG}/funn/{trust.pk}/flytt/)">\s*'
        r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"',
        html,
    )
    assert form, "the move form of the finding"
    response = second.post(
        form.group(1), {"direction": "down", "csrfmiddlewaretoken": form.group(2)}
    )
    assert response.status_code == 302


def test_the_view_follows_the_language(as_user, mipr):
    client = as_user("arbeidsgruppe")
    assert "Sitater fra gruppene" in client.get(URL).content.decode()
    client.cookies["django_language"] = "en"
    assert "Quotes from the groups" in client.get(URL).content.decode()
