"""Create or update the SQLite demo database, then load the demo data.

A first run initialises the database, activates our modules with their
dependencies and the fr/nl translations, and loads the demo business. A
later run only updates the modules when their source changed, so that
`make demo` serves again within seconds."""
import argparse
import os
import pathlib
import subprocess
import sys

from ..fingerprint import modules_fingerprint

DEMO_ADMIN_PASSWORD = 'urban-admin'


def trytond_admin(database, *args, password_file=None):
    env = dict(os.environ)
    if password_file:
        env['TRYTONPASSFILE'] = str(password_file)
    command = [str(pathlib.Path(sys.executable).with_name('trytond-admin')),
        '-d', database, *args]
    subprocess.run(command, env=env, check=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--database', required=True)
    parser.add_argument('--modules', nargs='+', required=True)
    parser.add_argument('--password-file', required=True)
    options = parser.parse_args(argv)

    directory = pathlib.Path(os.environ['TRYTOND_DATABASE__PATH'])
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / ('%s.sqlite' % options.database)
    stamp = directory / ('%s.modules.sha256' % options.database)
    fingerprint = modules_fingerprint()

    if path.exists() and not stamp.exists():
        # a first run that was interrupted: start again from scratch
        remove_database(path)
    if not path.exists():
        print("Creating the demo database %s" % path)
        password_file = pathlib.Path(options.password_file)
        password_file.write_text(DEMO_ADMIN_PASSWORD + '\n')
        path.touch()
        try:
            trytond_admin(options.database, '--all',
                '--email', 'admin@urbantherapy.be',
                password_file=password_file)
            print("Activating %s (a few minutes the first time)"
                % ' '.join(options.modules))
            trytond_admin(options.database, '-u', *options.modules,
                '--activate-dependencies', '-l', 'fr', 'nl')
        except BaseException:
            remove_database(path)  # never leave a half-made database behind
            raise
        load_demo(options.database, path)
    elif not stamp.exists() or stamp.read_text() != fingerprint:
        print("Our modules changed: updating the demo database")
        trytond_admin(options.database, '-u', *options.modules,
            '--activate-dependencies')
        fill_search_terms(options.database)
    stamp.write_text(fingerprint)
    return 0


def fill_search_terms(database):
    "The catalogue search's terms of the products that have none yet"
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    Pool(database).init()
    with Transaction().start(database, 0) as transaction:
        count = Pool().get('urban.search.term').fill()
        transaction.commit()
    if count:
        print("Catalogue search: terms of %s products built" % count)


def load_demo(database, path):
    from .loader import DemoLoader
    if os.environ.get('URBAN_DEMO_KEEP_ACTIVATED'):
        # developer shortcut: keep the freshly activated database to retry
        # the data loading without activating again
        import shutil
        shutil.copy(path, str(path) + '.activated')
    try:
        DemoLoader(database, os.environ.get('TRYTOND_CONFIG')).run()
    except BaseException:
        remove_database(path)
        raise


def remove_database(path):
    "Remove a SQLite database with its write-ahead log"
    for suffix in ('', '-wal', '-shm', '-journal'):
        pathlib.Path(str(path) + suffix).unlink(missing_ok=True)


if __name__ == '__main__':
    sys.exit(main())
