"""Sprig's `getHostByName`, sandboxed.

µTask resolves the name with the server's DNS. Here the lookup goes through `ctx.lookup_host`, which
resolves nothing unless the caller injects a resolver. Like Sprig v3.3.0, the result is one of the
addresses picked at random (`ctx.random`), and a name that resolves to nothing makes Go's math/rand panic
(`invalid argument to Intn`): so by default every call fails the render instead of contacting the network.
"""

from __future__ import annotations

from engine.templating.funcs.registry import FunctionContext, GoPanic, go_func

__all__: list[str] = []


@go_func("getHostByName(string) string", needs_context=True)
def get_host_by_name(ctx: FunctionContext, name: str) -> str:
    addresses = list(ctx.lookup_host(name))
    if not addresses:
        raise GoPanic("invalid argument to Intn")
    return addresses[ctx.random.randrange(len(addresses))]
