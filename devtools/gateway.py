"""`make run`: the whole service on one machine, no AWS account and no Docker.

A local API Gateway (HTTP API, payload 2.0) on http://127.0.0.1:$PORT (default 3000) that routes by
infra/template.yaml, verifies practitioner JWTs like the deployed authorizer, runs each function in a pool of
worker processes, concurrent requests concurrently (local_lambda), against an embedded moto server or the
endpoints the environment names (local_aws), feeds the intake table's stream to the function the template maps it to
(local_stream), and serves web/. One log line per
request holds the method, the route template, the status and the time taken: never a path, query, header or body.
"""

from __future__ import annotations

import errno
import logging
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

from devtools import template as cfn
from devtools.configure import local_clinic
from devtools.local_auth import gateway_claims, local_secret, verified_claims
from devtools.local_aws import LocalAws, local_name
from devtools.local_events import HttpRequest, HttpResponse, build_event, http_response, json_response
from devtools.local_lambda import WORKERS_PER_FUNCTION, FunctionPool, InvocationError, LocalFunction
from devtools.local_oauth import PREFIX as HOSTED_UI_PREFIX
from devtools.local_oauth import LocalHostedUi
from devtools.local_routes import RouteTable
from devtools.local_stream import StreamPoller
from devtools.local_web import WEB_ROOT, web_file, web_response

MAX_BODY_BYTES = 10 * 1024 * 1024
"""API Gateway's payload limit; the 64 KiB contract limit is the handler's to enforce."""

log = logging.getLogger("devtools.gateway")

BANNER_COMMANDS = "Practitioner token: `make token` (another terminal, this directory); Ctrl-C stops."
"""The banner's last line: its commands are run by the tests exactly as printed."""

NOT_FOUND = json_response(404, {"message": "Not Found"})
UNAUTHORIZED = json_response(401, {"message": "Unauthorized"}, [("www-authenticate", "Bearer")])
TOO_LARGE = json_response(413, {"message": "Request Entity Too Large"})
BAD_REQUEST = json_response(400, {"message": "Bad Request"})
LENGTH_REQUIRED = json_response(411, {"message": "Length Required"})
INTERNAL_ERROR = json_response(500, {"message": "Internal Server Error"})


class Gateway:
    """Turns one HTTP request into a response: API route (with its authorizer), else a web file, else 404."""

    def __init__(self, routes: RouteTable, pools: dict[str, FunctionPool], secret: str, web_root: Path) -> None:
        self._routes = routes
        self._pools = pools
        self._secret = secret
        self._web_root = web_root
        self._hosted_ui = LocalHostedUi(secret)

    def handle(self, request: HttpRequest) -> tuple[HttpResponse, str]:
        """The response and the label to log it under: the route key, "GET web" or "GET -" (no route)."""
        if request.raw_path.startswith(f"{HOSTED_UI_PREFIX}/"):
            return self._hosted_ui.handle(request), f"{request.method} local-oauth"
        match = self._routes.match(request.method, request.raw_path)
        if match is None:
            file = web_file(request.raw_path, self._web_root) if request.method in ("GET", "HEAD") else None
            return (web_response(file), f"{request.method} web") if file else (NOT_FOUND, f"{request.method} -")
        route = match.route
        claims = None
        if route.authorizer is not None:
            authorization = next((v for k, v in request.headers if k.lower() == "authorization"), None)
            verified = verified_claims(authorization, self._secret)
            if verified is None:
                return UNAUTHORIZED, route.route_key
            claims = gateway_claims(verified)
        event = build_event(request, route.route_key, match.path_parameters, claims)
        try:
            return http_response(self._pools[route.function_id].invoke(event)), route.route_key
        except (InvocationError, ValueError) as error:  # API Gateway's 500: the function failed or answered nonsense
            log.error("%s failed: %s", route.route_key, error)
            return INTERNAL_ERROR, route.route_key


