"""Files an editor uploads in the admin never run as active content on the site's
origin: documents come back as sandboxed downloads (a PDF excepted), and a picture is
stored only once Pillow has decoded it."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from wagtail.documents.models import Document
from wagtail.models import Collection

from conftest import LEDGER
from newsroom.news.models import NewsImage
from newsroom.news.tests.admin_forms import sign_in

SCRIPTED_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.domain)</script><rect width='10' height='10'/></svg>"
)
HTML_PAGE = b"<!doctype html><html><body><script>alert(document.cookie)</script>"
SANDBOXED = "default-src 'none'; sandbox"


@pytest.fixture
def editor(network):
    return sign_in(Client(HTTP_HOST=LEDGER), "editor")


def root_collection() -> str:
    return str(Collection.get_first_root_node().pk)


def upload_document(editor, name, data, content_type) -> Document:
    before = Document.objects.count()
    response = editor.post(
        "/cms/documents/add/",
        {
            "title": name,
            "file": SimpleUploadedFile(name, data, content_type),
            "collection": root_collection(),
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert Document.objects.count() == before + 1
    return Document.objects.latest("pk")


def png(size=(12, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def upload_image(editor, name, data):
    return editor.post(
        "/cms/images/add/",
        {
            "title": "Ferry at dusk",
            "file": SimpleUploadedFile(name, data, "image/png"),
            "collection": root_collection(),
            "caption": "FILE PHOTO: A ferry at dusk.",
        },
    )


@pytest.mark.parametrize(
    "name, data, content_type",
    [
        ("chart.svg", SCRIPTED_SVG, "image/svg+xml"),
        ("results.html", HTML_PAGE, "text/html"),
        ("feed.xml", b"<?xml version='1.0'?><x:script xmlns:x='x'/>", "text/xml"),
    ],
)
def test_a_document_that_could_run_comes_back_as_a_sandboxed_download(
    editor, ledger, name, data, content_type
):
    document = upload_document(editor, name, data, content_type)

    response = ledger.get(document.url)  # a reader, signed out

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert name in response["Content-Disposition"]
    assert response["Content-Security-Policy"] == SANDBOXED
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == data
    # Revalidating the reader's copy keeps the same policy.
    again = ledger.get(document.url, HTTP_IF_NONE_MATCH=f'"{document.file_hash}"')
    assert again.status_code == 304
    assert again["Content-Security-Policy"] == SANDBOXED


def test_a_pdf_opens_in_the_browser_without_a_sandbox_its_viewer_would_refuse(
    editor, ledger
):
    document = upload_document(
        editor, "annual-report.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"
    )

    response = ledger.get(document.url)

    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("photo.png", HTML_PAGE, "Upload a valid image."),
        ("photo.png", SCRIPTED_SVG, "The extension does not match the file format"),
        ("chart.svg", SCRIPTED_SVG, "Not a supported image format."),
        # A PNG's first bytes and nothing of its pixels: Willow takes it for a PNG.
        ("photo.png", png()[:60] + HTML_PAGE, "could not be read as a picture"),
    ],
)
def test_a_file_that_is_not_a_decodable_picture_is_refused_as_an_image(
    editor, name, data, message
):
    before = NewsImage.objects.count()

    response = upload_image(editor, name, data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert NewsImage.objects.count() == before


def test_a_decoded_picture_is_stored_and_served_as_an_inert_image(editor, ledger):
    response = upload_image(editor, "ferry.png", png())
    assert response.status_code == 302
    image = NewsImage.objects.latest("pk")

    served = ledger.get(f"/media/{image.file.name}")

    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"]


def test_media_serves_no_file_but_pictures(ledger, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "original_images").mkdir()
    (tmp_path / "original_images" / "ferry.png").write_bytes(png())
    for name in ("page.html", "chart.svg", "ferry.png.html"):
        (tmp_path / "original_images" / name).write_bytes(HTML_PAGE)

    assert ledger.get("/media/original_images/ferry.png").status_code == 200
    for name in ("page.html", "chart.svg", "ferry.png.html"):
        assert ledger.get(f"/media/original_images/{name}").status_code == 404, name
