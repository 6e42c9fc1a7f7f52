"""Backups and restores: the database and the filestore, together.

`backup [--output DIR]` writes DIR/<database>-<UTC time>/ holding
    database.dump     pg_dump --format=custom --no-owner --no-privileges
    filestore.tar.gz  Tryton's filestore of the database ([database] path/<db>)
    manifest.json     database, time, PostgreSQL and pg_dump versions, our
                      modules' fingerprint, and the size and SHA-256 of each
                      file

`restore BACKUP [--database NAME]` checks every checksum of the manifest
first, then restores into NAME (URBAN_DATABASE by default), which must not
exist: it is created as `migrate` creates it (UTF8, extensions, settings),
the dump is restored into it and the filestore unpacked under its name.
To replace a database: stop web, worker and cron, drop it (or restore under
another name and point URBAN_DATABASE at it), restore, start them again.
"""
import argparse
import datetime as dt
import hashlib
import json
import os
import subprocess
import tarfile
import tempfile

from . import database

DUMP = 'database.dump'
FILESTORE = 'filestore.tar.gz'
MANIFEST = 'manifest.json'


class BackupError(RuntimeError):
    pass


def sha256(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def _program_version(program):
    return subprocess.run([program, '--version'], capture_output=True,
        text=True, check=True).stdout.strip()


def _fingerprint():
    try:
        from urbantherapy.fingerprint import modules_fingerprint
        return modules_fingerprint()
    except OSError:  # installed without requirements.txt (the image)
        return None


def backup(uri, name, filestore_root, output, log=print):
    "Back database name and its filestore up into a new directory of output"
    created = dt.datetime.now(dt.timezone.utc)
    directory = os.path.join(output, '%s-%s' % (
            name, created.strftime('%Y%m%dT%H%M%SZ')))
    os.makedirs(directory)
    dump = os.path.join(directory, DUMP)
    log("dumping database %s" % name)
    subprocess.run(['pg_dump', '--format=custom', '--no-owner',
            '--no-privileges', '--file', dump, database.pg_uri(uri, name)],
        check=True)
    log("archiving the filestore")
    files = os.path.join(filestore_root, name)
    with tarfile.open(os.path.join(directory, FILESTORE), 'w:gz') as tar:
        if os.path.isdir(files):
            tar.add(files, arcname='.')
    with database.connect(uri, name) as connection:
        server = connection.execute('SHOW server_version').fetchone()[0]
    manifest = {
        'database': name,
        'created_at': created.isoformat(),
        'postgresql': server,
        'pg_dump': _program_version('pg_dump'),
        'modules_fingerprint': _fingerprint(),
        'files': {f: {'size': os.path.getsize(os.path.join(directory, f)),
                'sha256': sha256(os.path.join(directory, f))}
            for f in [DUMP, FILESTORE]},
        }
    with open(os.path.join(directory, MANIFEST), 'w') as f:
        json.dump(manifest, f, indent=2)
        f.write('\n')
    log("backup in %s" % directory)
    return directory


def verify(directory):
    "The manifest of the backup in directory, once every file matches it"
    try:
        with open(os.path.join(directory, MANIFEST)) as f:
            manifest = json.load(f)
    except (OSError, ValueError) as error:
        raise BackupError("%s holds no readable %s: %s"
            % (directory, MANIFEST, error))
    for name, expected in manifest['files'].items():
        path = os.path.join(directory, name)
        if not os.path.isfile(path):
            raise BackupError("%s is missing from the backup" % name)
        if (os.path.getsize(path) != expected['size']
                or sha256(path) != expected['sha256']):
            raise BackupError("%s does not match the manifest's checksum: "
                "the backup is damaged" % name)
    return manifest


def restore(uri, directory, name, filestore_root, log=print):
    "Restore the backup in directory into the new database name"
    manifest = verify(directory)
    if database.exists(uri, name):
        raise BackupError("database %s exists: restore into a new database "
            "(or drop it first, with web, worker and cron stopped)" % name)
    files = os.path.join(filestore_root, name)
    if os.path.isdir(files) and os.listdir(files):
        raise BackupError("the filestore %s is not empty" % files)
    database.prepare(uri, name, log=log)
    dump = os.path.join(directory, DUMP)
    # The extensions exist already (prepare) and only their owner may
    # comment them: leave their COMMENT entries out.
    entries = subprocess.run(['pg_restore', '--list', dump],
        capture_output=True, text=True, check=True).stdout.splitlines()
    with tempfile.NamedTemporaryFile('w', suffix='.list') as listing:
        listing.write('\n'.join(e for e in entries
                if ' COMMENT - EXTENSION ' not in e) + '\n')
        listing.flush()
        log("restoring database %s from %s (%s)" % (
                name, manifest['database'], manifest['created_at']))
        subprocess.run(['pg_restore', '--no-owner', '--no-privileges',
                '--exit-on-error', '--single-transaction',
                '--use-list', listing.name,
                '--dbname', database.pg_uri(uri, name), dump], check=True)
    os.makedirs(files, exist_ok=True)
    with tarfile.open(os.path.join(directory, FILESTORE), 'r:gz') as tar:
        tar.extractall(files, filter='data')
    log("database %s restored" % name)
    return manifest


def main(role, uri, args, environ=os.environ):
    "The entrypoint's backup and restore roles"
    from .entrypoint import ConfigurationError, effective_config, log
    config = effective_config(environ)
    filestore_root = config.get('database', 'path')
    parser = argparse.ArgumentParser(prog=role)
    if role == 'backup':
        parser.add_argument('--output',
            default=environ.get('URBAN_BACKUP_DIR', 'backups'))
    else:
        parser.add_argument('backup', help="directory made by backup")
        parser.add_argument('--database',
            default=environ['URBAN_DATABASE'])
    options = parser.parse_args(args)
    try:
        if role == 'backup':
            backup(uri, environ['URBAN_DATABASE'], filestore_root,
                options.output, log=log)
        else:
            restore(uri, options.backup, options.database, filestore_root,
                log=log)
    except BackupError as error:
        raise ConfigurationError(str(error))
    return 0
