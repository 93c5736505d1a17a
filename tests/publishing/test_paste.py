"""Pasting from Word or a web page into CKEditor: what is stored is clean markup."""

import pytest
from django.urls import reverse

from news.models import Post
from tests.factories import admin_post_data, make_staff

pytestmark = pytest.mark.django_db

WORD_PASTE = """
<!--[if gte mso 9]><xml><o:OfficeDocumentSettings></o:OfficeDocumentSettings></xml><![endif]-->
<p class="MsoNormal" style="margin-bottom:0cm;line-height:normal"><b><span lang="EN-GB"
style="font-size:12.0pt;font-family:&quot;Calibri&quot;,sans-serif;mso-fareast-font-family:
&quot;Times New Roman&quot;">Funding</span></b><span style="font-family:Calibri"> of £2m<o:p></o:p></span></p>
<p class="MsoListParagraphCxSpFirst" style="mso-list:l0 level1 lfo1"><span style="font-family:Symbol">
<span style="mso-list:Ignore">·<span style="font:7.0pt &quot;Times New Roman&quot;">&nbsp;</span></span></span>
<a href="https://example.org/" onclick="steal()" style="color:red">A partner</a></p>
<font face="Arial" color="red">old-school</font><img src="x" onerror="alert(1)">
<table class="MsoTableGrid" border="1" style="border-collapse:collapse"><tr><td width="300" style="width:225pt">Cell</td></tr></table>
"""

WEB_PASTE = """<div class="article" data-track="x"><h1 style="font-size:40px">Big</h1>
<h2 id="x">Section</h2><script>alert(1)</script><iframe src="https://evil.example"></iframe>
<a href="javascript:alert(1)">bad link</a><ul><li style="color:blue">Point</li></ul></div>"""


@pytest.mark.parametrize(
    ("pasted", "kept"),
    [(WORD_PASTE, "<b>Funding</b>"), (WEB_PASTE, "<h2>Section</h2>")],
    ids=["word", "web page"],
)
def test_pasted_markup_is_stored_clean(client, pasted, kept):
    client.force_login(make_staff("ed", groups=["Editors"]))
    client.post(reverse("admin:news_post_add"), admin_post_data(body=pasted))
    body = Post.objects.get().body
    for residue in [
        "style=", "class=", "mso", "<o:p", "<span", "<font", "<script", "onclick", "onerror",
        "<iframe", "javascript:", "<img", "<!--", "<div", "<h1", "data-track", "width=",
    ]:  # fmt: skip
        assert residue not in body, residue
    assert kept in body
    assert body.count("<p>") + body.count("<li>") >= 1


def test_the_news_toolbar_offers_what_editors_need_and_no_image_upload(settings):
    config = settings.CKEDITOR_CONFIGS["default"]
    buttons = {button for group in config["toolbar_News"] for button in group}
    assert {"Format", "Bold", "Italic", "Link", "BulletedList", "NumberedList"} <= buttons
    assert {"Blockquote", "Table", "RemoveFormat"} <= buttons
    assert "Image" not in buttons
    assert config["format_tags"] == "p;h2;h3;h4"
