# The stored results: one row per party (its id is the party's id), written
# only by the refresh (never in a user's transaction, so a user's save never
# waits for it nor fails because of it), read by the party's fields, its
# searches, sorts and the worklists. A row keeps the canonical result JSON
# the engine returned, the columns the lists search and sort on, the log
# position it covers (changes.py), and who wrote it: a refresh that finds
# rows written by another process checks them against its own engine.
import datetime
import json
import os
import socket
import uuid

from trytond.model import ModelSQL, fields
from trytond.pool import Pool
from trytond.transaction import Transaction

from .changes import param, postgresql

__all__ = ['Result', 'Refresher', 'new_origin', 'read', 'upsert',
    'written_since', 'columns_of']


def new_origin():
    """A writer of result rows and owner of a status row: one per engine,
    host, pid and a random part."""
    return '%s:%d:%s' % (socket.gethostname(), os.getpid(),
        uuid.uuid4().hex[:8])


TIERS = [(None, ''), ('A', 'A'), ('B', 'B'), ('C', 'C'), ('D', 'D')]
COLOURS = [(None, ''), ('red', 'Red'), ('orange', 'Orange'),
    ('yellow', 'Yellow'), ('lightblue', 'Light Blue'), ('blue', 'Blue'),
    ('grey', 'Grey')]
CHANNELS = [(None, ''), ('call_or_visit', 'Call or Visit'), ('call', 'Call'),
    ('email', 'E-mail')]

# Canonical result key -> column, for the values lists search and sort on.
COLUMNS = {
    'tier': 'tier',
    'revenue_tier': 'revenue_tier',
    'temperature': 'temperature',
    'colour': 'colour',
    'colour_hex': 'colour_hex',
    'escalate': 'escalate',
    'next_contact': 'next_contact',
    'channel': 'channel',
    'overdue_days': 'overdue_days',
    'declining': 'declining',
    'decline_pct': 'decline_pct',
    'annual_revenue': 'annual_revenue',
    'prior_revenue': 'prior_revenue',
    'potential': 'potential',
    'benchmark': 'benchmark',
    }


class Result(ModelSQL):
    "crmtier Result"
    __name__ = 'crmtier.result'
    result = fields.Text("Result")
    error = fields.Text("Error")
    tier = fields.Selection(TIERS, "Tier")
    revenue_tier = fields.Selection(TIERS, "Revenue Tier")
    temperature = fields.Integer("Temperature")
    colour = fields.Selection(COLOURS, "Colour")
    colour_hex = fields.Char("Colour Code")
    escalate = fields.Boolean("Escalate")
    next_contact = fields.Date("Next Contact")
    channel = fields.Selection(CHANNELS, "Channel")
    overdue_days = fields.Integer("Overdue Days")
    declining = fields.Boolean("Declining")
    decline_pct = fields.Integer("Decline %")
    annual_revenue = fields.Float("Annual Revenue")
    prior_revenue = fields.Float("Prior Revenue")
    potential = fields.Float("Potential")
    benchmark = fields.Float("Benchmark")
    as_of = fields.Date("As of")
    covered = fields.Char("Covered")
    origin = fields.Char("Origin")
    wtxid = fields.BigInteger("Writer Transaction")
    wseq = fields.BigInteger("Write Sequence")

    @classmethod
    def __register__(cls, module_name):
        super().__register__(module_name)
        table = cls.__table_handler__(module_name)
        for column in ('tier', 'colour', 'next_contact', 'overdue_days',
                'wtxid', 'wseq'):
            table.index_action([column], action='add')


class Refresher(ModelSQL):
    "crmtier Refresher"
    # One row per engine that refreshes results (a process and a database):
    # its state, for the party form and for an administrator.
    __name__ = 'crmtier.refresher'
    token = fields.Char("Process", required=True)
    state = fields.Char("State")
    message = fields.Text("Message")
    remaining = fields.Integer("Parties Left")
    seen = fields.Timestamp("Last Seen")

    @classmethod
    def __register__(cls, module_name):
        super().__register__(module_name)
        table = cls.__table_handler__(module_name)
        table.index_action(['token'], action='add')


def columns_of(result):
    "Column values of a canonical result (None: no result)."
    values = {c: None for c in COLUMNS.values()}
    if result:
        for key, column in COLUMNS.items():
            values[column] = result.get(key)
        if values['next_contact']:
            values['next_contact'] = datetime.date.fromisoformat(
                values['next_contact'])
    return values


def _table():
    return Pool().get('crmtier.result').__table__()._name


def read(ids, names=('result', 'error', 'covered')):
    "{id: {name: value}} of the stored rows of these ids."
    table = _table()
    cursor = Transaction().connection.cursor()
    found = {}
    ids = sorted(set(ids))
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        cursor.execute('SELECT id, %s FROM "%s" WHERE id IN (%s)' % (
                ', '.join(names), table, ','.join([param()] * len(chunk))),
            chunk)
        for row in cursor:
            found[row[0]] = dict(zip(names, row[1:]))
    return found


