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


def configure(environment):
    """trytond's configuration in this process as trytond reads its
    environment (TRYTOND_<SECTION>__<OPTION>) at start-up; returns what to
    restore: {(section, option): previous value or None}"""
    from trytond import config
    previous = {}
    for key, value in environment.items():
        if not key.startswith('TRYTOND_') or '__' not in key:
            continue
        section, option = key[len('TRYTOND_'):].lower().split('__', 1)
        if not config.has_section(section):
            config.add_section(section)
        previous[section, option] = config.get(section, option)
        config.set(section, option, value)
    return previous


def restore(previous):
    from trytond import config
    for (section, option), value in previous.items():
        if value is None:
            config._config.remove_option(section, option)
        else:
            config.set(section, option, value)
    config._cache_clear()


@contextlib.contextmanager
def _environment(env):
    """os.environ and trytond's configuration in this process as trytond's
    will be (the emulators' settings and secrets), meanwhile: trytond read
    its environment when imported, before the services existed"""
    saved = dict(os.environ)
    os.environ.update(env)
    previous = configure(env)
    try:
        yield
    finally:
        restore(previous)
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
    # the database the web channels open (demo.conf leaves it to us)
    env['TRYTOND_URBAN__DATABASE'] = options.database
    with _environment(env):
        publish_stock(options.database)
    print("Demo services (outbox, push, till): %s" % services.hub_url,
        flush=True)
    server = subprocess.Popen([options.trytond, '-d', options.database],
        env=env)

    stopping = []

    def forward(signum, frame):
        stopping.append(signum)
        server.send_signal(signum)
    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    try:
        code = server.wait()
    finally:
        services.stop()
    # stopped as asked (Ctrl+C, docker stop, ...): a clean exit
    return 0 if stopping and code == -stopping[0] else code


if __name__ == '__main__':
    sys.exit(main())
