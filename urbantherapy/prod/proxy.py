"""A small round-robin reverse proxy: what nginx does in docker/ (one
public port in front of the web processes), for `make prod-local` where no
nginx is installed.

Each request goes to the next web process in turn. A process that refuses
the connection is skipped for `down_for` seconds and the request goes to the
next one (it never reached the failed process, so this is safe for any
method, like nginx's `proxy_next_upstream error`). A failure after the
request was sent is retried elsewhere only for GET/HEAD; a POST then gets a
502 and the client retries it with its Idempotency-Key.
"""
import http.client
import http.server
import itertools
import threading
import time

from .. import ports

HOP_BY_HOP = {'connection', 'keep-alive', 'proxy-authenticate',
    'proxy-authorization', 'te', 'trailers', 'transfer-encoding', 'upgrade'}
IDEMPOTENT = {'GET', 'HEAD', 'OPTIONS'}


class Upstream:

    def __init__(self, backends, down_for=5):
        self.backends = list(backends)  # [(host, port)]
        self.down_for = down_for
        self._down = {}
        self._next = itertools.count()
        self._lock = threading.Lock()

    def order(self):
        "The backends to try, the next in turn first, the down ones last"
        with self._lock:
            start = next(self._next) % len(self.backends)
        turn = self.backends[start:] + self.backends[:start]
        now = time.monotonic()
        return ([b for b in turn if self._down.get(b, 0) <= now]
            + [b for b in turn if self._down.get(b, 0) > now])

    def failed(self, backend):
        self._down[backend] = time.monotonic() + self.down_for

    def succeeded(self, backend):
        self._down.pop(backend, None)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    timeout = 130  # gunicorn --timeout 120
    server_version = 'urban-proxy'

    def log_message(self, format, *args):
        if self.server.access_log:
            super().log_message(format, *args)

    def _proxy(self):
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items()
            if k.lower() not in HOP_BY_HOP
            and k.lower() not in {'x-forwarded-port', 'x-forwarded-prefix'}}
        forwarded = self.headers.get('X-Forwarded-For')
        client = self.client_address[0]
        headers['X-Forwarded-For'] = (
            '%s, %s' % (forwarded, client) if forwarded else client)
        headers['X-Real-IP'] = client
        headers['X-Forwarded-Proto'] = 'http'
        headers['X-Forwarded-Host'] = self.headers.get('Host', '')
        headers['Connection'] = 'close'
        upstream = self.server.upstream
        for backend in upstream.order():
            connection = http.client.HTTPConnection(*backend, timeout=130)
            try:
                connection.connect()
            except OSError:
                upstream.failed(backend)
                continue
            try:
                connection.request(self.command, self.path, body=body,
                    headers=headers)
                response = connection.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException):
                upstream.failed(backend)
                connection.close()
                if self.command in IDEMPOTENT:
                    continue
                return self._answer(502, [], b'Bad Gateway\n')
            connection.close()
            upstream.succeeded(backend)
            return self._answer(response.status,
                [(k, v) for k, v in response.getheaders()
                    if k.lower() not in HOP_BY_HOP
                    and k.lower() != 'content-length'], data)
        return self._answer(502, [], b'Bad Gateway\n')

    def _answer(self, status, headers, data):
        self.send_response_only(status)
        for key, value in headers:
            self.send_header(key, value)
        if status >= 500 and not headers:
            self.send_header('Content-Type', 'text/plain')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(data)

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = \
        do_OPTIONS = _proxy


class Proxy(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, backends, access_log=False):
        self.upstream = Upstream(backends)
        self.access_log = access_log
        super().__init__(address, Handler)

    def start(self):
        thread = threading.Thread(target=self.serve_forever, daemon=True,
            name='urban-proxy')
        thread.start()
        return self

    def stop(self):
        self.shutdown()
        self.server_close()


free_port = ports.free_port
