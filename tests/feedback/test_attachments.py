"""Oversize or disallowed attachments and empty text: a field error naming the field,
and nothing stored — no item, no file — through the page and the API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from podium.feedback.models import FeedbackAttachment, FeedbackItem
from tests.feedback.conftest import Feedback, files_under

PDF = b"%PDF-1.4\n" + b"x" * 100
BAD = [
    ("huge.pdf", b"%PDF-1.4\n" + b"x" * (5 * 1024 * 1024 + 1), "at most 5 MB"),
    ("tool.exe", b"MZ\x90\x00", "not an accepted type"),
    ("fake.pdf", b"just text pretending", "not a real .pdf"),
    ("empty.txt", b"", ""),
]


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(("name", "content", "message"), BAD)
def test_page_refuses_bad_attachment(
    fb: Feedback, media_in_tmp: Path, name: str, content: bytes, message: str
) -> None:
    response = client_for(fb.stakeholder).post(
        "/programs/ALPHA/my-feedback/",
        {"text": "See the file.", "category": "quality",
         "attachment": SimpleUploadedFile(name, content)},
    )  # fmt: skip
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "attachment" in errors and message in " ".join(errors["attachment"])
    assert FeedbackItem.objects.count() == 0 and FeedbackAttachment.objects.count() == 0
    assert files_under(media_in_tmp) == []


def test_page_refuses_empty_text(fb: Feedback, media_in_tmp: Path) -> None:
    response = client_for(fb.stakeholder).post(
        "/programs/ALPHA/my-feedback/",
        {"text": "   ", "category": "quality", "attachment": SimpleUploadedFile("ok.pdf", PDF)},
    )
    assert "text" in response.context["form"].errors
    assert "cannot be empty" in response.content.decode()
    assert FeedbackItem.objects.count() == 0 and files_under(media_in_tmp) == []


@pytest.mark.parametrize(("name", "content", "message"), BAD)
def test_api_refuses_bad_attachment(
    fb: Feedback, media_in_tmp: Path, api_as: Any, name: str, content: bytes, message: str
) -> None:
    api = api_as(fb.stakeholder)
    response = api.client.post(
        "/api/v1/programs/ALPHA/feedback/upload",
        {"text": "See the file.", "attachment": SimpleUploadedFile(name, content)},
        headers=api.headers,
    )
    assert response.status_code == 422
    assert "attachment" in response.json()["errors"]
    assert FeedbackItem.objects.count() == 0 and files_under(media_in_tmp) == []


def test_api_refuses_empty_text(fb: Feedback, api_as: Any) -> None:
    response = api_as(fb.stakeholder).post("/programs/ALPHA/feedback", {"text": ""})
    assert response.status_code == 422 and "text" in response.json()["errors"]
    assert FeedbackItem.objects.count() == 0


def test_good_attachment_is_stored_and_only_readable_by_who_sees_the_item(
    fb: Feedback, media_in_tmp: Path
) -> None:
    response = client_for(fb.stakeholder).post(
        "/programs/ALPHA/my-feedback/",
        {"text": "Photo of the sign.", "category": "quality", "rating": "2",
         "attachment": SimpleUploadedFile("sign.pdf", PDF)},
    )  # fmt: skip
    assert response.status_code == 302
    attachment = FeedbackAttachment.objects.get()
    assert attachment.item.rating == 2 and len(files_under(media_in_tmp)) == 1
    url = f"/programs/ALPHA/feedback-attachments/{attachment.pk}/"
    assert client_for(fb.stakeholder).get(url).status_code == 200
    assert client_for(fb.pm).get(url).status_code == 200
    assert client_for(fb.other).get(url).status_code == 404