def _request_handler(gateway: Gateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            started = time.perf_counter()
            response, label = self._respond()
            # Logged before the reply leaves, so a client holding the reply can rely on the line being there.
            log.info("%s %d %.1fms", label, response.status, (time.perf_counter() - started) * 1000)
            self.send_response(response.status)
            for name, value in response.headers:
                self.send_header(name, value)
            self.send_header("content-length", str(len(response.body)))
            if self.close_connection:  # say so: a keep-alive client would send its next request into a closed socket
                self.send_header("connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)

        def _respond(self) -> tuple[HttpResponse, str]:
            if "chunked" in self.headers.get("transfer-encoding", "").lower():
                self.close_connection = True
                return LENGTH_REQUIRED, f"{self.command} -"
            declared = self.headers.get("content-length") or "0"
            if not declared.isdigit():
                self.close_connection = True
                return BAD_REQUEST, f"{self.command} -"
            length = int(declared)
            if length > MAX_BODY_BYTES:
                self.close_connection = True
                return TOO_LARGE, f"{self.command} -"
            raw_path, _, raw_query = self.path.partition("?")
            request = HttpRequest(
                method=self.command,
                raw_path=raw_path,
                raw_query=raw_query,
                headers=list(self.headers.items()),
                body=self.rfile.read(length) if length > 0 else b"",
                source_ip=self.client_address[0],
                protocol=self.request_version,
            )
            return gateway.handle(request)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _serve

        def log_message(self, format: str, *args: Any) -> None:
            """Silences http.server's own log line, which would include the query string."""

    return Handler


class GatewayServer(ThreadingHTTPServer):
    """One thread per connection. The listen backlog is socketserver's 5 unless raised: more clients than that
    connecting at once overflow the accept queue (the kernel drops or, with tcp_abort_on_overflow, resets them)."""

    request_queue_size = 128
    daemon_threads = True


class LocalService:
    """moto + gateway + functions, started together; `with LocalService(port=0) as stack: stack.base_url`."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        template_path: Path = cfn.TEMPLATE,
        web_root: Path = WEB_ROOT,
        jwt_secret: str | None = None,
        workers_per_function: int = WORKERS_PER_FUNCTION,
    ) -> None:
        self._host, self._port = host, port
        self._template_path = template_path
        self._web_root = web_root
        self._secret = jwt_secret if jwt_secret is not None else local_secret()
        self._template = cfn.load_template(template_path)
        self.aws = LocalAws(self._template)
        self._server: GatewayServer | None = None
        self._thread: threading.Thread | None = None
        self._workers_per_function = workers_per_function
        self.pools: dict[str, FunctionPool] = {}
        """Function logical id → its pool of workers."""
        self.streams: dict[str, StreamPoller] = {}
        """Function logical id → the poller feeding it its table's stream (none on an endpoint without streams)."""

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the stack is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def table_name(self, logical_id: str = "IntakeTable") -> str:
        return local_name(logical_id)

    def start(self) -> LocalService:
        self.aws.start()
        try:
            routes = cfn.http_routes(self._template)
            mappings = cfn.stream_mappings(self._template)
            self.pools = {
                fid: FunctionPool(self._function(fid), self.aws.region, self._workers_per_function)
                for fid in {r.function_id for r in routes} | {m.function_id for m in mappings}
            }
            for mapping in mappings:
                self._start_stream(mapping)
            gateway = Gateway(RouteTable(routes), self.pools, self._secret, self._web_root)
            self._server = GatewayServer((self._host, self._port), _request_handler(gateway))
        except BaseException:
            self._stop_streams()
            self.aws.stop()
            raise
        self._thread = threading.Thread(target=self._server.serve_forever, name="local-gateway", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._stop_streams()
        for pool in self.pools.values():
            pool.stop()
        self.aws.stop()

    def _start_stream(self, mapping: cfn.StreamMapping) -> None:
        poller = StreamPoller(
            mapping, local_name(mapping.table_id), self.pools[mapping.function_id].invoke, self.aws.region
        )
        if poller.start():
            self.streams[mapping.function_id] = poller
        else:
            log.warning(
                "%s has no stream on this DynamoDB endpoint: %s is not invoked locally",
                mapping.table_id,
                mapping.function_id,
            )

    def _stop_streams(self) -> None:
        for poller in self.streams.values():
            poller.stop()
        self.streams.clear()

    def __enter__(self) -> LocalService:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    def _function(self, logical_id: str) -> LocalFunction:
        spec = cfn.function_def(logical_id, self._template, self._template_path)
        refs = {**self.aws.refs, **local_clinic().parameters()}  # the clinic's details from clinic.json
        environment = {name: cfn.resolve(value, refs) for name, value in spec.environment.items()}
        return LocalFunction(
            name=local_name(logical_id),
            handler=spec.handler,
            code_dir=str(spec.code_dir),
            environment=environment,
            memory_mb=spec.memory_mb,
            timeout_s=spec.timeout_s,
        )


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("devtools").setLevel(logging.INFO)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's server would log every AWS call
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())
    port = os.environ.get("PORT", "3000")
    if not port.isdigit() or int(port) > 65535:
        sys.exit(f"PORT must be a port number, not {port!r}")
    try:
        stack = LocalService(port=int(port)).start()
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        sys.exit(f"Port {port} is already in use: stop the other server, or choose another port (PORT=3001 make run)")
    try:
        url = stack.base_url
        print(f"Local stack on {url}  (intake form: {url}/, review console: {url}/review)")
        print(f"Table {stack.table_name()}; AWS endpoint {stack.aws.moto_url or 'from AWS_ENDPOINT_URL_* variables'}")
        for function_id, poller in stack.streams.items():
            print(f"{function_id} reads the stream {poller.stream_arn}")
        for topic, queue_url in stack.aws.inboxes.items():
            print(f"{topic} messages: SQS queue {queue_url} (moto dashboard: {stack.aws.moto_url}/moto-api/)")
        print(BANNER_COMMANDS, flush=True)
        while not stopping.wait(0.5):
            pass
    finally:
        stack.stop()
    print("Stopped.")


if __name__ == "__main__":
    main()
