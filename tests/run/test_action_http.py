"""http: against real servers on 127.0.0.1 (plain and TLS)."""

from __future__ import annotations

import asyncio
import base64
import gzip
import socket

import pytest

from engine.run.actions.base import ActionError, ClientError, ConfigError
from engine.run.actions.http import HttpAction
from engine.templating.gotypes import JSONNumber

http = HttpAction()
JSON = [("Content-Type", "application/json")]


def run(request):
    return asyncio.run(http.execute(request))


def get(server, path, **extra):
    return {"url": server.url + path, "method": "GET", **extra}


def test_json_output_with_exact_numbers_and_metadata(http_server, make_request):
    http_server.route("/j", body='{"n": 12345678901234567890, "f": 0.10, "s": "x", "l": [1.5e300]}',
                      headers=[("content-type", "application/json; charset=utf-8"), ("x-request-id", "abc"),
                               ("X-Multi", "first"), ("x-multi", "second"), ("Set-Cookie", "session=s1; Path=/"),
                               ("Set-Cookie", 'theme="dark"; HttpOnly')])
    result = run(make_request(get(http_server, "/j")))
    assert result.output == {"n": "12345678901234567890", "f": "0.10", "s": "x", "l": ["1.5e300"]}
    assert type(result.output["n"]) is JSONNumber and type(result.output["s"]) is str
    assert result.metadata["HTTPStatus"] == 200
    headers = result.metadata["HTTPHeaders"]
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert headers["X-Request-Id"] == "abc"
    assert headers["X-Multi"] == "first"
    assert "x-request-id" not in headers
    assert result.metadata["HTTPCookies"] == {"session": "s1", "theme": "dark"}


@pytest.mark.parametrize("content_type", ["text/plain", "application/problem+json", "application/json+x", ""])
def test_non_json_media_types_give_raw_text(http_server, make_request, content_type):
    http_server.route("/t", body='{"a": 1}', headers=[("Content-Type", content_type)] if content_type else [])
    assert run(make_request(get(http_server, "/t"))).output == '{"a": 1}'


def test_empty_json_body_is_an_empty_string(http_server, make_request):
    http_server.route("/e", status=200, body="", headers=JSON)
    assert run(make_request(get(http_server, "/e"))).output == ""


def test_4xx_is_client_error_with_output_and_metadata(http_server, make_request):
    http_server.route("/missing", status=404, body='{"message": "not here"}', headers=JSON)
    with pytest.raises(ClientError) as caught:
        run(make_request(get(http_server, "/missing")))
    assert caught.value.message == 'Client error: failed api request: 404: {"message": "not here"}'
    assert caught.value.output == {"message": "not here"}
    assert caught.value.metadata["HTTPStatus"] == 404


@pytest.mark.parametrize("status", [500, 503, 302])
def test_5xx_and_unfollowed_3xx_are_server_errors(http_server, make_request, status):
    http_server.route("/s", status=status, body="oops", headers=[("Location", "/elsewhere")])
    with pytest.raises(ActionError) as caught:
        run(make_request(get(http_server, "/s")))
    assert type(caught.value) is ActionError
    assert caught.value.message == f"failed api request: {status}: oops"
    assert caught.value.output == "oops"


def test_redirect_followed_when_asked(http_server, make_request):
    http_server.route("/from", status=302, headers=[("Location", "/to")])
    http_server.route("/to", body="arrived")
    result = run(make_request(get(http_server, "/from", follow_redirect="true")))
    assert result.output == "arrived"
    assert [r.path for r in http_server.requests] == ["/from", "/to"]


def test_redirect_loop_stops_after_ten(http_server, make_request):
    http_server.route("/loop", status=302, headers=[("Location", "/loop")])
    with pytest.raises(ActionError, match=r'^can\'t do HTTP request: Get ".*/loop": stopped after 10 redirects$'):
        run(make_request(get(http_server, "/loop", follow_redirect="1")))


