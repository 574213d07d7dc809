"""The `apiovh` plugin (µTask v0.6): a signed call to the OVHcloud API.

Spec: utask-plugins.md §10. Credentials are a configuration-store item (JSON `{endpoint, appKey, appSecret,
consumerKey}` or `{endpoint, clientId, clientSecret}`), read through the `credentials` callable given to the
constructor (item key → item text, None when absent). `endpoint` is a go-ovh name (`ovh-eu`…) or, as in
go-ovh, any URL (useful for tests and proxies).

Requests are signed as go-ovh does: the server time is read once per execution from `GET /auth/time`, then
`X-Ovh-Signature: $1$ + sha1(appSecret+consumerKey+METHOD+URL+body+timestamp)`; OAuth2 credentials get a
client-credentials token (scope `all`) from the endpoint's token URL. The response is handled like `http`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import httpx

from engine.run.actions._common import MASK, is_templated
from engine.run.actions._config import F, Struct, decode, decode_or_fail
from engine.run.actions._gojson import JSONError, dumps, go_quote, loads
from engine.run.actions._httputil import (
    env_proxy,
    make_ssl_context,
    transport_error_text,
    unmarshal_response,
    url_host,
)
from engine.run.actions.base import Action, ActionError, ActionRequest, ActionResult, ConfigError

__all__ = ["ENDPOINTS", "ApiOvhAction", "OvhClient", "signature"]

CONFIG = Struct("APIOVHConfig", (F("credentials", "string"), F("method", "string"), F("path", "string"),
                                 F("body", "string")))
ENDPOINTS = {
    "ovh-eu": "https://eu.api.ovh.com/1.0", "ovh-ca": "https://ca.api.ovh.com/1.0",
    "ovh-us": "https://api.us.ovhcloud.com/1.0", "kimsufi-eu": "https://eu.api.kimsufi.com/1.0",
    "kimsufi-ca": "https://ca.api.kimsufi.com/1.0", "soyoustart-eu": "https://eu.api.soyoustart.com/1.0",
    "soyoustart-ca": "https://ca.api.soyoustart.com/1.0",
}
TOKEN_URLS = {ENDPOINTS["ovh-eu"]: "https://www.ovh.com/auth/oauth2/token",
              ENDPOINTS["ovh-ca"]: "https://ca.ovh.com/auth/oauth2/token",
              ENDPOINTS["ovh-us"]: "https://us.ovhcloud.com/auth/oauth2/token"}
TIMEOUT = 180.0
USER_AGENT = "utask-studio (go-ovh compatible)"
CredentialsLookup = Callable[[str], str | None]


@dataclass(frozen=True, slots=True)
class OvhClient:
    endpoint: str
    app_key: str = ""
    app_secret: str = field(default="", repr=False)
    consumer_key: str = field(default="", repr=False)
    client_id: str = ""
    client_secret: str = field(default="", repr=False)

    @classmethod
    def from_item(cls, text: str) -> OvhClient:
        """go-ovh's NewClient / NewOAuth2Client checks on a credentials item; ActionError with µTask's texts."""
        try:
            item = loads(text, exact=False)
        except JSONError as exc:
            raise ActionError(f"can't unmarshal ovhConfig from configstore: {exc}") from None
        if not isinstance(item, dict):
            item = {}
        values = {key: str(item.get(key) or "") for key in ("endpoint", "appKey", "appSecret", "consumerKey",
                                                             "clientId", "clientSecret")}
        name = values["endpoint"] or "ovh-eu"
        legacy = bool(values["consumerKey"])
        fields = ("appKey", "appSecret", "consumerKey") if legacy else ("clientId", "clientSecret")
        client = cls(endpoint="", **{_snake(key): values[key] for key in fields})
        problem = _check(name, client)
        if problem:
            raise ActionError(f"can't create new OVH client: {problem}")
        return cls(endpoint=name if "/" in name else ENDPOINTS[name],
                   **{_snake(key): values[key] for key in fields})

    def target(self, path: str) -> str:
        if self.endpoint.endswith("/1.0") and path.startswith(("/v1/", "/v2/")):
            return self.endpoint[:-4] + path
        return self.endpoint + path


def _snake(key: str) -> str:
    return {"appKey": "app_key", "appSecret": "app_secret", "consumerKey": "consumer_key", "clientId": "client_id",
            "clientSecret": "client_secret"}[key]


def _check(name: str, client: OvhClient) -> str:
    if name.endswith("/"):
        return "endpoint name cannot have a trailing slash"
    if not (client.app_key or client.app_secret or client.consumer_key or client.client_id or client.client_secret):
        return ("missing authentication information, you need to provide one of the following: "
                "application_key/application_secret, client_id/client_secret, or access_token")
    if bool(client.client_id) != bool(client.client_secret):
        return "invalid oauth2 config, both client_id and client_secret must be given"
    if bool(client.app_key) != bool(client.app_secret):
        return "invalid authentication config, both application_key and application_secret must be given"
    endpoint = name if "/" in name else ENDPOINTS.get(name, "")
    if not endpoint:
        return f"unknown endpoint '{name}', consider checking 'Endpoints' list or using an URL"
    if client.client_id and endpoint not in TOKEN_URLS:
        return f'oauth2 authentication is not compatible with endpoint "{endpoint}"'
    return ""


def signature(app_secret: str, consumer_key: str, method: str, target: str, body: str, timestamp: int) -> str:
    digest = hashlib.sha1(f"{app_secret}+{consumer_key}+{method}+{target}+{body}+{timestamp}".encode())
    return "$1$" + digest.hexdigest()


class ApiOvhAction(Action):
    name: ClassVar[str] = "apiovh"
    version: ClassVar[str] = "0.6"
    side_effects: ClassVar[bool] = True

    def __init__(self, credentials: CredentialsLookup | None = None) -> None:
        self.credentials = credentials

    def _item(self, key: str) -> str:
        text = self.credentials(key) if self.credentials is not None else None
        if text is None:
            raise ActionError(f'can\'t retrieve credentials from configstore: configstore: get "{key}": no item found')
        return text

    def validate(self, configuration: Mapping[str, Any]) -> None:
        cfg = decode(configuration, CONFIG)
        if cfg["method"] not in ("GET", "POST", "PUT", "DELETE"):
            raise ConfigError(f"unknown method for gw runner: {go_quote(cfg['method'])}")
        if self.credentials is None or is_templated(cfg["credentials"]):
            return  # no configuration store to check against / checked once rendered
        try:
            OvhClient.from_item(self._item(cfg["credentials"]))
        except ActionError as exc:
            raise ConfigError(exc.message) from None

    def resources(self, configuration: Mapping[str, Any]) -> list[str]:
        try:
            cfg = decode(configuration, CONFIG)
            text = self._item(cfg["credentials"])
            item = loads(text, exact=False)
        except (ConfigError, ActionError, JSONError):
            return ["socket"]
        name = str(item.get("endpoint") or "ovh-eu") if isinstance(item, dict) else "ovh-eu"
        host = url_host(ENDPOINTS.get(name, ""))
        return ["socket", f"url:{host}"] if host else ["socket"]

    def _prepare(self, cfg: Mapping[str, Any]) -> tuple[OvhClient, str, str | None]:
        client = OvhClient.from_item(self._item(cfg["credentials"]))
        body: str | None = None
        if cfg["body"]:
            try:
                parsed = loads(cfg["body"], exact=True, first_value=True)
            except JSONError as exc:
                raise ActionError(f"can't unmarshal body: {exc}") from None
            body = None if parsed is None else dumps(parsed)
        return client, client.target(cfg["path"]), body

    def describe(self, request: ActionRequest) -> dict[str, Any]:
        try:
            cfg = decode(request.configuration, CONFIG)
            client, target, body = self._prepare(cfg)
        except (ConfigError, ActionError) as exc:
            return {"action": self.name, "error": str(exc)}
        headers = _base_headers(client, body)
        if client.consumer_key:
            headers.update({"X-Ovh-Timestamp": "(OVH server time when sent)", "X-Ovh-Consumer": MASK,
                            "X-Ovh-Signature": MASK})
        else:
            headers["Authorization"] = MASK
        return {"action": self.name, "method": cfg["method"], "url": target, "headers": headers, "body": body or ""}

    async def execute(self, request: ActionRequest) -> ActionResult:
        cfg = decode_or_fail(request.configuration, CONFIG)
        client, target, body = self._prepare(cfg)
        method = cfg["method"]
        headers = _base_headers(client, body)
        async with httpx.AsyncClient(verify=make_ssl_context(), timeout=TIMEOUT, follow_redirects=True,
                                     max_redirects=10, trust_env=False, proxy=env_proxy(target)) as http:
            try:
                headers.update(await _auth_headers(http, client, method, target, body or ""))
            except Exception as exc:  # transport errors, a bad /auth/time answer, a refused token
                raise ActionError(f"can't create new request: {exc}") from None
            try:
                response = await http.request(method, target, content=body.encode() if body is not None else None,
                                              headers=headers)
            except Exception as exc:  # httpx errors and what escapes it
                raise ActionError(f"can't execute request: {transport_error_text(method, target, exc)}") from None
        raw = [(name.decode("latin-1"), value.decode("latin-1")) for name, value in response.headers.raw]
        output, metadata = unmarshal_response(response.status_code, raw, response.content)
        return ActionResult(output=output, metadata=metadata)


def _base_headers(client: OvhClient, body: str | None) -> dict[str, str]:
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    if body is not None:
        headers["Content-Type"] = "application/json;charset=utf-8"
    if client.app_key:
        headers["X-Ovh-Application"] = client.app_key
    return headers


async def _auth_headers(http: httpx.AsyncClient, client: OvhClient, method: str, target: str,
                        body: str) -> dict[str, str]:
    if client.app_key:
        response = await http.get(client.target("/auth/time"), headers={"Accept": "application/json"})
        if response.status_code != 200:
            raise ValueError(f"go-ovh: the OVH API is not reachable: failed to get /auth/time response "
                             f"(HTTP {response.status_code})")
        server_time = int(str(loads(response.text, exact=True)))
        timestamp = server_time  # local time minus the measured delta, which is the server time right now
        return {"X-Ovh-Timestamp": str(timestamp), "X-Ovh-Consumer": client.consumer_key,
                "X-Ovh-Signature": signature(client.app_secret, client.consumer_key, method, target, body,
                                             timestamp)}
    token = await http.post(TOKEN_URLS[client.endpoint], data={"grant_type": "client_credentials", "scope": "all"},
                            auth=(client.client_id, client.client_secret))
    payload = loads(token.text, exact=False) if token.content else {}
    access = payload.get("access_token") if isinstance(payload, dict) else None
    if token.status_code != 200 or not access:
        raise ValueError(f"failed to retrieve OAuth2 Access Token: HTTP {token.status_code}")
    return {"Authorization": f"Bearer {access}"}

