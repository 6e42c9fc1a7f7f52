"""Bulk inserts for the demo history, the same on SQLite and PostgreSQL.

Rows are inserted with explicit ids (allocated from the table's sequence on
PostgreSQL, after the highest id on SQLite) so that related rows can point
at each other before they exist; a row made by the ORM serves as the model
of every column the history does not set (clone)."""
from sql import Table
from sql.aggregate import Max

from trytond import backend

# SQLite accepts 32766 parameters per statement (3.32+)
PARAMETERS = 20000


class Bulk:

    def __init__(self, transaction):
        self.transaction = transaction
        self.database = transaction.database
        self.connection = transaction.connection
        self.cursor = transaction.connection.cursor()
        self.counts = {}
        # the backend's name (Database.name is the database's)
        self.postgresql = backend.name == 'postgresql'

    def ids(self, table_name, count):
        "count new ids of table_name, reserved"
        if not count:
            return []
        if self.postgresql:
            ids = self.database.nextid(self.connection, table_name,
                count=count)
            return [ids] if count == 1 else list(ids)
        if not hasattr(self, '_next'):
            self._next = {}
        start = self._next.get(table_name)
        if start is None:
            table = Table(table_name)
            self.cursor.execute(*table.select(Max(table.id)))
            start = (self.cursor.fetchone()[0] or 0) + 1
        self._next[table_name] = start + count
        return list(range(start, start + count))

    def row(self, table_name, id_):
        "{column: value} of the row id_ of table_name"
        table = Table(table_name)
        self.cursor.execute(*table.select(where=table.id == id_))
        names = [d[0] for d in self.cursor.description]
        values = self.cursor.fetchone()
        return dict(zip(names, values))

    def insert(self, table_name, rows, model=None):
        """Insert rows (dicts); columns missing from a row take the value of
        model (a row dict) when given, else NULL"""
        if not rows:
            return
        columns = set(model or ())
        for row in rows:
            columns.update(row)
        columns = sorted(columns)
        base = model or {}
        values = ([row[c] if c in row else base.get(c) for c in columns]
            for row in rows)
        if self.postgresql:
            # COPY: several times faster than INSERTs of many rows
            with self.cursor.copy('COPY "%s" (%s) FROM STDIN' % (
                        table_name, ', '.join('"%s"' % c for c in columns))
                    ) as copy:
                for row in values:
                    copy.write_row(row)
        else:
            table = Table(table_name)
            sql_columns = [getattr(table, c) for c in columns]
            size = max(1, PARAMETERS // len(columns))
            values = list(values)
            for start in range(0, len(values), size):
                self.cursor.execute(*table.insert(sql_columns,
                        values=values[start:start + size]))
        self.counts[table_name] = self.counts.get(table_name, 0) + len(rows)

    def delete(self, table_name, ids):
        table = Table(table_name)
        if ids:
            self.cursor.execute(*table.delete(where=table.id.in_(list(ids))))