def test_bad_json_keeps_metadata(http_server, make_request):
    http_server.route("/bad", body="{nope", headers=JSON)
    with pytest.raises(ActionError) as caught:
        run(make_request(get(http_server, "/bad")))
    assert caught.value.message == "can't unmarshal body: invalid character 'n' looking for beginning of object " \
                                   "key string"
    assert caught.value.metadata["HTTPStatus"] == 200 and caught.value.output is None


def test_trim_prefix_before_parsing(http_server, make_request):
    http_server.route("/x", body=")]}',\n{\"a\": 1}", headers=JSON)
    assert run(make_request(get(http_server, "/x", trim_prefix=")]}',\n"))).output == {"a": "1"}


def test_timeout_covers_the_exchange(http_server, make_request):
    http_server.route("/slow", body="late", delay=1.0)
    with pytest.raises(ActionError) as caught:
        run(make_request(get(http_server, "/slow", timeout="200ms")))
    assert caught.value.message == (f'can\'t do HTTP request: Get "{http_server.url}/slow": context deadline '
                                    "exceeded (Client.Timeout exceeded while awaiting headers)")


def test_connection_refused(make_request):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ActionError) as caught:
        run(make_request({"url": f"http://127.0.0.1:{port}/x", "method": "GET"}))
    assert caught.value.message == (f'can\'t do HTTP request: Get "http://127.0.0.1:{port}/x": dial tcp '
                                    f"127.0.0.1:{port}: connect: connection refused")


def test_headers_are_set_and_query_parameters_appended(http_server, make_request):
    http_server.route("/q", body="ok")
    config = get(http_server, "/q?b=2&a=1", headers=[{"name": "x-custom", "value": "one"},
                                                      {"name": "X-CUSTOM", "value": "two"}],
                 query_parameters=[{"name": "a", "value": "3"}, {"name": "c d", "value": "e&f/é"}])
    run(make_request(config))
    (sent,) = http_server.requests
    assert sent.path == "/q?a=1&a=3&b=2&c+d=e%26f%2F%C3%A9"
    assert sent.header("X-Custom") == "two"
    assert sent.header("User-Agent") == "utask-studio"


def test_host_and_path(http_server, make_request):
    http_server.route("/p", body="ok")
    run(make_request({"host": http_server.url + "/ignored", "path": "p?z=1", "method": "DELETE"}))
    (sent,) = http_server.requests
    assert (sent.method, sent.path) == ("DELETE", "/p?z=1")


@pytest.mark.parametrize(("body", "content_type"), [('{"a": 1}', "application/json"),
                                                   ("42 trailing", "application/json"),
                                                   ("<a><b>x</b></a>", "application/xml"),
                                                   ("text <a>x</a> more", "application/xml"),
                                                   ("plain text", None), ("<a>unclosed", None)])
def test_content_type_sniffing(http_server, make_request, body, content_type):
    http_server.route("/post", body="ok")
    run(make_request({"url": http_server.url + "/post", "method": "POST", "body": body}))
    (sent,) = http_server.requests
    assert sent.header("Content-Type") == content_type
    assert sent.body == body.encode()


def test_explicit_content_type_is_kept(http_server, make_request):
    http_server.route("/post", body="ok")
    run(make_request({"url": http_server.url + "/post", "method": "PUT", "body": "{}",
                      "headers": [{"name": "content-type", "value": "text/x-custom"}]}))
    assert http_server.requests[0].header("Content-Type") == "text/x-custom"


def test_basic_and_bearer_auth_headers(http_server, make_request):
    http_server.route("/a", body="ok")
    run(make_request(get(http_server, "/a", auth={"basic": {"user": "u", "password": "p:w"}})))
    run(make_request(get(http_server, "/a", auth={"bearer": "tok"})))
    run(make_request(get(http_server, "/a", auth={"bearer": "tok"},
                         headers=[{"name": "authorization", "value": "Custom x"}])))
    assert [r.header("Authorization") for r in http_server.requests] == [
        "Basic " + base64.b64encode(b"u:p:w").decode(), "Bearer tok", "Custom x"]


