"""Security headers for ktnsite.settings: the Content-Security-Policy of readers' pages and
of the admin (django-csp), and the Permissions-Policy (django-permissions-policy)."""

from urllib.parse import urlsplit


def _origin(url):
    """The scheme://host of an absolute URL (a CDN or bucket), or None for a local path."""
    parts = urlsplit(url)
    return f"{parts.scheme or 'https'}://{parts.netloc}" if parts.netloc else None


# Content-Security-Policy (django-csp). Readers' pages run only our own script file: no
# inline script or style, no plugins, no framing, forms post only to us. Static files may
# live on a CDN (STATIC_URL); uploaded images on another host (an S3 bucket, a CDN, an
# absolute MEDIA_URL), which ktnsite.security.CSPMiddleware adds to img-src, asking the
# storage where it links them. JSON-LD blocks are data, not script, so they need no nonce
# (tests/browser/test_csp.py proves it in Chromium).
def csp_policies(static_url, report_uri):
    """The readers' policy, and the directives the admin gets in place of theirs."""
    static_hosts = [o for o in [_origin(static_url)] if o]
    readers = {
        "DIRECTIVES": {
            "default-src": ["'self'"],
            "script-src": ["'self'", *static_hosts],
            "style-src": ["'self'", *static_hosts],
            "img-src": ["'self'", "data:", *static_hosts],
            "font-src": ["'self'", *static_hosts],
            "object-src": ["'none'"],
            "base-uri": ["'self'"],
            "frame-ancestors": ["'none'"],
            "form-action": ["'self'"],
            "report-uri": report_uri or None,
        }
    }
    # The admin gets these directives in place of the readers' ones, under its own URL prefix
    # only (ktnsite.security.CSPMiddleware): django-ckeditor's CKEditor 4 writes inline styles and
    # inline script into its toolbar and editing frame, and without 'unsafe-inline' for scripts
    # typing never reaches the editor. It needs no 'unsafe-eval'.
    admin = {
        "script-src": ["'self'", "'unsafe-inline'", *static_hosts],
        "style-src": ["'self'", "'unsafe-inline'", *static_hosts],
        "img-src": ["'self'", "data:", "blob:", *static_hosts],
    }
    return readers, admin


# Permissions-Policy (django-permissions-policy): the site uses no camera, microphone,
# location, payment or USB, so no page (nor anything injected into one) may ask for them.
# Clipboard and Web Share stay at the browser's default (this origin) for the share panel.
PERMISSIONS = {
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}
