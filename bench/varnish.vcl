# bench/targets.py's stand-in for deploy/varnish/newsroom.vcl while that file is
# missing or does not compile: the same rules at their simplest (issue 15's contract).
# Anonymous GETs share stored pages; a signed-in reader with the overlay script
# (nr_overlay=1) may be served a stored page marked X-Newsroom-Shared: 1 but never
# fills the cache; PURGE with xkey-purge drops the pages with those keys.
vcl 4.1;

import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    unset req.http.X-Newsroom-Overlay;
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "PURGE needs an xkey-purge header"));
        }
        set req.http.X-Purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/comments/on/[0-9]+/events/" || req.url ~ "^/notifications/stream/") {
        return (pass);
    }
    if (req.http.Cookie !~ "(^|;\s*)(sessionid|messages)=") {
        unset req.http.Cookie;
        return (hash);
    }
    if (req.http.Cookie !~ "(^|;\s*)messages=" && req.http.Cookie ~ "(^|;\s*)nr_overlay=1(;|$)") {
        set req.http.X-Newsroom-Overlay = "1";
        return (hash);
    }
    return (pass);
}

sub vcl_hit {
    if (req.http.X-Newsroom-Overlay && obj.http.X-Newsroom-Shared != "1") {
        return (pass);
    }
}

sub vcl_miss {
    if (req.http.X-Newsroom-Overlay) {
        return (pass);
    }
}

sub vcl_backend_fetch {
    if (!bereq.uncacheable) {
        unset bereq.http.Cookie;
    }
    unset bereq.http.X-Newsroom-Overlay;
}