def test_digest_auth(http_server, make_request):
    def digest(request):
        header = request.header("Authorization") or ""
        if header.startswith('Digest username="u"') and 'realm="r"' in header and "response=" in header:
            return http_server.reply(200, b"in")
        return http_server.reply(401, b"who?", [("WWW-Authenticate", 'Digest realm="r", nonce="abc", qop="auth"')])

    http_server.routes["/d"] = digest
    assert run(make_request(get(http_server, "/d", auth={"digest": {"user": "u", "password": "p"}}))).output == "in"
    assert len(http_server.requests) == 2


def test_gzip_is_decoded_transparently(http_server, make_request):
    http_server.route("/gz", body=gzip.compress(b'{"z": 1}'), headers=[*JSON, ("Content-Encoding", "gzip")])
    result = run(make_request(get(http_server, "/gz")))
    assert result.output == {"z": "1"}
    assert "Content-Encoding" not in result.metadata["HTTPHeaders"]
    assert http_server.requests[0].header("Accept-Encoding") == "gzip"


@pytest.mark.parametrize(("extra", "message"), [
    ({"follow_redirect": "yes"}, 'failed to parse follow_redirect: strconv.ParseBool: parsing "yes": invalid syntax'),
    ({"insecure_skip_verify": "nope"},
     'failed to parse insecure_skip_verify: strconv.ParseBool: parsing "nope": invalid syntax'),
    ({"timeout": "soon"}, 'failed to parse timeout: time: invalid duration "soon"'),
    ({"root_ca": "not a pem"}, "failed to craft a new http transport: WithTLSRootCA: failed to add a certificate "
                               "to the cert pool"),
])
def test_run_time_configuration_errors(http_server, make_request, extra, message):
    with pytest.raises(ActionError) as caught:
        run(make_request(get(http_server, "/never", **extra)))
    assert caught.value.message == message
    assert http_server.requests == []


def test_bad_mtls_material(http_server, make_request):
    config = get(http_server, "/x", auth={"mutual_tls": {"client_cert": "nope", "client_key": "nope"}})
    with pytest.raises(ActionError, match="^failed to parse x509 mTLS certificate or key: "):
        run(make_request(config))


def test_type_mismatch_is_a_server_error(make_request):
    with pytest.raises(ActionError) as caught:
        run(make_request({"url": "http://127.0.0.1:1/", "method": "GET", "timeout": 30}))
    assert caught.value.message == ("failed to unmarshal configuration: json: cannot unmarshal number into Go struct "
                                    "field HTTPConfig.timeout of type string")


# ------------------------------------------------------------------------------------------------ TLS

def test_tls_verification_is_on_by_default(https_server, make_request):
    https_server.route("/s", body="secret")
    with pytest.raises(ActionError) as caught:
        run(make_request(get(https_server, "/s")))
    assert caught.value.message.startswith(f'can\'t do HTTP request: Get "{https_server.url}/s": ')
    assert "CERTIFICATE_VERIFY_FAILED" in caught.value.message
    assert https_server.requests == []


def test_tls_with_root_ca_or_insecure(https_server, make_request, tls_material):
    https_server.route("/s", body="secret")
    assert run(make_request(get(https_server, "/s", root_ca=tls_material.cert_pem))).output == "secret"
    assert run(make_request(get(https_server, "/s", insecure_skip_verify="true"))).output == "secret"


def test_mutual_tls_client_certificate_is_loaded(https_server, make_request, tls_material):
    https_server.route("/s", body="ok")
    config = get(https_server, "/s", root_ca=tls_material.cert_pem,
                 auth={"mutual_tls": {"client_cert": tls_material.cert_pem, "client_key": tls_material.key_pem}})
    assert run(make_request(config)).output == "ok"


# ------------------------------------------------------------------------------------------------ load time