def all_ids():
    "Ids of every row holding a result or an error."
    cursor = Transaction().connection.cursor()
    cursor.execute('SELECT id FROM "%s" WHERE result IS NOT NULL OR '
        'error IS NOT NULL' % _table())
    return {r[0] for r in cursor}


_WRITTEN = ('result', 'error', 'covered', 'as_of') + tuple(COLUMNS.values())


def upsert(rows, covered, as_of, origin):
    """Write rows: (party id, canonical result dict or None, its JSON text or
    None, error text or None). Stamped with their writer `origin`, this
    transaction (PostgreSQL) or the next write sequence (SQLite) and
    `covered`."""
    if not rows:
        return
    table = _table()
    transaction = Transaction()
    cursor = transaction.connection.cursor()
    user = transaction.user
    values = []
    for party_id, result, text, error in rows:
        columns = columns_of(result)
        values.append([party_id, text, error, covered,
                as_of if result else None]
            + [columns[c] for c in COLUMNS.values()]
            + [origin, user, user])
    names = ('id',) + _WRITTEN + ('origin', 'create_uid', 'write_uid')
    update = ', '.join('%s = EXCLUDED.%s' % (n, n)
        for n in _WRITTEN + ('origin', 'write_uid'))
    if postgresql():
        from psycopg2.extras import execute_values
        execute_values(cursor,
            'INSERT INTO "%s" (%s, wtxid, create_date, write_date) VALUES %%s '
            'ON CONFLICT (id) DO UPDATE SET %s, wtxid = EXCLUDED.wtxid, '
            'write_date = EXCLUDED.write_date' % (
                table, ', '.join(names), update),
            values, template='(%s, txid_current(), CURRENT_TIMESTAMP, '
            'CURRENT_TIMESTAMP)' % ', '.join(['%s'] * len(names)),
            page_size=500)
    else:
        cursor.execute('SELECT COALESCE(MAX(wseq), 0) + 1 FROM "%s"' % table)
        wseq, = cursor.fetchone()
        cursor.executemany(
            'INSERT INTO "%s" (%s, wseq, create_date, write_date) VALUES '
            '(%s, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) '
            'ON CONFLICT (id) DO UPDATE SET %s, wseq = EXCLUDED.wseq, '
            'write_date = EXCLUDED.write_date' % (
                table, ', '.join(names), ', '.join(['?'] * len(names)),
                update),
            [v + [wseq] for v in values])


def current_write_position():
    "SQLite: the last write sequence (PostgreSQL uses the log's position)."
    cursor = Transaction().connection.cursor()
    cursor.execute('SELECT COALESCE(MAX(wseq), 0) FROM "%s"' % _table())
    return int(cursor.fetchone()[0])


def written_since(origin, position, write_position=None):
    """Ids of rows a writer other than `origin` wrote after `position`
    (PostgreSQL: a log position, changes.py) or `write_position`
    (SQLite)."""
    cursor = Transaction().connection.cursor()
    if postgresql():
        xmax, xip = position
        cursor.execute('SELECT id FROM "%s" WHERE (wtxid >= %%s OR '
            'wtxid = ANY(%%s)) AND origin <> %%s' % _table(),
            (xmax, list(xip), origin))
    else:
        cursor.execute('SELECT id FROM "%s" WHERE wseq > ? AND origin <> ?'
            % _table(), (write_position, origin))
    return {r[0] for r in cursor}


# ------------------------------------------------------------------ status

def set_status(origin, state, message=None, remaining=0):
    "Write the status row of `origin` (its own row: no other writer)."
    Refresher = Pool().get('crmtier.refresher')
    table = Refresher.__table__()._name
    transaction = Transaction()
    cursor = transaction.connection.cursor()
    p = param()
    now = datetime.datetime.utcnow()
    cursor.execute('UPDATE "%s" SET state = %s, message = %s, remaining = %s, '
        'seen = %s, write_date = %s WHERE token = %s' % (
            table, p, p, p, p, p, p),
        (state, message, remaining, now, now, origin))
    if cursor.rowcount == 0:
        cursor.execute('INSERT INTO "%s" (token, state, message, remaining, '
            'seen, create_uid, create_date) VALUES (%s, %s, %s, %s, %s, %s, '
            '%s)' % (table, p, p, p, p, p, p, p),
            (origin, state, message, remaining, now, transaction.user,
                now))


def statuses(since):
    "(token, state, message, remaining, seen) of processes seen after `since`."
    Refresher = Pool().get('crmtier.refresher')
    table = Refresher.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*table.select(table.token, table.state, table.message,
            table.remaining, table.seen, where=table.seen >= since,
            order_by=[table.seen.desc]))
    return cursor.fetchall()


def forget_statuses(before):
    Refresher = Pool().get('crmtier.refresher')
    table = Refresher.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*table.delete(where=table.seen < before))


def as_json(result):
    "The stored text of a canonical result: sorted keys, compact."
    if result is None:
        return None
    return json.dumps(result, sort_keys=True, separators=(',', ':'))
