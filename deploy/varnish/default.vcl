# ktnsite's front cache: Varnish 7 with varnish-modules' xkey (Debian: varnish, varnish-modules).
#
# It keeps what the app marks `Cache-Control: public` (anonymous readers' pages) for their
# `s-maxage`, which the app never sets past the next scheduled go-live; passes the admin,
# previews and every request from someone with a session; compresses text; and forgets every
# page carrying a surrogate key when an app server sends `PURGE` with `xkey-purge: <keys>`
# (publishing.purge.VarnishPurger), from the addresses in the `purgers` ACL only.
#
# The app servers, the director over them and the `purgers` ACL live in app_servers.vcl
# (an example sits beside this file): varnishd -f /etc/varnish/default.vcl finds it in
# vcl_path (/etc/varnish by default; tests pass their own with -p vcl_path=...).
vcl 4.1;

import directors;
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
    # Editors, previews and the health check always reach an app server.
    if (req.url ~ "^/(admin|preview)(/|$)" || req.url ~ "^/healthz") {
        return (pass);
    }
    # Someone signed in (or with a message waiting for them) sees their own page.
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
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
    # The keys are for this cache; readers have no use for them.
    unset resp.http.xkey;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