@pytest.mark.parametrize(("config", "message"), [
    ({"url": "http://x", "method": "FETCH"}, "unknown method for HTTP runner: FETCH"),
    ({"url": "http://x", "method": ""}, "unknown method for HTTP runner: "),
    ({"url": "http://x", "host": "http://y", "method": "GET"}, "URL field conflicts with Host+Path"),
    ({"url": "http://x", "path": "/y", "method": "GET"}, "URL field conflicts with Host+Path"),
    ({"method": "GET"}, "missing either URL or Host"),
    ({"url": "http://x", "method": "GET", "headers": [{"value": "v"}]}, "missing header name (with value 'v')"),
    ({"url": "http://x", "method": "GET", "query_parameters": [{"name": "", "value": "q"}]},
     "missing query parameter name (with value 'q')"),
    ({"url": "http://x", "method": "GET", "auth": {"basic": {"user": "u", "password": "p"}, "bearer": "t"}},
     "basic|digest|bearer authentications are mutually exclusive"),
    ({"url": "http://x", "method": "GET", "auth": {"basic": {"user": "u"}}},
     "missing either user or password for basic auth"),
    ({"url": "http://x", "method": "GET", "auth": {"digest": {"password": "p"}}},
     "missing either user or password for digest auth"),
    ({"url": "http://x", "method": "GET", "auth": {"bearer": ""}}, "missing bearer token value"),
    ({"url": "http://x", "method": "GET", "auth": {"mutual_tls": {"client_cert": "c"}}},
     "missing either client_cert or client_key for mTLS"),
])
def test_validate_messages(config, message):
    with pytest.raises(ConfigError) as caught:
        http.validate(config)
    assert str(caught.value) == message


def test_validate_accepts_templates_and_defers_run_time_fields():
    http.validate({"url": "{{.input.url}}", "method": "{{.input.method}}", "timeout": "{{.input.t}}",
                   "follow_redirect": "{{.input.f}}"})
    http.validate({"host": "http://x", "method": "post{{ end }}}}"})


def test_resources():
    assert http.resources({"url": "https://api.example.com:8443/x", "method": "GET"}) == [
        "socket", "url:api.example.com:8443"]
    assert http.resources({"host": "http://example.com", "path": "/x", "method": "GET"}) == [
        "socket", "url:example.com"]
    assert http.resources({"url": "{{.input.url}}", "method": "GET"}) == ["socket"]
    assert http.resources({"url": "https://{{.input.host}}/x", "method": "GET"}) == ["socket"]
    assert http.resources({"url": 3}) == []


def test_describe_builds_the_request_without_sending_it(http_server, make_request):
    http_server.route("/d", body="ok")
    config = get(http_server, "/d?b=1", method="POST", body='{"x": 1}', auth={"bearer": "s3cret"},
                 headers=[{"name": "x-api-key", "value": "k3y"}, {"name": "x-trace", "value": "t"}],
                 query_parameters=[{"name": "a", "value": "2"}])
    described = http.describe(make_request(config))
    assert described["method"] == "POST"
    assert described["url"] == f"{http_server.url}/d?a=2&b=1"
    assert described["headers"] == {"Authorization": "***", "X-Api-Key": "***", "X-Trace": "t",
                                    "Content-Type": "application/json"}
    assert described["body"] == '{"x": 1}'
    assert described["tls_verify"] is True
    assert "s3cret" not in repr(described) and "k3y" not in repr(described)
    assert http_server.requests == []


def test_describe_reports_configuration_errors(make_request):
    assert http.describe(make_request({"url": "http://x", "method": "GET", "timeout": "x"}))["error"] == (
        'failed to parse timeout: time: invalid duration "x"')


def test_proxy_from_environment_but_never_for_loopback(monkeypatch):
    from engine.run.actions._httputil import env_proxy

    monkeypatch.setenv("HTTP_PROXY", "http://proxy.invalid:3128")
    monkeypatch.setenv("NO_PROXY", "internal.example")
    assert env_proxy("http://127.0.0.1:8080/x") is None
    assert env_proxy("http://localhost/x") is None
    assert env_proxy("http://api.example.com/x") == "http://proxy.invalid:3128"
    assert env_proxy("http://internal.example/x") is None
