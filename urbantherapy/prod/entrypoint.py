"""The one entrypoint of every production process: the image's
(docker/entrypoint.sh execs it) and `make prod-local`'s.

    web       gunicorn serving trytond.application:app on URBAN_WEB_BIND
              (default 0.0.0.0:8000) with WEB_CONCURRENCY workers (4)
    worker    trytond-worker: runs queued tasks ([queue] worker = True)
    cron      trytond-cron: scheduled actions; run exactly one
    migrate   wait for PostgreSQL, create the database if missing with its
              extensions and settings (database.py), then initialise it or
              update every module, and load fr + nl
    console   trytond-console on the database
    backup    backup.py: pg_dump + filestore + manifest into a directory
    restore   backup.py: the reverse, into URBAN_DATABASE
    other     executed as is

Arguments after a role go to the program: `worker --name pos`,
`cron --once`, `web --log-level debug`, `migrate --indexes`.
Configuration and secrets come from the environment only (docker/README.md):
the configuration file holds no URI and no secret, since its values win
over the environment.

Logs: JSON lines on stderr with the request id (urbantherapy/logs.py,
config/logging-json.conf) unless URBAN_LOG_FORMAT=text (Tryton's text
lines); an explicit TRYTOND_LOGGING_CONFIG wins over both.
"""
import datetime as dt
import os
import re
import shutil
import sys

from . import database

DEFAULT_CONFIG = '/srv/urban/config/production.conf'
DEFAULT_MODULES = ('urban_catalog urban_stock urban_b2b urban_loyalty '
    'urban_pos_bridge urban_checkout urban_mobile_api urban_website '
    'urban_analytics '
    'urban_shipping urban_ankorstore urban_service account_be')
# (what it is, [urban] option, environment variable): a secret that the
# serving roles need; given either way (the option as
# TRYTOND_URBAN__<OPTION> or the plain variable)
REQUIRED_SECRETS = [
    ("the Stripe secret key", 'stripe_secret_key', 'STRIPE_SECRET_KEY'),
    ("the Stripe webhook signing secret", 'stripe_webhook_secret',
        'STRIPE_WEBHOOK_SECRET'),
    ]
SERVING_ROLES = {'web', 'worker', 'cron'}
ROLES = SERVING_ROLES | {'migrate', 'console', 'backup', 'restore'}


class ConfigurationError(RuntimeError):
    pass


def log(*args):
    print('%s [entrypoint] %s' % (
            dt.datetime.now(dt.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),
            ' '.join(str(a) for a in args)), file=sys.stderr, flush=True)


def setup_environment(environ=os.environ):
    """Defaults every role shares; to be called before trytond is imported
    (trytond reads TRYTOND_CONFIG when its configuration is imported)"""
    environ.setdefault('TRYTOND_CONFIG', DEFAULT_CONFIG)
    environ.setdefault('URBAN_DATABASE', 'urban')
    name = environ['URBAN_DATABASE']
    if not re.fullmatch(r'[A-Za-z0-9_]+', name):
        raise ConfigurationError(
            "URBAN_DATABASE must match [A-Za-z0-9_]+ (got %r)" % name)
    # trytond.application loads the pool of these databases before serving
    environ.setdefault('TRYTOND_DATABASE_NAMES', name)
    # [urban] database (routes, /health); effective only if the file leaves
    # it out (check_config verifies it)
    environ.setdefault('TRYTOND_URBAN__DATABASE', name)
    log_format = environ.setdefault('URBAN_LOG_FORMAT', 'json')
    if log_format not in {'json', 'text'}:
        raise ConfigurationError(
            "URBAN_LOG_FORMAT must be json or text (got %r)" % log_format)
    if log_format == 'json' and not environ.get('TRYTOND_LOGGING_CONFIG'):
        # beside the configuration file (/srv/urban/config/, config/)
        environ['TRYTOND_LOGGING_CONFIG'] = os.path.join(
            os.path.dirname(environ['TRYTOND_CONFIG']), 'logging-json.conf')
    return environ


