# The per-process crmtier engines, one per database, and the on-save flow:
# send the saved records, ask the change feed which parties' results moved,
# write those results back in the same transaction.
#
# An engine is built from the database (every active party, every counted
# sale) the first time a process needs it, again when the policy changes,
# and again after a transaction that touched it rolls back (its in-memory
# portfolio may then hold records the database never kept).
import datetime
import hashlib
import json
import logging
import threading

from sql.conditionals import Coalesce

from trytond.config import config
from trytond.pool import Pool
from trytond.transaction import Transaction

from .binding import crmtier
from . import records

__all__ = ['rescore', 'rebuild', 'invalidate', 'library_path']

logger = logging.getLogger(__name__)

# One lock for all engines of the process: a save, its change feed and the
# write-back form one unit; trytond serves requests from several threads.
_lock = threading.RLock()
_states = {}  # database name -> _State


class _State:
    def __init__(self, engine, policy_key, adapter):
        self.engine = engine
        self.policy_key = policy_key
        self.adapter = adapter
        self.as_of = None
        self.seq = 0
        self.generation = None


def library_path():
    "[crmtier] library in trytond.conf, else $CRMTIER_LIBRARY / beside the binding."
    return config.get('crmtier', 'library', default=None) or None


def _adapter_option():
    return config.get('crmtier', 'adapter', default='auto')


def _as_of(policy):
    """Context "crmtier_as_of", else [crmtier] as_of, else the policy's
    "as_of", else today (UTC)."""
    value = (Transaction().context.get('crmtier_as_of')
        or config.get('crmtier', 'as_of', default=None)
        or policy.get('as_of'))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value or datetime.datetime.utcnow().date().isoformat()


def _configuration():
    "The policy text and dict, and the generation, from the singleton."
    Configuration = Pool().get('crmtier.configuration')
    configuration = Configuration(1)
    text = configuration.policy or '{}'
    # Read with SQL: the record cache of this transaction may predate a bump.
    table = Configuration.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*table.select(Coalesce(table.generation, 0),
            order_by=table.id.asc, limit=1))
    row = cursor.fetchone()
    return text, json.loads(text), row[0] if row else 0


def _bump_generation(state):
    "Record in the database that this process's engine moved on."
    pool = Pool()
    Configuration = pool.get('crmtier.configuration')
    table = Configuration.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*table.select(table.id, order_by=table.id.asc, limit=1))
    row = cursor.fetchone()
    if not row:
        # ModelSingleton stores its row on first write only.
        with Transaction().set_context(_check_access=False):
            Configuration.create([{}])
        cursor.execute(*table.select(table.id, order_by=table.id.asc, limit=1))
        row = cursor.fetchone()
    cursor.execute(*table.update(
            [table.generation], [Coalesce(table.generation, 0) + 1],
            where=table.id == row[0]))
    cursor.execute(*table.select(table.generation, where=table.id == row[0]))
    state.generation, = cursor.fetchone()


class _InvalidateOnAbort:
    "Joins a transaction; drops the database's engine when it rolls back."

    def __init__(self, database):
        self.database = database

    def __eq__(self, other):
        return (isinstance(other, _InvalidateOnAbort)
            and other.database == self.database)

    def __hash__(self):
        return hash(self.database)

    def tpc_begin(self, transaction):
        pass

    def commit(self, transaction):
        pass

    def tpc_vote(self, transaction):
        pass

    def tpc_finish(self, transaction):
        pass

    def tpc_abort(self, transaction):
        invalidate(self.database)


def invalidate(database=None):
    "Forget the engine of `database` (all when None); rebuilt on next use."
    with _lock:
        names = list(_states) if database is None else [database]
        for name in names:
            state = _states.pop(name, None)
            if state:
                state.engine.close()


def _detect_adapter(engine):
    option = _adapter_option()
    if option != 'auto':
        return option
    try:
        next(iter(engine.results('tryton')), None)
        return 'tryton'
    except crmtier.AdapterError:
        return 'canonical'


def _owner(party):
    user = party.create_uid
    return user.login if user else None


def _to_engine(state, record):
    if state.adapter == 'tryton':
        return record
    return records.to_canonical(record)


