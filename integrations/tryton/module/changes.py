# The change log: one row per party or sale that a transaction changed,
# written in that same transaction (so it commits or rolls back with the
# change), and read by every process that keeps an engine, from its own
# position, to apply exactly what others committed since (docs/tryton.md,
# "How the processes stay in step").
#
# Positions. SQLite has one writer at a time, so ids commit in order and a
# position is the last id read. PostgreSQL commits concurrent transactions in
# any order, so ids say nothing; a position is instead the snapshot of the
# transaction that read the log: every row written by a transaction that was
# finished when that snapshot was taken has been seen, and the rows still to
# read are those of transactions that were running then (the snapshot's xip
# list) or started later (txid >= its xmax). A row's txid is its writer's.
import datetime
import logging

from trytond import backend
from trytond.model import ModelSQL, fields
from trytond.pool import Pool
from trytond.transaction import Transaction

__all__ = ['Change', 'log', 'transaction_state', 'since',
    'current_position', 'pending_parties', 'prune']

logger = logging.getLogger(__name__)

PARTY, SALE, REBUILD = 'party', 'sale', 'rebuild'


def postgresql():
    return backend.name == 'postgresql'


def param():
    "The DB-API placeholder of the current backend."
    return '%s' if postgresql() else '?'


class Change(ModelSQL):
    "crmtier Change"
    __name__ = 'crmtier.change'
    kind = fields.Char("Kind", required=True)
    party = fields.Integer("Party")
    sale = fields.Integer("Sale")
    txid = fields.BigInteger("Transaction")

    @classmethod
    def __register__(cls, module_name):
        super().__register__(module_name)
        table = cls.__table_handler__(module_name)
        table.index_action(['party'], action='add')
        table.index_action(['txid'], action='add')


class _TransactionState:
    """Joins a Tryton transaction: what it logged, and what a refresh did in
    it, so that a commit or a rollback can settle both."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.logged = set()
        self.enqueued = False
        self.on_finish = []
        self.on_abort = []

    def __eq__(self, other):
        return isinstance(other, _TransactionState)

    def __hash__(self):
        return hash(_TransactionState)

    def tpc_begin(self, transaction):
        pass

    def commit(self, transaction):
        pass

    def tpc_vote(self, transaction):
        pass

    def tpc_finish(self, transaction):
        callbacks = self.on_finish
        self.reset()
        for callback in callbacks:
            callback()

    def tpc_abort(self, transaction):
        callbacks = self.on_abort
        self.reset()
        for callback in callbacks:
            callback()


def transaction_state():
    return Transaction().join(_TransactionState())


def log(kind, parties=(), sales=()):
    """Record that this transaction changed these parties, or these sales
    (pairs of sale id and party id), and ask for a refresh after it commits.
    Each record is logged once per transaction."""
    transaction = Transaction()
    if transaction.context.get('crmtier_no_log'):
        return
    state = transaction_state()
    rows = []
    if kind == PARTY:
        for party in parties:
            key = (PARTY, party)
            if party is not None and key not in state.logged:
                state.logged.add(key)
                rows.append((PARTY, party, None))
    elif kind == SALE:
        for sale, party in sales:
            key = (SALE, sale, party)
            if key not in state.logged:
                state.logged.add(key)
                rows.append((SALE, party, sale))
    elif kind == REBUILD:
        rows.append((REBUILD, None, None))
    if not rows:
        return
    Change = Pool().get('crmtier.change')
    table = Change.__table__()
    p = param()
    txid = 'txid_current()' if postgresql() else 'NULL'
    cursor = transaction.connection.cursor()
    now = datetime.datetime.utcnow()
    cursor.executemany(
        'INSERT INTO "%s" (kind, party, sale, txid, create_uid, create_date) '
        'VALUES (%s, %s, %s, %s, %s, %s)' % (
            table._name, p, p, p, txid, p, p),
        [(k, pa, sa, transaction.user, now) for k, pa, sa in rows])
    if not state.enqueued:
        state.enqueued = True
        Configuration = Pool().get('crmtier.configuration')
        Configuration.enqueue_refresh()


# ------------------------------------------------------------------ reading

def current_position():
    """This transaction's position in the log (see the head of the file),
    and its text form, stored with results as the position they cover."""
    cursor = Transaction().connection.cursor()
    Change = Pool().get('crmtier.change')
    if postgresql():
        cursor.execute('SELECT txid_current_snapshot()::text, '
            'txid_snapshot_xmax(txid_current_snapshot()), '
            'ARRAY(SELECT txid_snapshot_xip(txid_current_snapshot()))')
        text, xmax, xip = cursor.fetchone()
        return (int(xmax), tuple(int(x) for x in xip)), text
    table = Change.__table__()
    cursor.execute('SELECT COALESCE(MAX(id), 0) FROM "%s"' % table._name)
    last, = cursor.fetchone()
    return int(last), str(int(last))


def since(position):
    """The log rows written after `position` that this transaction sees:
    (id, kind, party, sale) tuples, and the new position."""
    Change = Pool().get('crmtier.change')
    table = Change.__table__()
    cursor = Transaction().connection.cursor()
    new_position, text = current_position()
    if postgresql():
        xmax, xip = position
        cursor.execute('SELECT id, kind, party, sale FROM "%s" '
            'WHERE txid >= %%s OR txid = ANY(%%s) ORDER BY id'
            % table._name, (xmax, list(xip)))
    else:
        cursor.execute('SELECT id, kind, party, sale FROM "%s" '
            'WHERE id > ? AND id <= ? ORDER BY id' % table._name,
            (position, new_position))
    return cursor.fetchall(), new_position, text


def covered_condition(change, result):
    """SQL (text) true when the log row `change` is not covered by the
    position stored on the result row `result` (aliases), or there is none."""
    if postgresql():
        return ('(%s.covered IS NULL OR NOT txid_visible_in_snapshot('
            '%s.txid, %s.covered::txid_snapshot))' % (result, change, result))
    return ('(%s.covered IS NULL OR %s.id > CAST(%s.covered AS INTEGER))'
        % (result, change, result))


def pending_parties(party_ids=None):
    """The parties (of party_ids, or all) with a logged change that their
    stored result does not cover yet."""
    pool = Pool()
    change = pool.get('crmtier.change').__table__()._name
    result = pool.get('crmtier.result').__table__()._name
    cursor = Transaction().connection.cursor()
    query = ('SELECT DISTINCT c.party FROM "%s" c LEFT JOIN "%s" r '
        'ON r.id = c.party WHERE c.party IS NOT NULL AND %s' % (
            change, result, covered_condition('c', 'r')))
    if party_ids is None:
        cursor.execute(query)
        return {r[0] for r in cursor}
    found = set()
    ids = sorted(set(party_ids))
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        cursor.execute(query + ' AND c.party IN (%s)' % ','.join(
                [param()] * len(chunk)), chunk)
        found.update(r[0] for r in cursor)
    return found


def prune(before):
    "Delete the log rows written before `before` (a UTC datetime)."
    Change = Pool().get('crmtier.change')
    table = Change.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*table.delete(where=table.create_date < before))