def effective_config(environ):
    """What trytond will use: its defaults, the TRYTOND_* variables of
    environ and the file TRYTOND_CONFIG (which wins), read afresh (not
    trytond's global configuration)"""
    from trytond.config import TrytonConfigParser
    config = TrytonConfigParser()
    for key, value in environ.items():
        if not key.startswith('TRYTOND_') or '__' not in key:
            continue
        section, option = key[len('TRYTOND_'):].lower().split('__', 1)
        section = section.replace('wsgi_', 'wsgi ')
        if not config.has_section(section):
            config.add_section(section)
        config.set(section, option, value)
    config.read([environ['TRYTOND_CONFIG']])
    return config


def check_config(environ=os.environ):
    """Fail fast on the precedence trap: values in the configuration file
    win over the environment, so check what trytond will really use.
    Returns the database URI."""
    path = environ['TRYTOND_CONFIG']
    if not os.access(path, os.R_OK):
        raise ConfigurationError("TRYTOND_CONFIG=%s is not readable" % path)
    config = effective_config(environ)
    uri = config.get('database', 'uri', fallback='') or ''
    if not uri.startswith('postgresql://'):
        raise ConfigurationError("the database URI is %r: set "
            "TRYTOND_DATABASE__URI=postgresql://user:password@host:5432/ "
            "(trytond-worker and cross-process cache invalidation need "
            "PostgreSQL)" % (uri.split('://', 1)[0] + '://...'))
    configured = config.get('urban', 'database', fallback='')
    if configured != environ['URBAN_DATABASE']:
        raise ConfigurationError("[urban] database is %r in %s but "
            "URBAN_DATABASE is %r: the file wins over the environment, make "
            "them equal" % (configured, path, environ['URBAN_DATABASE']))
    return uri


def missing_secrets(environ=os.environ):
    "What REQUIRED_SECRETS lacks, as texts"
    config = effective_config(environ)
    return ['%s ([urban] %s or %s)' % (what, option, variable)
        for what, option, variable in REQUIRED_SECRETS
        if not (config.get('urban', option, fallback=None)
            or environ.get(variable))]


def check_secrets(environ=os.environ):
    missing = missing_secrets(environ)
    if missing:
        raise ConfigurationError("missing secret(s) in the environment: "
            + '; '.join(missing))


def script(name):
    "A console script of this Python (the venv's or the image's)"
    local = os.path.join(os.path.dirname(sys.executable), name)
    if os.access(local, os.X_OK):
        return local
    found = shutil.which(name)
    if not found:
        raise ConfigurationError("%s is not installed" % name)
    return found


def requeue_abandoned(uri, name):
    """Before a worker starts: give back the tasks that a worker which died
    had taken (urban_catalog/queue.py); nothing before initialisation"""
    from urban_catalog.queue import GRACE, requeue
    grace = int(os.environ.get('URBAN_QUEUE_REQUEUE_GRACE', GRACE))
    if not database.has_table(uri, name, 'ir_queue'):
        return
    with database.connect(uri, name) as connection:
        ids = requeue(connection.cursor(), grace)
    if ids:
        log("requeued %s task(s) of a stopped worker: %s" % (
                len(ids), ', '.join(map(str, ids))))


def metrics_dir(bind):
    "The directory the gunicorn workers listening on bind share metrics in"
    import tempfile
    return os.path.join(
        '/dev/shm' if os.path.isdir('/dev/shm') else tempfile.gettempdir(),
        'urban-metrics-%s-%s' % (os.getuid(),
            re.sub(r'[^0-9A-Za-z]+', '-', bind)))


def exec_(argv):
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(argv[0], argv)


