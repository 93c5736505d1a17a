"""Bad input gets a 4xx, never a 500: NUL and absurd lengths, huge Range headers, TRACE/OPTIONS."""

import pytest

from tests.factories import enquiry_form_data, make_contact, make_report, make_topic

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/contacts/?topic=%00",
        "/news/?topic=a%00b",
        "/reports/?year=2021%00",
        "/search/?q=%00",
        "/news/?%00=1",
        "/contacts/?topic=" + "a" * 5000,
        "/search/?q=" + "carbon+" * 1000,
    ],
)
def test_a_nul_or_absurdly_long_query_value_gets_the_400_page(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


def test_an_ordinary_query_still_works(client):
    make_topic(slug="net-zero")
    assert client.get("/contacts/?topic=net-zero").status_code == 200
    assert client.get("/search/?q=" + "carbon+" * 50).status_code == 200


def test_a_nul_in_a_form_field_gets_the_400_page_and_stores_nothing(client):
    contact = make_contact()
    response = client.post(
        contact.get_absolute_url(),
        enquiry_form_data(name="A\x00B"),
    )
    assert response.status_code == 400
    assert contact.enquiries.count() == 0
    signup = client.post("/mailing-list/", {"email": "reader@example.org\x00", "consent": "on"})
    assert signup.status_code == 400


@pytest.mark.parametrize(
    "header",
    ["bytes=" + "9" * 5000 + "-", "bytes=0-" + "9" * 5000, "bytes=-" + "9" * 5000],
)
def test_a_range_header_with_thousands_of_digits_gets_416_or_the_file(client, header):
    report = make_report()
    response = client.get(report.get_absolute_url() + "download/", HTTP_RANGE=header)
    assert response.status_code in (200, 206, 416)
    if response.status_code == 416:
        assert response["Content-Range"] == f"bytes */{report.file_size}"
    else:
        body = b"".join(response.streaming_content)
        assert body == report.file.open("rb").read()


def test_a_range_starting_past_the_end_in_many_digits_is_416(client):
    report = make_report()
    response = client.get(
        report.get_absolute_url() + "download/", HTTP_RANGE="bytes=" + "9" * 40 + "-"
    )
    assert response.status_code == 416


@pytest.mark.parametrize("method", ["trace", "put", "delete", "patch"])
def test_unused_methods_get_405(client, method):
    response = getattr(client, method)("/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST, OPTIONS"


def test_options_lists_the_methods_without_running_the_page(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.options("/news/")
    assert response.status_code == 200
    assert response["Allow"] == "GET, HEAD, POST, OPTIONS"
    assert response.content == b""
