import csv
import io

from audit.models import Action, AuditEvent
from tests.browser.helpers import assert_accessible, nav_link, sign_in


def test_the_privacy_officer_exports_the_audit_log_from_the_menu(
    page: object, transactional_db: None, demo_users: dict
) -> None:
    sign_in(page, "privacy")
    nav_link(page, "Auditlog").click()
    assert page.locator("h1").inner_text() == "Auditlog exporteren"
    assert_accessible(page)

    page.get_by_label("Vanaf (datum)").fill("2026-03-02")
    page.get_by_label("Tot en met (datum)").fill("2026-03-01")
    page.get_by_role("button", name="Exporteren").click()
    assert "De einddatum ligt voor de begindatum." in page.content()
    assert page.get_by_label("Vanaf (datum)").input_value() == "2026-03-02"
    assert_accessible(page)

    page.get_by_label("Tot en met (datum)").fill("")
    page.get_by_label("Vanaf (datum)").fill("")
    page.get_by_label("Actie").select_option("login")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Exporteren").click()
    text = download_info.value.path().read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["actor"] for r in rows] == ["privacy"]
    assert AuditEvent.objects.filter(action=Action.EXPORT, actor="privacy").count() == 1
