# The app servers behind Varnish, the director over them, and who may purge. Copy this beside
# default.vcl (/etc/varnish/) and put your own addresses in. Included by default.vcl.

backend app1 {
    .host = "10.0.0.11";
    .port = "8000";
    .probe = healthz;
}

backend app2 {
    .host = "10.0.0.12";
    .port = "8000";
    .probe = healthz;
}

# The app servers send PURGE after each change; nobody else may.
acl purgers {
    "10.0.0.11";
    "10.0.0.12";
    "127.0.0.1";
}

sub vcl_init {
    new app = directors.round_robin();
    app.add_backend(app1);
    app.add_backend(app2);
}
