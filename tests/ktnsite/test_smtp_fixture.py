"""The loopback SMTP server the mail tests rely on really receives what Django sends."""

from django.core.mail import send_mail


def test_mail_sent_by_django_arrives_at_the_loopback_server(smtp_server):
    send_mail("Hello", "Body text", "from@example.org", ["to@example.org"])
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0]["Subject"] == "Hello"
    assert smtp_server.envelopes[0] == ("from@example.org", ["to@example.org"])


def test_with_the_server_down_sending_fails_loudly(smtp_server):
    import pytest

    smtp_server.stop()
    with pytest.raises(OSError):
        send_mail("Hello", "Body", "from@example.org", ["to@example.org"])
    smtp_server.start()
    send_mail("Again", "Body", "from@example.org", ["to@example.org"])
    assert [m["Subject"] for m in smtp_server.messages] == ["Again"]
