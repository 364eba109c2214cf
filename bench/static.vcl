# bench/targets.py's ceiling: Varnish serving the article's bytes as a static object.
# The backend is bench/ceiling.py, which answers every request with those bytes; the
# answer is kept for an hour whatever its headers say, and every request is a hit.
vcl 4.1;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
}

sub vcl_recv {
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    unset beresp.http.Set-Cookie;
    set beresp.ttl = 1h;
    set beresp.grace = 1h;
    return (deliver);
}
