#
# Newsroom's app servers, for newsroom.vcl: copy this file to
# /etc/varnish/newsroom-backends.vcl (beside newsroom.vcl) and list your own.
# deploy/cluster.py writes one like it for the servers it starts.

# One backend per app server (uvicorn). The probe asks each for /robots.txt with
# this Host, so name a site the app serves (it must be in ALLOWED_HOSTS).
backend app_1 {
    .host = "10.0.0.11";
    .port = "8000";
    .host_header = "ledger.example.com";
    .probe = app_health;
    .connect_timeout = 1s;
    # Live streams send a heartbeat every 15 seconds.
    .between_bytes_timeout = 60s;
}

backend app_2 {
    .host = "10.0.0.12";
    .port = "8000";
    .host_header = "ledger.example.com";
    .probe = app_health;
    .connect_timeout = 1s;
    .between_bytes_timeout = 60s;
}

# Addresses other than this machine's allowed to send PURGE: the app servers,
# the scheduler and the task workers (each process that publishes purges).
acl purgers_extra {
    "10.0.0.0"/24;
}

sub vcl_init {
    new app_servers = directors.round_robin();
    app_servers.add_backend(app_1);
    app_servers.add_backend(app_2);
}
