"""Queued tasks survive the death of the worker that took them.

trytond's worker marks a task taken (`dequeued_at`, committed) before a
child process runs it; when that process dies (killed, out of memory, host
restarted) the task stays taken and unfinished for ever. Here a task holds
a PostgreSQL advisory lock on its id while it runs, so that a task taken for
more than a grace period whose lock nobody holds is one whose worker is
gone: `requeue_abandoned` gives it back to the workers. It runs when the
worker role starts (urbantherapy/prod/entrypoint.py) and every minute by
cron.

A task queued during a web request carries the request's id in its context
(`request_id`, urbantherapy/logs.py), and the log lines of its run carry
it, in the worker as in-process.
"""
import logging
import time

from trytond import backend
from trytond.pool import PoolMeta
from trytond.transaction import Transaction

from urbantherapy import logs

logger = logging.getLogger(__name__)

# first half of the advisory lock key ('UQ'); the task id is the second
LOCK_CLASS = 0x5551
GRACE = 60

REQUEUE = (
    # the candidates first (materialised): the lock is only tried on them
    # (the strings are indented as the SQL nests, hence noqa: E131)
    'WITH taken AS MATERIALIZED ('
        'SELECT id FROM ir_queue WHERE finished_at IS NULL '  # noqa: E131
        'AND dequeued_at IS NOT NULL '
        'AND dequeued_at < CAST(now() - make_interval(secs => %s) '
            'AS timestamp)) '  # noqa: E131
    'UPDATE ir_queue SET dequeued_at = NULL FROM taken '
    'WHERE ir_queue.id = taken.id '
    'AND pg_try_advisory_xact_lock(%s, taken.id) '
    'RETURNING ir_queue.id')


def requeue(cursor, grace=GRACE):
    """Give back the tasks taken more than grace seconds ago that no process
    runs; returns their ids (the caller commits)"""
    cursor.execute(REQUEUE, (grace, LOCK_CLASS))
    ids = [r[0] for r in cursor.fetchall()]
    if ids:
        # idle workers wait on this channel (trytond.ir.queue_.push)
        cursor.execute('NOTIFY "ir.queue"')
    return ids


class Queue(metaclass=PoolMeta):
    __name__ = 'ir.queue'

    @classmethod
    def push(cls, name, data, scheduled_at=None, expected_at=None):
        request_id = logs.current()
        context = data.get('context')
        if (request_id and isinstance(context, dict)
                and not context.get(logs.CONTEXT_KEY)):
            data = dict(data,
                context=dict(context, **{logs.CONTEXT_KEY: request_id}))
        return super().push(name, data, scheduled_at=scheduled_at,
            expected_at=expected_at)

    def run(self):
        if backend.name == 'postgresql':
            # held until this task's transaction ends, whatever happens
            Transaction().connection.cursor().execute(
                'SELECT pg_advisory_xact_lock(%s, %s)',
                (LOCK_CLASS, self.id))
        data = self.data or {}
        request_id = logs.sane((data.get('context') or {}).get(
                logs.CONTEXT_KEY))
        what = '%s.%s' % (data.get('model'), data.get('method'))
        with logs.bound(request_id):
            logger.info("task %s %s started", self.id, what,
                extra={'task': self.id, 'queue': self.name})
            started = time.perf_counter()
            try:
                super().run()
            except Exception:
                logger.info("task %s %s failed after %.0f ms", self.id,
                    what, (time.perf_counter() - started) * 1000,
                    extra={'task': self.id, 'queue': self.name})
                raise
            logger.info("task %s %s done in %.0f ms", self.id, what,
                (time.perf_counter() - started) * 1000,
                extra={'task': self.id, 'queue': self.name})

    @classmethod
    def requeue_abandoned(cls):
        "Cron: give back the tasks of workers that died to the others"
        if backend.name != 'postgresql':
            return []
        return requeue(Transaction().connection.cursor())


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('ir.queue|requeue_abandoned',
                "Requeue Tasks of Stopped Workers"))
