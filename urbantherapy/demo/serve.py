"""Serve the demo: the emulated outside services, then trytond pointed at
them (`make demo`).

    python -m urbantherapy.demo.serve --database urban --port 8000

trytond runs as its own process with the services' settings in its
environment (TRYTOND_URBAN__STRIPE_API_BASE, ...), exactly as production
gets the real services' settings; the services live in this process and
stop with it. A service whose key is in the environment (e.g.
TRYTOND_URBAN__STRIPE_SECRET_KEY) is the real one: none of its emulated
settings is passed."""
import argparse
import contextlib
import os
import signal
import subprocess
import sys

from .ankorstore import ensure_demo_ankorstore, publish_stock
from .services import DemoServices
from .till import ensure_demo_till


@contextlib.contextmanager
def _environment(env):
    "os.environ as trytond's will be (the emulators' secrets), meanwhile"
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--port', type=int, default=8000)
    parser.add_argument('--hub-port', type=int,
        help="the demo services' page (default: port + 1)")
    parser.add_argument('--trytond', default=os.path.join(
            os.path.dirname(sys.executable), 'trytond'))
    options = parser.parse_args(argv)
    site_url = 'http://127.0.0.1:%s' % options.port
    hub_port = options.hub_port or options.port + 1

    from trytond import config
    config.update_etc(os.environ.get('TRYTOND_CONFIG'))
    services = DemoServices(site_url, hub_port=hub_port)
    till = ensure_demo_till(options.database, services.till_url,
        services.till_token, services.till_secret)
    from urbantherapy.emulators.ankorstore import CLIENT_ID
    ankorstore = ensure_demo_ankorstore(options.database,
        services.ankorstore_url, CLIENT_ID)
    services.start(till=till, ankorstore=ankorstore)
    env = dict(os.environ)
    env.update(services.environment(os.environ))
    with _environment(env):
        publish_stock(options.database)
    print("Demo services (outbox, push, till): %s" % services.hub_url,
        flush=True)
    server = subprocess.Popen([options.trytond, '-d', options.database],
        env=env)

    def forward(signum, frame):
        server.send_signal(signum)
    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    try:
        return server.wait()
    finally:
        services.stop()


if __name__ == '__main__':
    sys.exit(main())
