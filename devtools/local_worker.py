"""One function's execution environment: `python -m devtools.local_worker IN_FD OUT_FD HANDLER CODE_DIR`.

Like a Lambda container it has its own process, so its environment variables and whatever its modules cache
(settings, clients, loggers) are its own. It imports the handler (init), says "ready", then serves JSON
invocations from the gateway one at a time until the gateway closes the pipe. Replies name an exception's
type and frames only: its message may quote a patient's answers.
"""

from __future__ import annotations

import importlib
import json
import signal
import sys
import time
import traceback
import uuid
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any


@dataclass
class LocalContext:
    """The attributes of the Lambda context object that handlers and Powertools read."""

    function_name: str
    memory_limit_in_mb: int
    invoked_function_arn: str
    deadline: float
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    log_stream_name: str = "local"
    identity: Any = None
    client_context: Any = None

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - time.monotonic()) * 1000))


def _failure(error: BaseException) -> dict[str, Any]:
    return {"error": type(error).__name__, "frames": "".join(traceback.format_tb(error.__traceback__))}


def serve(inbox: Connection, outbox: Connection, handler: str, code_dir: str) -> None:
    sys.path.insert(0, code_dir)
    module_name, _, attribute = handler.rpartition(".")
    try:
        function = getattr(importlib.import_module(module_name), attribute)
    except Exception as error:
        outbox.send_bytes(json.dumps(_failure(error)).encode())
        return
    outbox.send_bytes(b'{"ready": true}')
    while True:
        try:
            request = json.loads(inbox.recv_bytes())
        except EOFError:
            return
        context = LocalContext(
            function_name=request["function_name"],
            memory_limit_in_mb=request["memory_mb"],
            invoked_function_arn=request["function_arn"],
            deadline=time.monotonic() + request["timeout_s"],
        )
        try:
            reply = json.dumps({"result": function(request["event"], context)})
        except Exception as error:  # the gateway turns any failure into API Gateway's 500
            reply = json.dumps(_failure(error))
        outbox.send_bytes(reply.encode())


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the gateway stops us.
    in_fd, out_fd, handler, code_dir = sys.argv[1:5]
    serve(Connection(int(in_fd), writable=False), Connection(int(out_fd), readable=False), handler, code_dir)


if __name__ == "__main__":
    main()
