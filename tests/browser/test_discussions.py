"""In the browser: a team member comments on a risk with an @mention and a file; the
mentioned component manager sees the notification, opens it and lands on the comment,
then opens the file; the activity feed shows the comment."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from podium.discussions.models import Comment
from podium.risks.services import create_risk
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login/**")


def test_mention_with_attachment_in_the_browser(
    page: Any, world: World, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    risk = create_risk(
        actor=world.pm, program=world.alpha, component=world.comp, title="Vendor delivers late"
    )
    letter = tmp_path / "vendor-letter.pdf"
    letter.write_bytes(PDF)

    sign_in(page, "team", PASSWORD)
    page.goto(f"/programs/ALPHA/risks/{risk.pk}/")
    page.get_by_role("link", name="Discussion (0)").click()
    page.wait_for_url(f"**/programs/ALPHA/discussions/risk/{risk.pk}/")
    page.get_by_label("Your comment").fill(
        "The vendor moved the date again. @cm please look at **their letter**."
    )
    page.get_by_label("Attachment").set_input_files(str(letter))
    page.get_by_role("button", name="Comment", exact=True).click()
    expect(page.locator(".msg-success")).to_contain_text("Comment added")
    comment = Comment.objects.get()
    assert page.url.endswith(f"#comment-{comment.pk}")
    article = page.locator(f"#comment-{comment.pk}")
    expect(article.locator("strong", has_text="their letter")).to_be_visible()
    expect(article.get_by_role("link", name="@cm")).to_be_visible()
    expect(article.get_by_role("link", name="vendor-letter.pdf")).to_be_visible()
    sign_out(page)

    sign_in(page, "cm", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Notifications").click()
    page.get_by_role("button", name=f"team mentioned you on risk {risk}").click()
    page.wait_for_url(f"**/programs/ALPHA/discussions/risk/{risk.pk}/#comment-{comment.pk}")
    target = page.locator(f"#comment-{comment.pk}")
    expect(target).to_contain_text("The vendor moved the date again.")
    assert page.evaluate("location.hash") == f"#comment-{comment.pk}"
    with page.expect_download() as download:
        target.get_by_role("link", name="vendor-letter.pdf").click()
    assert download.value.suggested_filename == "vendor-letter.pdf"

    page.goto("/programs/ALPHA/")
    page.get_by_role("navigation", name="Program").get_by_role("link", name="Activity feed").click()
    page.wait_for_url("**/programs/ALPHA/activity/")
    expect(page.locator(".discussions-feed")).to_contain_text("commented on")
    assert not [e for e in page.console.errors if "Content Security Policy" in e]
