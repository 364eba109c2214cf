#
# Varnish in front of Newsroom's app servers (Varnish 7 with varnish-modules' xkey).
#
# What may be stored and for whom follows the app's own rules (issue 15's contract,
# docs/deployment.md "Varnish"):
# - Only GET and HEAD are looked up. A request without a `sessionid` or `messages`
#   cookie is anonymous: its Cookie header is dropped and it gets the shared page.
# - A signed-in reader whose browser runs the overlay script (`nr_overlay=1`) may be
#   served a stored page that says it is the same for everyone
#   (`X-Newsroom-Shared: 1`); any other signed-in request goes to the app with its
#   cookies, and no signed-in request ever fills the cache.
# - Nothing with Set-Cookie, `Cache-Control: private/no-store/no-cache` or without
#   an explicit lifetime (`s-maxage`/`max-age`) is stored. Varnish reads s-maxage
#   into the TTL and stale-while-revalidate into the grace, so a hot page is served
#   stale for a moment while one fetch refreshes it.
# - The app tags each stored page with surrogate keys (`xkey: article-12 site-2 …`)
#   and purges them with `PURGE /` and an `xkey-purge: <keys>` header.
# - Live streams (Server-Sent Events) go straight through, unbuffered.
#
# The app servers, their health probe's Host and the addresses allowed to purge
# besides this machine live in newsroom-backends.vcl, found on vcl_path:
# deploy/cluster.py writes one; newsroom-backends.example.vcl is the template for
# a real install.

vcl 4.1;

import directors;
import std;
import xkey;

# Cheap for the app: robots.txt is a small text answer with no database work.
probe app_health {
    .url = "/robots.txt";
    .interval = 2s;
    .timeout = 2s;
    .window = 5;
    .threshold = 3;
    # Healthy from the start, so traffic flows as soon as Varnish is up.
    .initial = 3;
}

# The app servers purge from this machine; purgers_extra adds the others.
acl purgers {
    "localhost";
    "127.0.0.1";
    "::1";
}

# Defines the backends, `acl purgers_extra` and a `sub vcl_init` that puts the
# backends in the `app_servers` round-robin director.
include "newsroom-backends.vcl";

sub vcl_recv {
    set req.backend_hint = app_servers.backend();
    # Internal markers of this VCL: never trust a client's copy.
    unset req.http.X-Newsroom-Overlay;
    unset req.http.X-Newsroom-Encoding;

    if (req.method == "PURGE") {
        call newsroom_purge;
    }
    call vcl_req_host;
    call vcl_req_method;
    call vcl_req_authorization;

    # Live streams: never stored, and passed on as each event is written.
    if (req.url ~ "^/comments/on/[0-9]+/events/" ||
        req.url ~ "^/notifications/stream/") {
        return (pass);
    }
    # Static files and uploads are the same for everyone.
    if (req.url ~ "^/(static|media)/") {
        unset req.http.Cookie;
    }
    call newsroom_encoding;

    if (req.http.Cookie !~ "(^|;\s*)(sessionid|messages)=") {
        # Anonymous: the shared page. Other cookies (csrftoken, nr_overlay,
        # analytics) change nothing the app renders for an anonymous reader.
        unset req.http.Cookie;
        return (hash);
    }
    if (req.http.Cookie ~ "(^|;\s*)messages=") {
        # A message waits to be shown (e.g. "You have signed out"): only the app
        # renders it.
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;\s*)nr_overlay=1(;|$)") {
        # Signed in, with the overlay script running: a stored shared page will do
        # (checked in vcl_hit); on a miss, pass with the cookies (vcl_miss).
        set req.http.X-Newsroom-Overlay = "1";
        return (hash);
    }
    return (pass);
}

sub newsroom_purge {
    unset req.http.X-Purged;
    if (client.ip !~ purgers && client.ip !~ purgers_extra) {
        return (synth(403, "Forbidden"));
    }
    if (req.http.xkey-purge) {
        set req.http.X-Purged = xkey.purge(req.http.xkey-purge);
    } elsif (req.http.xkey-softpurge) {
        set req.http.X-Purged = xkey.softpurge(req.http.xkey-softpurge);
    } else {
        return (synth(400, "PURGE needs an xkey-purge or xkey-softpurge header"));
    }
    std.log("purged " + req.http.X-Purged + " objects");
    return (synth(200, "Purged"));
}

