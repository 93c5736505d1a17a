"""import_wordpress_opportunities maps an opportunity custom post type, with its date, funder and apply-link meta."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from opportunities.models import Opportunity
from tests.factories import write_wxr, wxr_post

pytestmark = pytest.mark.django_db


def _with_meta(item, **meta):
    extra = "".join(
        f"<wp:postmeta><wp:meta_key>{key}</wp:meta_key>"
        f"<wp:meta_value><![CDATA[{value}]]></wp:meta_value></wp:postmeta>"
        for key, value in meta.items()
    )
    return item.replace("</item>", extra + "</item>")


def _export(tmp_path, items):
    path = tmp_path / "export.xml"
    with path.open("w") as handle:
        write_wxr(handle, items)
    return str(path)


def test_an_opportunity_post_type_becomes_an_opportunity_once(tmp_path):
    items = [
        _with_meta(
            wxr_post(
                11,
                "Smart grids",
                slug="smart-grids",
                body="<p>Money.</p><script>x</script>",
                post_type="opportunity",
            ),
            registration_opens="08/02/2021 09:00",
            registration_closes="14/04/2021 11:00",
            organisation="Innovate UK",
            link="https://apply-for-innovation-funding.service.gov.uk/competition/1",
        ),
        wxr_post(12, "A normal post", slug="normal", post_type="post"),
        _with_meta(
            wxr_post(13, "Backwards", slug="backwards", post_type="opportunity"),
            registration_opens="2021-05-01 09:00",
            registration_closes="2021-04-01 09:00",
        ),
    ]
    path = _export(tmp_path, items)
    options = dict(
        opens_key="registration_opens",
        closes_key="registration_closes",
        funder_key="organisation",
        apply_key="link",
    )
    out, err = StringIO(), StringIO()
    call_command("import_wordpress_opportunities", path, stdout=out, stderr=err, **options)
    assert "1 made" in out.getvalue()
    assert "closes before it opens" in err.getvalue()
    opportunity = Opportunity.objects.get()
    assert (opportunity.title, opportunity.funder) == ("Smart grids", "Innovate UK")
    assert opportunity.closes_text == "11am BST on 14 April 2021"
    assert opportunity.opens_text == "9am GMT on 8 February 2021"
    assert "<script>" not in opportunity.body
    assert opportunity.is_live
    call_command("import_wordpress_opportunities", path, stdout=out, stderr=StringIO(), **options)
    assert Opportunity.objects.count() == 1 and "1 updated" in out.getvalue()


def test_a_file_that_is_not_an_export_is_a_clear_error(tmp_path):
    path = tmp_path / "not.xml"
    path.write_text("<html></html>")
    with pytest.raises(CommandError, match="not a WordPress export"):
        call_command("import_wordpress_opportunities", str(path))
