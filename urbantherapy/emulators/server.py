"""A tiny threaded JSON HTTP server on 127.0.0.1 for fakes: subclasses
implement handle(method, path, query, body, headers) -> (status, json), or
(status, bytes, content type) for a file such as a PDF label or a page,
optionally followed by a dict of extra headers (a redirect's Location)."""
import abc
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeServer(abc.ABC):

    def __init__(self, port=0):
        self.requests = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _serve(self):
                url = urllib.parse.urlsplit(self.path)
                length = int(self.headers.get('Content-Length') or 0)
                raw = self.rfile.read(length) if length else b''
                content_type = self.headers.get('Content-Type', '')
                if 'json' in content_type and raw:
                    body = json.loads(raw)
                elif 'xml' in content_type:
                    body = raw
                elif raw:
                    body = dict(urllib.parse.parse_qsl(raw.decode()))
                else:
                    body = None
                query = dict(urllib.parse.parse_qsl(url.query))
                headers = dict(self.headers)
                fake.requests.append(
                    (self.command, url.path, query, body, headers))
                status, payload, *rest = fake.handle(
                    self.command, url.path, query, body, headers)
                content_type, extra = (rest + [None, None])[:2]
                if content_type:
                    data = payload
                else:
                    data = json.dumps(payload).encode()
                    content_type = 'application/json'
                self.send_response(status)
                self.send_header('Content-Type', content_type)
                self.send_header('Content-Length', str(len(data)))
                for name, value in (extra or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = do_PATCH = _serve

        self.httpd = ThreadingHTTPServer(('127.0.0.1', port), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever,
            daemon=True)

    @property
    def url(self):
        return 'http://127.0.0.1:%s' % self.httpd.server_address[1]

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    @abc.abstractmethod
    def handle(self, method, path, query, body, headers):
        """The emulated service's answer: (status, json) or
        (status, bytes, type)"""
