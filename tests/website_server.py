"""The whole WSGI application (trytond + our middleware) served on a free
local port in a thread, for browser tests and the Lighthouse bench."""
import threading

from werkzeug.serving import WSGIRequestHandler, make_server


class QuietHandler(WSGIRequestHandler):

    def log_request(self, *args, **kwargs):
        pass


class LocalServer:

    def __init__(self, host='127.0.0.1', port=0):
        from trytond.wsgi import app

        from urbantherapy.wsgi import PlatformMiddleware
        self.server = make_server(host, port, PlatformMiddleware(app),
            threaded=True, request_handler=QuietHandler)
        self.url = 'http://%s:%s' % (host, self.server.server_port)
        self.thread = threading.Thread(target=self.server.serve_forever,
            daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(10)