def _send(state, record):
    data = _to_engine(state, record)
    try:
        state.engine.save(state.adapter, data)
    except crmtier.NotFoundError:
        # Deleting what the engine never had.
        if not data.get('deleted') and data.get('active', True):
            raise


def _build(database, policy_text, policy):
    pool = Pool()
    Party = pool.get('party.party')
    Sale = pool.get('sale.sale')
    engine = crmtier.Engine(policy_text, library=library_path())
    try:
        adapter = _detect_adapter(engine)
        state = _State(engine, _key(policy_text), adapter)
        lines = []
        with Transaction().set_context(_check_access=False, active_test=True):
            for party in Party.search([]):
                lines.append(_to_engine(state,
                        records.party_record(party, _owner(party))))
            for sale in Sale.search([
                        ('state', 'in', records.COUNTED_SALE_STATES)]):
                if sale.party and sale.party.active:
                    lines.append(_to_engine(state, records.sale_record(sale)))
        if lines:
            engine.load(adapter, lines)
        logger.info('crmtier engine for %s built: %d records, adapter %s',
            database, len(lines), adapter)
    except Exception:
        engine.close()
        raise
    return state


def _key(policy_text):
    return hashlib.sha256(policy_text.encode('utf-8')).hexdigest()


def _state():
    "The engine of the current database, (re)built when needed."
    transaction = Transaction()
    database = transaction.database.name
    policy_text, policy, generation = _configuration()
    state = _states.get(database)
    if (state is None or state.policy_key != _key(policy_text)
            or state.generation != generation):
        invalidate(database)
        state = _states[database] = _build(database, policy_text, policy)
        state.generation = generation
    transaction.join(_InvalidateOnAbort(database))
    as_of = _as_of(policy)
    if state.as_of != as_of:
        state.engine.set_as_of(as_of)
        state.as_of = as_of
    return state


def _refresh(state, extra_ids=()):
    "Write back the results of every party the change feed names."
    pool = Pool()
    Party = pool.get('party.party')
    feed = state.engine.changes(state.seq)
    state.seq = feed['seq']
    ids = {int(i) for i in feed['changed']} | set(extra_ids)
    deleted = {int(i) for i in feed['deleted']} - ids
    with Transaction().set_context(_check_access=False, active_test=False,
            crmtier_writing=True):
        parties = Party.browse(Party.search([('id', 'in', list(ids | deleted))]))
        to_write = {}
        for party in parties:
            if party.id in ids:
                values = _result_values(state, party.id)
            else:
                values = dict(records.EMPTY_VALUES)
            if any(getattr(party, f) != v for f, v in values.items()):
                key = tuple(sorted(values.items()))
                to_write.setdefault(key, []).append(party)
        args = []
        for key, group in to_write.items():
            args.extend((group, dict(key)))
        if args:
            Party.write(*args)
    return len(parties)


def _result_values(state, party_id):
    try:
        rendered = state.engine.result(str(party_id), state.adapter)
    except crmtier.NotFoundError:
        return dict(records.EMPTY_VALUES)
    if state.adapter != 'tryton':
        rendered = records.from_canonical(rendered)
    return records.party_values(rendered)


def rescore(parties=(), sales=()):
    """On save: send these parties and sales to the engine, then refresh
    every party whose result changed (those included)."""
    with _lock:
        state = _state()
        ids = set()
        for party in parties:
            _send(state, records.party_record(party, _owner(party)))
            if party.active:
                ids.add(party.id)
        for sale in sales:
            _send(state, records.sale_record(sale))
        _bump_generation(state)
        return _refresh(state, ids)


def rebuild():
    "Rebuild the engine from the database and refresh every party."
    with _lock:
        invalidate(Transaction().database.name)
        state = _state()
        return _refresh(state)


def check_policy(text):
    "Raise crmtier.CrmtierError when the policy JSON is not accepted."
    crmtier.Engine(text or '{}', library=library_path()).close()


def forget(party_records):
    "Parties deleted from the database: delete them from the engine too."
    with _lock:
        state = _state()
        for record in party_records:
            _send(state, record)
        _bump_generation(state)
        return _refresh(state)
