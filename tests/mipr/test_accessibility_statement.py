def test_the_accessibility_statement_says_what_is_tested_the_gaps_and_whom_to_ask(
    client, settings
):
    settings.ACCESSIBILITY_CONTACT = "uu@mipr.example"
    response = client.get("/tilgjengelighet/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Tilgjengelighetserklæring</h1>" in html
    assert "Slik tester vi" in html and "Kjente mangler" in html
    assert "uu@mipr.example" in html


def test_every_page_links_to_the_accessibility_statement(client):
    assert 'href="/tilgjengelighet/"' in client.get("/logg-inn/").content.decode()
