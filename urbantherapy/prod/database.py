"""PostgreSQL side of `migrate`: wait for the server, create the database,
its extensions and the per-database settings production needs.

The settings are set with ALTER DATABASE ... SET, so that every connection
of every process (web, worker, cron, trytond-admin, psql, the benches) gets
them, whatever the server's postgresql.conf says:

- jit = off: trytond's queries are short OLTP queries; compiling them with
  LLVM costs more than it saves (issue 25: availability p95 14.4 ms with
  PostgreSQL 15's default jit = on, 11.9 ms with jit = off).
- random_page_cost = 1.1: the database lives on SSD/NVMe (cloud volumes
  too); the default 4 models spinning disks and turns the planner away
  from the index scans the catalogue and stock queries rely on.
- work_mem = 16MB: the availability and dashboard aggregations (hash
  aggregates over stock moves and sale lines) fit in memory instead of
  spilling to disk at the default 4MB; 100 connections x 16MB stays well
  within a machine that runs PostgreSQL with production loads.
- synchronous_commit stays on (not set here): a paid order, a reservation
  or a refund acknowledged to a client must survive a crash of the server.
"""
import time
import urllib.parse

DATABASE_SETTINGS = {
    'jit': 'off',
    'random_page_cost': '1.1',
    'work_mem': '16MB',
    }
EXTENSIONS = ('unaccent', 'pg_trgm')


class DatabaseError(RuntimeError):
    pass


def pg_uri(uri, database):
    """libpq URI of database from trytond's postgresql://user:pw@host:port/
    (its query string, e.g. sslmode, kept)"""
    parts = urllib.parse.urlsplit(uri)
    return urllib.parse.urlunsplit(
        (parts.scheme, parts.netloc, '/' + database, parts.query, ''))


def connect(uri, database, **kwargs):
    import psycopg
    return psycopg.connect(pg_uri(uri, database), autocommit=True, **kwargs)


def wait(uri, timeout=60, log=print):
    "Wait until the server accepts connections (DatabaseError on timeout)"
    import psycopg
    deadline = time.monotonic() + timeout
    while True:
        try:
            with connect(uri, 'postgres', connect_timeout=3):
                return
        except psycopg.OperationalError as error:
            if time.monotonic() > deadline:
                raise DatabaseError("PostgreSQL not ready after %ss: %s"
                    % (timeout, str(error).strip()))
            log("waiting for PostgreSQL...")
            time.sleep(2)


def exists(uri, name):
    with connect(uri, 'postgres') as connection:
        return connection.execute(
            'SELECT 1 FROM pg_database WHERE datname = %s',
            (name,)).fetchone() is not None


def prepare(uri, name, extensions=EXTENSIONS, log=print):
    """Create database name if missing (UTF8, template0), its extensions
    and its settings; idempotent. Returns True when it was created."""
    from psycopg import sql
    created = False
    if not exists(uri, name):
        log("creating database %s" % name)
        with connect(uri, 'postgres') as connection:
            connection.execute(sql.SQL(
                    "CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0"
                    ).format(sql.Identifier(name)))
        created = True
    with connect(uri, name) as connection:
        # Accent-insensitive and similarity search (fr/nl names): trusted
        # extensions, the database owner may create them.
        for extension in extensions:
            try:
                connection.execute(sql.SQL(
                        'CREATE EXTENSION IF NOT EXISTS {}').format(
                        sql.Identifier(extension)))
            except Exception as error:
                log("warning: could not create extension %s: %s"
                    % (extension, str(error).strip()))
        for setting, value in DATABASE_SETTINGS.items():
            connection.execute(sql.SQL('ALTER DATABASE {} SET {} = {}').format(
                    sql.Identifier(name), sql.Identifier(setting),
                    sql.Literal(value)))
    return created


def settings(uri, name):
    "The settings a new connection to database name gets: {name: value}"
    with connect(uri, name) as connection:
        return {s: connection.execute(
                    'SELECT current_setting(%s)', (s,)).fetchone()[0]
            for s in ['jit', 'random_page_cost', 'work_mem',
                'synchronous_commit', 'shared_buffers']}


def has_table(uri, name, table):
    with connect(uri, name) as connection:
        return connection.execute('SELECT to_regclass(%s) IS NOT NULL',
            (table,)).fetchone()[0]


def table_empty(uri, name, table):
    from psycopg import sql
    if not has_table(uri, name, table):
        return False
    with connect(uri, name) as connection:
        return connection.execute(sql.SQL('SELECT count(*) FROM {}').format(
                sql.Identifier(table))).fetchone()[0] == 0