# Varnish rewrites Accept-Encoding to "gzip" (or removes it) after vcl_recv and
# keeps gzip bodies compressed itself. A client that takes brotli gets an object of
# its own, fetched with `Accept-Encoding: br`, so the app's brotli body is stored
# and served as it is (Vary: Accept-Encoding still covers the rest).
sub newsroom_encoding {
    if (req.http.Accept-Encoding ~ "\bbr\b" &&
        req.http.Accept-Encoding !~ "\bbr\s*;\s*q=0(\.0*)?\s*(,|$)") {
        set req.http.X-Newsroom-Encoding = "br";
    }
}

sub vcl_hash {
    hash_data(req.url);
    if (req.http.host) {
        hash_data(req.http.host);
    } else {
        hash_data(server.ip);
    }
    if (req.http.X-Newsroom-Encoding) {
        hash_data(req.http.X-Newsroom-Encoding);
    }
    return (lookup);
}

sub vcl_hit {
    if (req.http.X-Newsroom-Overlay && obj.http.X-Newsroom-Shared != "1") {
        # Stored for anonymous readers only: the app renders this reader's page.
        return (pass);
    }
    set req.http.X-Cache = "HIT";
}

sub vcl_miss {
    if (req.http.X-Newsroom-Overlay) {
        # A signed-in request never fills the cache.
        return (pass);
    }
    set req.http.X-Cache = "MISS";
}

sub vcl_pass {
    set req.http.X-Cache = "PASS";
}

sub vcl_backend_fetch {
    if (!bereq.uncacheable) {
        # A fill (including a background refresh that a signed-in overlay request
        # set off) is always fetched as an anonymous reader.
        unset bereq.http.Cookie;
        if (bereq.http.X-Newsroom-Encoding == "br") {
            set bereq.http.Accept-Encoding = "br";
        }
    }
    unset bereq.http.X-Newsroom-Overlay;
    unset bereq.http.X-Newsroom-Encoding;
}

sub vcl_backend_response {
    if (bereq.uncacheable) {
        # Passed: streams (Server-Sent Events) go to the reader as they are written.
        set beresp.do_stream = true;
        return (deliver);
    }
    if (beresp.http.Cache-Control !~ "(?i)(^|[,\s])(s-maxage|max-age)=") {
        # The app says how long a page may be kept; without that, it may not.
        set beresp.ttl = 0s;
    } elsif (beresp.ttl <= 0s && beresp.grace > 0s &&
             std.integer(beresp.http.Age, 0) > 0) {
        # Stale on arrival: the app's own page cache answered with a copy past
        # its s-maxage (Age) while it renders the page again. Keep it a second
        # and then for its grace, as any stale page, rather than sending every
        # reader to the app until then.
        set beresp.ttl = 1s;
    }
    # Set-Cookie, private/no-store/no-cache, Vary: * and a zero TTL make a
    # hit-for-miss object, as Varnish's built-in rules do.
    call vcl_builtin_backend_response;
    # Kept past grace so that a later fetch can revalidate it with the app's
    # ETag (If-None-Match) instead of downloading the page again.
    set beresp.keep = 10m;
    return (deliver);
}

sub vcl_deliver {
    set resp.http.X-Cache = req.http.X-Cache;
    if (!req.http.X-Newsroom-Debug) {
        # Surrogate keys are for this cache only; send `X-Newsroom-Debug: 1` to
        # see them.
        unset resp.http.xkey;
    }
}

sub vcl_synth {
    if (req.method == "PURGE") {
        if (req.http.X-Purged) {
            set resp.http.X-Purged = req.http.X-Purged;
        }
        set resp.http.Content-Type = "text/plain; charset=utf-8";
        set resp.body = resp.reason + {"
"};
        return (deliver);
    }
}
