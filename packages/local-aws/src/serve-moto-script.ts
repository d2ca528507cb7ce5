/**
 * The Python program the emulator runs: moto's own server plus one route saying who started it.
 *
 * GET /__local-aws/identity answers {"token", "workspace", "pid"}: the token the starting process
 * chose and the workspace it serves. A client then tells its own emulator from any other moto that
 * answers on the same port (another checkout's, a hand-started one) instead of trusting the port.
 * Everything else, flags included, is moto.server's main(): it builds its app from the module's
 * DomainDispatcherApplication, so swapping that attribute keeps every flag and handler of moto's.
 * S3 bucket names cannot hold '_', so the route never shadows a bucket. Held as a string and run
 * with `python -c`, so the shipped package needs no file beside its JavaScript.
 *
 * Conditional writes (a PUT or DELETE with If-None-Match or If-Match) are served one at a time, so that
 * each is atomic as on S3. Moto checks the condition and then writes, on concurrent request threads:
 * two deploys racing for a layer's publish lock (PutObject If-None-Match: *) both got it and both
 * published (in a suite run beside another, then 2 times in 75 races looped under CPU load). The duplicate check then deleted the second
 * version, but the lock is meant to make that unnecessary, and the `local` environment should not be
 * weaker than AWS there.
 *
 * With LOCAL_AWS_PID_FILE set (a detached emulator), it first forks and the starting process exits
 * after writing the server's pid there: the server leaves the starter's process tree, so a task
 * runner that kills its workers' descendants at the end of a run (Nx does, for batch executors)
 * does not take the emulator with it. Where Python cannot fork, the starter is the server.
 */
export const IDENTITY_PATH = '/__local-aws/identity';

export const SERVE_MOTO_SCRIPT = `
import json
import os
import sys
import threading

if os.environ.get("LOCAL_AWS_PID_FILE") and hasattr(os, "fork"):
    server_pid = os.fork()
    if server_pid > 0:
        with open(os.environ["LOCAL_AWS_PID_FILE"], "w") as pid_file:
            pid_file.write(str(server_pid))
        os._exit(0)
    os.setsid()

import moto.server

IDENTITY = json.dumps({
    "token": os.environ.get("LOCAL_AWS_TOKEN", ""),
    "workspace": os.environ.get("LOCAL_AWS_WORKSPACE") or None,
    "pid": os.getpid(),
}).encode()


CONDITIONAL_WRITES = threading.Lock()


def is_conditional_write(environ):
    conditional = "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MATCH" in environ
    return conditional and environ.get("REQUEST_METHOD") in ("PUT", "DELETE")


class WithIdentity(moto.server.DomainDispatcherApplication):
    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == "${IDENTITY_PATH}":
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(IDENTITY)))])
            return [IDENTITY]
        if not is_conditional_write(environ):
            return super().__call__(environ, start_response)
        with CONDITIONAL_WRITES:
            result = super().__call__(environ, start_response)
            try:
                return [b"".join(result)]
            finally:
                if hasattr(result, "close"):
                    result.close()


moto.server.DomainDispatcherApplication = WithIdentity
moto.server.main(sys.argv[1:])
`;
