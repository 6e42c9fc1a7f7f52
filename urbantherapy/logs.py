"""Structured logs: a request id for every web request, carried by the tasks
it queues, and JSON lines in production.

- `RequestIdMiddleware` (outermost `[wsgi middleware]`, production.conf):
  takes the id of an incoming `X-Request-Id` header when it is a sane token
  (`REQUEST_ID_PATTERN`: what a proxy or a client generates, no spaces or
  quotes to forge a log line with), else generates one; answers it in the
  `X-Request-Id` response header; holds it in `REQUEST_ID` (a context
  variable) while the request is handled, and writes one access line
  (logger `urbantherapy.access`) when the answer is sent.
- urban_catalog/queue.py stores the id in the context of every task queued
  during the request (`request_id`), and sets it again while the task runs,
  in the worker or in-process.
- `JsonFormatter`: one JSON object per line with time (UTC, ISO 8601),
  level, logger, message, request_id, the database and user of the current
  Tryton transaction when there is one, the exception's traceback, and the
  extra fields a call passes (`logger.info(..., extra={...})`).
  config/logging-json.conf uses it; the production entrypoint sets
  `URBAN_LOG_FORMAT=json`, which points TRYTOND_LOGGING_CONFIG (read by
  gunicorn's workers, trytond-worker and trytond-cron) at that file. The
  demo keeps Tryton's readable text.
"""
import contextvars
import datetime as dt
import json
import logging
import re
import time
import traceback
import uuid

REQUEST_ID = contextvars.ContextVar('urban_request_id', default=None)
REQUEST_ID_HEADER = 'X-Request-Id'
REQUEST_ID_PATTERN = re.compile(r'[A-Za-z0-9][A-Za-z0-9._:+=/-]{0,127}')
CONTEXT_KEY = 'request_id'

# named, not created here: fileConfig imports this module for the formatter
# and then disables the loggers that exist and that it does not name
ACCESS_LOGGER = 'urbantherapy.access'

# the attributes of every LogRecord: the others are a call's extra fields
_RECORD_ATTRIBUTES = set(vars(logging.LogRecord(
            '', logging.INFO, '', 0, '', (), None))) | {
    'message', 'asctime', 'taskName'}


def sane(value):
    "value as a request id if it is a sane token, else None"
    if value and REQUEST_ID_PATTERN.fullmatch(value):
        return value
    return None


def new_request_id():
    return uuid.uuid4().hex


def current():
    "The request id of what this thread handles now (None outside)"
    return REQUEST_ID.get()


class bound:
    "Context manager: the request id is request_id inside (None: unchanged)"

    def __init__(self, request_id):
        self.request_id = request_id
        self.token = None

    def __enter__(self):
        if self.request_id is not None:
            self.token = REQUEST_ID.set(self.request_id)
        return self.request_id

    def __exit__(self, *exc):
        if self.token is not None:
            try:
                REQUEST_ID.reset(self.token)
            except ValueError:
                # reset from another context (never in a WSGI thread)
                REQUEST_ID.set(None)


def _transaction():
    "(database name, user id) of the current Tryton transaction, or Nones"
    try:
        from trytond.transaction import Transaction
    except ImportError:
        return None, None
    # Transaction() would push a new, empty transaction when there is none
    transactions = getattr(Transaction._local, 'transactions', None)
    if not transactions:
        return None, None
    transaction = transactions[-1]
    database = getattr(transaction, 'database', None)
    return (getattr(database, 'name', None),
        getattr(transaction, 'user', None))


class JsonFormatter(logging.Formatter):
    "One JSON object per line (see the module's documentation)"

    def format(self, record):
        entry = {
            'time': dt.datetime.fromtimestamp(record.created,
                dt.timezone.utc).isoformat(timespec='milliseconds'),
            'level': record.levelname,
            'logger': record.name,
            'message': record.getMessage(),
            'request_id': getattr(record, 'request_id', None) or current(),
            }
        database, user = _transaction()
        if database is not None:
            entry['db'] = database
        if user is not None:
            entry['user'] = user
        entry['process'] = record.process
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry['exception'] = ''.join(
                traceback.format_exception(*record.exc_info)).rstrip()
        elif record.exc_text:
            entry['exception'] = record.exc_text
        if record.stack_info:
            entry['stack'] = record.stack_info
        return json.dumps(entry, default=str, ensure_ascii=False)


class RequestIdMiddleware:
    "The request id of every request (see the module's documentation)"

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        request_id = (sane(environ.get('HTTP_X_REQUEST_ID'))
            or new_request_id())
        environ['urban.request_id'] = request_id
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status = []

        def start(code, headers, exc_info=None):
            headers = [(k, v) for k, v in headers
                if k.lower() != REQUEST_ID_HEADER.lower()]
            headers.append((REQUEST_ID_HEADER, request_id))
            status[:] = [code]
            return start_response(code, headers, exc_info)

        def done():
            logging.getLogger(ACCESS_LOGGER).info('%s %s %s',
                environ.get('REQUEST_METHOD'),
                environ.get('PATH_INFO', ''),
                status[0][:3] if status else '500',
                extra={
                    'method': environ.get('REQUEST_METHOD'),
                    'path': environ.get('PATH_INFO', ''),
                    'status': int(status[0][:3]) if status else 500,
                    'duration_ms': round(
                        (time.perf_counter() - started) * 1000, 1),
                    'remote_addr': environ.get('REMOTE_ADDR'),
                    })
            try:
                REQUEST_ID.reset(token)
            except ValueError:
                REQUEST_ID.set(None)
        try:
            body = self.app(environ, start)
        except BaseException:
            done()
            raise
        file_wrapper = environ.get('wsgi.file_wrapper')
        if isinstance(file_wrapper, type) and isinstance(body, file_wrapper):
            # a static file the server may send by itself (sendfile)
            done()
            return body
        return _Closing(body, done)


class _Closing:
    """The application's iterable; the request ends (access line, id reset)
    when the server closes it, after the body was sent"""

    def __init__(self, body, done):
        self.body = body
        self.done = done

    def __iter__(self):
        return iter(self.body)

    def close(self):
        try:
            if hasattr(self.body, 'close'):
                self.body.close()
        finally:
            self.done()
