# ktnsite's front cache: Varnish 7 with varnish-modules' xkey (Debian: varnish, varnish-modules).
#
# It keeps what the app marks `Cache-Control: public` (anonymous readers' pages) for their
# `s-maxage`, which the app never sets past the next scheduled go-live; passes the admin,
# previews and every request from someone with a session; compresses text; and forgets every
# page carrying a surrogate key when an app server sends `PURGE` with `xkey-purge: <keys>`
# (caching.purge.VarnishPurger), from the addresses in the `purgers` ACL only.
#
# The app servers, the director over them and the `purgers` ACL live in app_servers.vcl
# (an example sits beside this file): varnishd -f /etc/varnish/default.vcl finds it in
# vcl_path (/etc/varnish by default; tests pass their own with -p vcl_path=...).
vcl 4.1;

import directors;
import std;
import xkey;

# Each app server is asked for /healthz every few seconds; a sick one gets no readers.
probe healthz {
    .url = "/healthz";
    .interval = 2s;
    .timeout = 1s;
    .window = 3;
    .threshold = 2;
}

include "app_servers.vcl";

sub vcl_recv {
    set req.backend_hint = app.backend();
    # Every request reaches the app with an id its log lines carry (ktnsite.logs): the one the
    # client sent if it is a sane one (as the app checks it), else one made here from the
    # time, this transaction's number and a random part, unique across restarts and caches.
    if (req.http.X-Request-ID !~ "^[A-Za-z0-9._:-]{1,128}$") {
        set req.http.X-Request-ID = "v" + std.integer(time=now) + "-" + req.xid + "-"
            + std.integer(real=std.random(0, 999999999));
    }
    # varnishd itself appends the client's address to X-Forwarded-For before this runs, so
    # the app trusts that header's last entry: run it with DJANGO_TRUSTED_PROXY_COUNT=1
    # behind this Varnish alone (one more per proxy in front of it), or every reader shares
    # one rate-limit allowance (`manage.py check --deploy` warns: ktnsite.W003).

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purging is for the app servers only"));
        }
        if (req.http.xkey-purge) {
            set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        } elsif (req.http.xkey-softpurge) {
            set req.http.n-gone = xkey.softpurge(req.http.xkey-softpurge);
        } else {
            return (synth(400, "Name the surrogate keys in an xkey-purge header"));
        }
        return (synth(200, "Purged " + req.http.n-gone + " objects"));
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Editors, previews, the health checks (/healthz, /health/live, /health/ready), the
    # metrics and the readers' view counter (/count/view.gif: GET, from <noscript>) always
    # reach an app server, never a stored copy.
    if (req.url ~ "^/(admin|preview|metrics|count)(/|\?|$)" || req.url ~ "^/health(z|/|$)") {
        return (pass);
    }
    # Someone signed in (or with a message waiting for them) sees their own page. A session
    # cookie only counts if it could be one (Django's are 32 of a-z0-9, as
    # ktnsite.security.SESSION_KEY says): any other value (a NUL, quotes, junk) is no
    # session, and its reader gets the shared public page below.
    if (req.http.Authorization
        || req.http.Cookie ~ "(^|;\s*)sessionid=[a-z0-9]{8,128}\s*(;|$)"
        || req.http.Cookie ~ "(^|;\s*)messages=") {
        return (pass);
    }
    # Any other cookie (a CSRF cookie left by a visit to the admin's login, analytics)
    # changes no public page: dropping it lets every anonymous reader share one copy.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # The app decides what may be shared: only pages it marks public are kept, for their
    # s-maxage. Everything else (drafts, downloads, errors, redirects, pages that set a
    # cookie) is fetched anew for each request; a short hit-for-miss remembers that without
    # stopping the next answer from being kept should it become public.
    if (beresp.http.Cache-Control !~ "(^|,)\s*public" || beresp.http.Set-Cookie) {
        set beresp.uncacheable = true;
        set beresp.ttl = 10s;
        return (deliver);
    }
    # No grace: a page whose s-maxage ended (a scheduled post went live) is never served
    # stale while a fresh one is fetched.
    set beresp.grace = 0s;
    if (beresp.http.Content-Type ~ "^(text/|application/(rss\+xml|atom\+xml|xml|json|javascript)|image/svg\+xml)") {
        set beresp.do_gzip = true;
    }
    return (deliver);
}

sub vcl_deliver {
    # The keys are for this cache; readers have no use for them, and they name internal
    # ids (post-12, report-3).
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.Cache-Tag;
    # A stored page carries the id of the request that fetched it: say this request's.
    set resp.http.X-Request-ID = req.http.X-Request-ID;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
