"""`make prod-local`: the production topology on this machine, without
containers. The same roles as docker/compose.yaml, through the same
entrypoint (urbantherapy/prod/entrypoint.py):

    migrate   once, before anything else
    web x N   gunicorn, each on its own port (URBAN_WEB_PROCESSES, 2)
    worker    trytond-worker
    cron      trytond-cron
    proxy     one public port in front of the web processes (proxy.py:
              round-robin; nginx in docker/)

Every secret comes from the environment (entrypoint.REQUIRED_SECRETS,
TRYTOND_DATABASE__URI; TRYTONPASSFILE or URBAN_ADMIN_PASSWORD and
URBAN_ADMIN_EMAIL when the database is initialised): nothing is defaulted.
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

from . import entrypoint
from .proxy import Proxy

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
            os.path.abspath(__file__))))


class TopologyError(RuntimeError):
    pass


def local_environment(environ=None):
    """The environment of every role: the caller's, with the local paths
    of what the image sets (configuration, filestore, sao)"""
    env = dict(os.environ if environ is None else environ)
    env.setdefault('TRYTOND_CONFIG',
        os.path.join(ROOT, 'config', 'production.conf'))
    env.setdefault('TRYTOND_DATABASE__PATH',
        os.path.join(ROOT, 'var', 'prod-filestore'))
    env.setdefault('TRYTOND_WEB__ROOT', os.path.join(ROOT, 'var', 'www'))
    env.setdefault('PYTHONPATH', ROOT)
    if not env.get('TRYTOND_DATABASE__URI'):
        raise TopologyError("TRYTOND_DATABASE__URI is required, e.g. "
            "postgresql://user:password@127.0.0.1:5432/ (no database name)")
    return env


class Topology:
    "The processes of the production topology, and the proxy before them"

    def __init__(self, web_processes=2, port=8080, host='127.0.0.1',
            environ=None, log_dir=None, web_concurrency=1,
            worker_processes=1):
        self.env = local_environment(environ)
        self.env.setdefault('WEB_CONCURRENCY', str(web_concurrency))
        self.env.setdefault('WORKER_PROCESSES', str(worker_processes))
        self.host, self.port = host, port
        self.web_ports = [port + 1 + i for i in range(web_processes)]
        self.log_dir = log_dir
        self.processes = {}  # name: Popen
        self.proxy = None

    @property
    def url(self):
        return 'http://%s:%s' % (self.host, self.port)

    def web_url(self, index):
        return 'http://127.0.0.1:%s' % self.web_ports[index]

    def _output(self, name):
        if not self.log_dir:
            return None
        os.makedirs(self.log_dir, exist_ok=True)
        return open(os.path.join(self.log_dir, name + '.log'), 'ab')

    def role(self, role, **env):
        return [sys.executable, '-m', 'urbantherapy.prod', role], dict(
            self.env, TRYTOND_APPNAME='urban-%s' % role, **env)

    def migrate(self):
        command, env = self.role('migrate')
        password = env.pop('URBAN_ADMIN_PASSWORD', None)
        with tempfile.TemporaryDirectory() as tmp:
            if password and not env.get('TRYTONPASSFILE'):
                # trytond-admin reads the admin password from a file
                env['TRYTONPASSFILE'] = os.path.join(tmp, 'admin_password')
                with open(os.open(env['TRYTONPASSFILE'],
                            os.O_WRONLY | os.O_CREAT, 0o600), 'w') as f:
                    f.write(password + '\n')
            output = self._output('migrate')
            result = subprocess.run(command, env=env, stdout=output,
                stderr=output)
        if result.returncode:
            raise TopologyError("migrate failed (exit %s)" % result.returncode)

    def start(self, name):
        "Start process name: web-<i>, worker or cron (its own group)"
        if name.startswith('web-'):
            index = int(name.split('-', 1)[1])
            command, env = self.role('web',
                URBAN_WEB_BIND='127.0.0.1:%s' % self.web_ports[index])
            # gunicorn's control socket has one default path per user:
            # several masters on one machine would take it from each other
            command.append('--no-control-socket')
        else:
            command, env = self.role(name)
        output = self._output(name)
        self.processes[name] = subprocess.Popen(command, env=env,
            stdout=output, stderr=output, start_new_session=True)
        return self.processes[name]

    def kill(self, name, sig=signal.SIGKILL):
        "Send sig to process name and its children; wait for it to end"
        process = self.processes.pop(name)
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def wait_healthy(self, names, timeout=180):
        "Wait until the web processes named answer /health with 200"
        deadline = time.monotonic() + timeout
        for name in names:
            url = self.web_url(int(name.split('-', 1)[1])) + '/health'
            while True:
                process = self.processes[name]
                if process.poll() is not None:
                    raise TopologyError("%s exited with %s" % (
                            name, process.returncode))
                try:
                    with urllib.request.urlopen(url, timeout=5) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise TopologyError("%s not healthy after %ss"
                        % (name, timeout))
                time.sleep(0.3)

    def up(self, migrate=True, roles=('worker', 'cron')):
        "migrate, then the web processes, the other roles and the proxy"
        if migrate:
            self.migrate()
        webs = ['web-%s' % i for i in range(len(self.web_ports))]
        for name in [*webs, *roles]:
            self.start(name)
        self.proxy = Proxy((self.host, self.port),
            [('127.0.0.1', p) for p in self.web_ports]).start()
        self.wait_healthy(webs)
        return self

    def down(self):
        if self.proxy:
            self.proxy.stop()
            self.proxy = None
        # all at once, then wait: each stops gracefully in parallel
        for process in self.processes.values():
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for name in list(self.processes):
            self.kill(name, signal.SIGTERM)
        for port in self.web_ports:
            shutil.rmtree(entrypoint.metrics_dir('127.0.0.1:%s' % port),
                ignore_errors=True)

    def exited(self):
        "{name: exit code} of the processes that ended"
        return {n: p.returncode for n, p in self.processes.items()
            if p.poll() is not None}


def run_role(argv):
    """Run one role of the entrypoint with the local paths (make backup,
    make restore, a console...)"""
    try:
        env = local_environment()
    except TopologyError as error:
        print("prod-local: %s" % error, file=sys.stderr)
        return 1
    return subprocess.run([sys.executable, '-m', 'urbantherapy.prod',
            *argv], env=env).returncode


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in entrypoint.ROLES:
        return run_role(argv)
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--port', type=int,
        default=int(os.environ.get('URBAN_HTTP_PORT', 8080)))
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--web', type=int,
        default=int(os.environ.get('URBAN_WEB_PROCESSES', 2)),
        help="web processes (URBAN_WEB_PROCESSES, 2)")
    parser.add_argument('--no-migrate', action='store_true')
    options = parser.parse_args(argv)
    try:
        topology = Topology(options.web, options.port, options.host,
            web_concurrency=int(os.environ.get('WEB_CONCURRENCY', 1)),
            worker_processes=int(os.environ.get('WORKER_PROCESSES', 1)))
        # a serving role would fail on its own, after the migration: say it
        # before
        entrypoint.setup_environment(topology.env)
        entrypoint.check_config(topology.env)
        entrypoint.check_secrets(topology.env)
    except (TopologyError, entrypoint.ConfigurationError) as error:
        print("prod-local: %s" % error, file=sys.stderr)
        return 1
    stopping = []

    def stop(signum, frame):
        stopping.append(signum)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        topology.up(migrate=not options.no_migrate)
        print("Urban Therapy (production topology) on %s: %s web "
            "processes on %s, worker, cron" % (topology.url, options.web,
                ', '.join(map(str, topology.web_ports))), flush=True)
        while not stopping:
            ended = topology.exited()
            if ended:
                print("prod-local: ended: %s" % ended, file=sys.stderr)
                return 1
            time.sleep(1)
        return 0
    except TopologyError as error:
        print("prod-local: %s" % error, file=sys.stderr)
        return 1
    finally:
        topology.down()


if __name__ == '__main__':
    sys.exit(main())