def migrate(uri, args, environ=os.environ):
    import subprocess
    name = environ['URBAN_DATABASE']
    config_file = environ['TRYTOND_CONFIG']
    extensions = environ.get('URBAN_PG_EXTENSIONS',
        ' '.join(database.EXTENSIONS)).split()
    initialise = not (database.exists(uri, name)
        and database.has_table(uri, name, 'ir_module'))
    command = [script('trytond-admin'), '-c', config_file, '-d', name,
        '-vv', '--all', '--activate-dependencies',
        '-u', *environ.get('URBAN_MODULES', DEFAULT_MODULES).split(),
        '-l', *environ.get('URBAN_LANGUAGES', 'fr nl').split(), *args]
    if initialise:
        email = environ.get('URBAN_ADMIN_EMAIL')
        if not email:
            raise ConfigurationError(
                "URBAN_ADMIN_EMAIL is required to initialise the database")
        password_file = environ.get('TRYTONPASSFILE', '')
        if not (password_file and os.access(password_file, os.R_OK)
                and os.path.getsize(password_file)):
            raise ConfigurationError("TRYTONPASSFILE must name a readable, "
                "non-empty file holding the admin password (docker secret "
                "admin_password)")
        command += ['--email', email]
    database.prepare(uri, name, extensions=extensions, log=log)
    log("%s database %s" % (
            "initialising" if initialise else "updating", name))
    subprocess.run(command, check=True)
    # Currencies and countries ship empty; import them once (idempotent).
    if environ.get('URBAN_IMPORT_REFERENCE_DATA', '1') == '1':
        for table, program, what in [
                ('currency_currency', 'trytond_import_currencies',
                    "currencies"),
                ('country_country', 'trytond_import_countries',
                    "countries and subdivisions (about a minute)")]:
            if database.table_empty(uri, name, table):
                log("importing %s" % what)
                subprocess.run([script(program), '-c', config_file,
                        '-d', name], check=True)
    log("database %s is up to date" % name)


def run(role, args, environ=os.environ):
    "Run role (exec for the long-running ones); returns an exit code"
    setup_environment(environ)
    if role not in ROLES:
        sys.stdout.flush()
        sys.stderr.flush()
        os.execvp(role, [role, *args])
    uri = check_config(environ)
    if role in SERVING_ROLES:
        check_secrets(environ)
    name = environ['URBAN_DATABASE']
    config_file = environ['TRYTOND_CONFIG']
    timeout = int(environ.get('URBAN_DB_WAIT_TIMEOUT', '60'))
    database.wait(uri, timeout=timeout, log=log)
    if role == 'web':
        bind = environ.get('URBAN_WEB_BIND', '0.0.0.0:8000')
        # every gunicorn worker's metrics, whichever answers /metrics: one
        # directory per listening address, emptied at each start
        if not environ.get('PROMETHEUS_MULTIPROC_DIR'):
            environ['PROMETHEUS_MULTIPROC_DIR'] = metrics_dir(bind)
        shutil.rmtree(environ['PROMETHEUS_MULTIPROC_DIR'], ignore_errors=True)
        os.makedirs(environ['PROMETHEUS_MULTIPROC_DIR'], mode=0o700)
        exec_([script('gunicorn'),
            '--bind', bind,
            '--workers', environ.get('WEB_CONCURRENCY', '4'),
            '--timeout', '120',
            *(['--worker-tmp-dir', '/dev/shm']
                if os.path.isdir('/dev/shm') else []),
            # gunicorn's own lines in the format of the application's
            *(['--log-config', environ['TRYTOND_LOGGING_CONFIG']]
                if environ.get('TRYTOND_LOGGING_CONFIG') else []),
            *args, 'trytond.application:app'])
    elif role == 'worker':
        requeue_abandoned(uri, name)
        exec_([script('trytond-worker'), '-c', config_file, '-d', name,
            '-n', environ.get('WORKER_PROCESSES', '2'), *args])
    elif role == 'cron':
        # one process: it runs the due actions of one database in turn
        exec_([script('trytond-cron'), '-c', config_file, '-d', name,
            '-n', '1', *args])
    elif role == 'console':
        exec_([script('trytond-console'), '-c', config_file, '-d', name,
            *args])
    elif role == 'migrate':
        migrate(uri, args, environ)
    elif role in {'backup', 'restore'}:
        from . import backup
        return backup.main(role, uri, args, environ)
    return 0


def main(argv):
    import subprocess
    role, args = (argv[0], argv[1:]) if argv else ('web', [])
    try:
        return run(role, args)
    except (ConfigurationError, database.DatabaseError) as error:
        log("ERROR: %s" % error)
        return 1
    except subprocess.CalledProcessError as error:
        log("ERROR: %s exited with %s" % (error.cmd[0], error.returncode))
        return error.returncode
