# The refresh: the only code that calls libcrmtier and the only writer of
# stored results. It runs outside users' transactions: in Tryton's queue
# (trytond-worker, or after the request that saved when no worker is
# configured), in trytond-cron, or when an administrator asks for it.
#
# Each process keeps one engine per database, built from the database the
# first time (and again after a policy change or "Rescore All"), then kept
# equal to the database by applying only what the change log (changes.py)
# says was committed since its last position. A refresh then checks, party by
# party, the stored result against its engine and writes what differs, in
# batches: the parties its engine's change feed lists, the parties a logged
# change names, and the rows another process wrote since (written from an
# engine that may have been behind). The engine only ever holds committed
# data read from the database, so a rolled-back transaction cannot leave
# anything in it; a refresh that rolls back puts its batch back to be checked
# again.
import datetime
import hashlib
import heapq
import json
import logging
import os
import threading
import time
from zoneinfo import ZoneInfo

from sql import Null

from trytond import backend
from trytond.config import config
from trytond.pool import Pool
from trytond.transaction import Transaction

import crmtier

from . import changes, records, results

__all__ = ['refresh', 'forget', 'check_policy', 'Unavailable', 'page',
    'library_path']

logger = logging.getLogger(__name__)

ADAPTER = 'tryton'
LOAD_CHUNK = 50000
# A refresh under a steady flow of saves hands over to a new task after
# this long, so that a queue task never runs forever.
MAX_SECONDS = 60


def batch_size():
    return config.getint('crmtier', 'batch', default=500)


def library_path():
    "The [crmtier] library setting of trytond.conf (None when unset)."
    return config.get('crmtier', 'library', default=None) or None


class Unavailable(Exception):
    "No engine can be made: the library or the stored policy is at fault."

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def library_problem(error):
    "A sentence naming the setting to fix, for a library that did not load."
    path = library_path()
    if path:
        return ("The crmtier library could not be loaded from %s (%s). "
            "Set [crmtier] library in trytond.conf to the full path of "
            "libcrmtier.so." % (path, error))
    return ("The crmtier library could not be loaded: there is no "
        "[crmtier] library setting in trytond.conf (%s). Set [crmtier] "
        "library to the full path of libcrmtier.so." % error)


def error_text(error):
    "The library's message alone, without the status code."
    return getattr(error, 'message', None) or str(error)


def open_engine(policy_text):
    """A new engine for this policy; Unavailable when the library cannot be
    loaded (its message names the setting) or refuses the policy."""
    try:
        return crmtier.Engine(
            records.policy_with_company_currency(policy_text or '{}'),
            library=library_path())
    except crmtier.CrmtierError as error:
        raise Unavailable("The crmtier policy is not valid: %s"
            % error_text(error))
    except (OSError, AttributeError) as error:
        raise Unavailable(library_problem(error))


def check_policy(text):
    """Raise crmtier.CrmtierError (a policy refused by the library) or
    Unavailable (no library to ask)."""
    try:
        engine = crmtier.Engine(text or '{}', library=library_path())
    except (OSError, AttributeError) as error:
        raise Unavailable(library_problem(error))
    engine.close()


# ------------------------------------------------------------------ as of

def company_today():
    "Today in the time zone of the first company (UTC without one)."
    Company = Pool().get('company.company')
    table = Company.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*table.select(table.timezone, order_by=table.id.asc,
            limit=1))
    row = cursor.fetchone()
    try:
        zone = ZoneInfo(row[0]) if row and row[0] else datetime.timezone.utc
    except (KeyError, ValueError):
        zone = datetime.timezone.utc
    return datetime.datetime.now(zone).date()


def as_of(policy):
    """Context "crmtier_as_of", else [crmtier] as_of, else the policy's
    "as_of", else today in the company's time zone."""
    value = (Transaction().context.get('crmtier_as_of')
        or config.get('crmtier', 'as_of', default=None)
        or policy.get('as_of'))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value or company_today().isoformat()


def stored_policy():
    "The policy text of crmtier.configuration, and the date it was pruned."
    Configuration = Pool().get('crmtier.configuration')
    table = Configuration.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*table.select(table.policy, table.pruned_before,
            order_by=table.id.asc, limit=1))
    row = cursor.fetchone()
    if not row:
        return '{}', None
    return row[0] or '{}', row[1]


def task_waiting():
    "Whether a crmtier task waits in Tryton's queue (not yet taken)."
    Queue = Pool().get('ir.queue')
    table = Queue.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*table.select(table.id, where=(table.name == 'crmtier')
            & (table.dequeued_at == Null), limit=1))
    return cursor.fetchone() is not None


# ----------------------------------------------------------------- engines

class _Engine:
    "One database's engine in this process, and where it stands."

    def __init__(self):
        self.lock = threading.RLock()
        self.origin = results.new_origin()
        self.engine = None
        self.policy_key = None
        self.as_of = None
        self.position = None
        self.write_position = None
        self.covered = None
        self.feed_seq = 0
        self.to_verify = set()
        self.direct = set()
        self.errors = {}
        self.caught_up_at = None
        self.status = None
        self.status_at = 0
        self.warned = None

    def close(self):
        if self.engine is not None:
            self.engine.close()
            self.engine = None


_engines = {}
_engines_lock = threading.Lock()


_engines_pid = os.getpid()


def _state(database):
    global _engines_pid
    with _engines_lock:
        if _engines_pid != os.getpid():
            # A forked child: the parent's engines are not this process's.
            _engines.clear()
            _engines_pid = os.getpid()
        state = _engines.get(database)
        if state is None:
            state = _engines[database] = _Engine()
        return state


def forget(database=None):
    "Drop the engine of `database` (all when None): rebuilt on next use."
    with _engines_lock:
        names = list(_engines) if database is None else [database]
        states = [_engines.pop(n) for n in names if n in _engines]
    for state in states:
        with state.lock:
            state.close()


def engine_of(database):
    "The crmtier.Engine of `database` in this process, or None (tests)."
    state = _engines.get(database)
    return state.engine if state else None


# ----------------------------------------------------------------- sending

def _send(state, items, bulk=False):
    """Send (party id, key, JSON line) items to the engine. bulk (building
    from the whole database): one load, which lists every account in the
    change feed; otherwise, and when the library refuses a record of a load,
    one save per record, which lists only the accounts whose result moved,
    and keeps a bad record's party alone stale (its error is stored)."""
    if not items:
        return
    refused = {}
    try:
        if not bulk:
            raise _OneByOne
        state.engine.load(ADAPTER, '\n'.join(i[2] for i in items))
    except (_OneByOne, crmtier.RecordError, crmtier.ParseError,
            crmtier.LimitError):
        for party_id, key, line in items:
            try:
                state.engine.save(ADAPTER, line)
            except (crmtier.RecordError, crmtier.ParseError,
                    crmtier.LimitError) as error:
                refused[(party_id, key)] = error_text(error)
                logger.warning('crmtier refused %s: %s', key,
                    error_text(error))
    for party_id, key, _ in items:
        if party_id is None:
            continue
        errors = state.errors.get(party_id)
        message = refused.get((party_id, key))
        if message:
            state.errors.setdefault(party_id, {})[key] = message
        elif errors:
            errors.pop(key, None)
            if not errors:
                del state.errors[party_id]


class _OneByOne(Exception):
    "Send records one by one."


def _error_of(state, party_id):
    errors = state.errors.get(party_id)
    if not errors:
        return None
    return '\n'.join('%s: %s' % kv for kv in sorted(errors.items()))


def _load_everything(state):
    "Send every active party and every counted sale, in chunks."
    chunk = []
    for party_id, line in records.party_records():
        chunk.append((party_id, 'party %d' % party_id, line))
        if len(chunk) >= LOAD_CHUNK:
            _send(state, chunk, bulk=True)
            chunk = []
    for sale_id, party_id, line in records.sale_records():
        chunk.append((party_id, 'sale %d' % sale_id, line))
        if len(chunk) >= LOAD_CHUNK:
            _send(state, chunk, bulk=True)
            chunk = []
    _send(state, chunk, bulk=True)


def _build(state, policy_text, key):
    state.close()
    state.errors = {}
    start = time.monotonic()
    engine = open_engine(policy_text)
    state.engine = engine
    state.policy_key = key
    state.as_of = None
    state.feed_seq = 0
    state.position, state.covered = changes.current_position()
    if not changes.postgresql():
        state.write_position = results.current_write_position()
    try:
        _load_everything(state)
    except BaseException:
        state.close()
        raise
    # Every party the engine knows is listed by its change feed since 0;
    # rows of parties it no longer knows are cleared.
    state.to_verify = results.all_ids()
    state.direct = changes.pending_parties()
    state.to_verify |= state.direct
    stats = engine.stats()
    logger.info('crmtier engine of %s built in %.1f s: %s accounts, %s '
        'revenue records', Transaction().database.name,
        time.monotonic() - start, stats.get('accounts'),
        stats.get('revenue_records'))


def _apply(state, rows):
    "Send the current state of every record the log rows name."
    party_ids = {r[2] for r in rows if r[1] == changes.PARTY}
    sale_ids = {r[3] for r in rows if r[1] == changes.SALE}
    affected = {r[2] for r in rows if r[2] is not None}
    items = []
    found = set()
    for party_id, line in records.party_records(party_ids):
        found.add(party_id)
        items.append((party_id, 'party %d' % party_id, line))
    for party_id in party_ids - found:
        items.append((party_id, 'party %d' % party_id,
                records.deleted_party(party_id)))
    found = set()
    for sale_id, party_id, line in records.sale_records(sale_ids):
        found.add(sale_id)
        affected.add(party_id)
        items.append((party_id, 'sale %d' % sale_id, line))
    for row in rows:
        if row[1] == changes.SALE and row[3] not in found:
            items.append((row[2], 'sale %d' % row[3],
                    records.deleted_sale(row[3])))
            found.add(row[3])
    _send(state, items)
    affected.discard(None)
    state.to_verify |= affected
    state.direct |= affected


def _result(state, party_id):
    try:
        return state.engine.result(str(party_id), 'canonical')
    except crmtier.NotFoundError:
        return None


def _verify(state, chosen, direct):
    "Write the stored rows of `chosen` that differ from the engine."
    stored = results.read(chosen)
    pending = changes.pending_parties(direct) if direct else set()
    rows = []
    for party_id in chosen:
        result = _result(state, party_id)
        text = results.as_json(result)
        error = _error_of(state, party_id)
        old = stored.get(party_id)
        if party_id not in pending:
            if old is None and text is None and error is None:
                continue
            if (old is not None and old['result'] == text
                    and old['error'] == error):
                continue
        rows.append((party_id, result, text, error))
    results.upsert(rows, state.covered,
        datetime.date.fromisoformat(state.as_of) if state.as_of else None,
        state.origin)
    return len(rows)


def _catch_up(state):
    """Bring the engine up to this transaction's snapshot: rebuilt when
    there is none or the policy changed, else the logged changes applied.
    Writes nothing. Returns (rebuilt, log rows applied, parties others
    wrote)."""
    policy_text, pruned_before = stored_policy()
    key = hashlib.sha256(policy_text.encode('utf-8')).hexdigest()
    rebuild = (state.engine is None or key != state.policy_key
        or (pruned_before and state.caught_up_at
            and state.caught_up_at
            < pruned_before + datetime.timedelta(hours=1)))
    rows = ()
    foreign = ()
    if not rebuild:
        rows, position, covered = changes.since(state.position)
        rebuild = any(r[1] == changes.REBUILD for r in rows)
    try:
        if rebuild:
            _build(state, policy_text, key)
        else:
            # Rows written by others since the last position; the position
            # moves only once the log rows are applied (a failure before
            # that reads them again).
            if changes.postgresql():
                foreign = results.written_since(state.origin, state.position)
            else:
                write_position = results.current_write_position()
                foreign = results.written_since(state.origin, None,
                    state.write_position)
            _apply(state, rows)
            state.to_verify |= foreign
            state.position, state.covered = position, covered
            if not changes.postgresql():
                state.write_position = write_position
        state.caught_up_at = datetime.datetime.utcnow()
        date = as_of(json.loads(policy_text))
        if date != state.as_of:
            state.engine.set_as_of(date)
            state.as_of = date
    except backend.DatabaseOperationalError:
        raise
    except BaseException:
        # Anything else half-way: the engine may differ from the database;
        # start again from the database next time.
        state.close()
        raise
    return rebuild, rows, foreign


def _round(state, batch, tstate):
    """Bring the engine up to this transaction's snapshot and write one
    batch. Returns how many parties are left to check, and whether the
    round found or wrote anything (a quiet round found and wrote nothing)."""
    rebuild, rows, foreign = _catch_up(state)
    feed = state.engine.changes(state.feed_seq)
    state.feed_seq = feed['seq']
    state.to_verify.update(int(i) for i in feed['changed'])
    state.to_verify.update(int(i) for i in feed.get('deleted') or ())
    if feed.get('resync'):
        state.to_verify |= results.all_ids()

    # Parties a logged change names first (their rows say "pending"), then
    # the lowest ids: a new day lists every party, so no full sort here.
    direct = heapq.nsmallest(batch, state.direct & state.to_verify)
    chosen = set(direct)
    if len(chosen) < batch:
        chosen.update(heapq.nsmallest(batch - len(chosen),
                state.to_verify - chosen if chosen else state.to_verify))
    direct = set(direct)
    state.to_verify -= chosen
    state.direct -= direct

    def put_back():
        state.to_verify |= chosen
        state.direct |= direct
    tstate.on_abort.append(put_back)
    written = _verify(state, chosen, direct)
    logger.debug('crmtier refresh: %d changes applied, %d checked, %d '
        'written, %d left', len(rows), len(chosen), written,
        len(state.to_verify))
    return len(state.to_verify), bool(rebuild or rows or foreign or written)


def _status(state, name, message=None, remaining=0):
    "Write this process's status row when it changed (or once a minute)."
    now = time.monotonic()
    status = (name, message, remaining)
    if status == state.status and now - state.status_at < 60:
        return
    results.set_status(state.origin, name, message, remaining)
    state.status = status
    state.status_at = now


class _Turn:
    """On PostgreSQL with commit=True, refreshing processes take turns, one
    round each (a session advisory lock): two engines never write the same
    rows at once (so they never conflict), and a round that starts after
    another's commit sees its writes (its snapshot is taken once it holds
    the lock). A crashed process's lock goes with its connection."""
    KEY = 0x63726d74  # "crmt"

    def __init__(self, transaction, enabled):
        self.transaction = transaction
        self.enabled = enabled and changes.postgresql()

    def __enter__(self):
        if self.enabled:
            cursor = self.transaction.connection.cursor()
            cursor.execute('SELECT pg_advisory_lock(%s)', (self.KEY,))
            # A snapshot taken after the lock is held.
            self.transaction.commit()
        return self

    def __exit__(self, kind, value, traceback):
        if self.enabled:
            if kind is not None:
                # The round failed: its transaction first (its batch goes
                # back to be checked), then the lock.
                self.transaction.rollback()
            cursor = self.transaction.connection.cursor()
            cursor.execute('SELECT pg_advisory_unlock(%s)', (self.KEY,))
            self.transaction.connection.commit()


def refresh(commit=False):
    """Bring this process's engine up to date and make the stored results
    equal to it. commit=True (queue tasks, cron) commits after each batch,
    taking turns with other processes, and goes on until a round finds
    nothing new to apply, check or write (so that whatever committed while
    it wrote is seen by a later snapshot of its own); when saves keep coming
    for MAX_SECONDS, it queues another refresh once its own work is done
    and returns. Otherwise everything happens in the current transaction.
    Returns False when no engine could be made (the status row and the log
    say why)."""
    transaction = Transaction()
    database = transaction.database.name
    state = _state(database)
    tstate = changes.transaction_state()
    if tstate.logged:
        # This transaction logged changes itself: the engine will hold them
        # before they commit; if they never do, start again from the
        # database. What it changes after this refresh is logged anew.
        tstate.on_abort.append(lambda: forget(database))
        tstate.logged.clear()
    retry = config.getint('database', 'retry')
    started = time.monotonic()
    with state.lock:
        failures = 0
        while True:
            try:
                with _Turn(transaction, commit):
                    if commit and state.engine is None:
                        _status(state, 'building')
                        transaction.commit()
                    remaining, active = _round(state, batch_size(), tstate)
                    _status(state, 'refreshing' if remaining else 'ok',
                        remaining=remaining)
                    if commit:
                        transaction.commit()
            except Unavailable as error:
                if state.warned != error.message:
                    logger.warning('crmtier: results are stale: %s',
                        error.message)
                    state.warned = error.message
                state.close()
                _status(state, 'stale', error.message)
                if commit:
                    transaction.commit()
                return False
            except backend.DatabaseOperationalError:
                if not commit or failures >= retry:
                    raise
                failures += 1
                transaction.rollback()
                time.sleep(0.02 * failures)
                continue
            state.warned = None
            if not remaining and not active:
                return True
            if (commit and not remaining
                    and time.monotonic() - started > MAX_SECONDS):
                Pool().get('crmtier.configuration').enqueue_refresh()
                transaction.commit()
                return True


def page(options):
    """The sales plan page (crmtier_engine_report, docs/report.md) of this
    database: this process's engine brought up to this transaction's
    snapshot, as a refresh would, and rendered by the library. Writes
    nothing (the next refresh writes what the catch-up found). Raises
    Unavailable when no engine can be made, crmtier.Error as the library
    refuses the options (crmtier.NotFoundError: no party has that rep)."""
    database = Transaction().database.name
    state = _state(database)
    tstate = changes.transaction_state()
    if tstate.logged:
        # As in refresh(): the engine will hold this transaction's own
        # changes before they commit; if they never do, it is rebuilt.
        tstate.on_abort.append(lambda: forget(database))
        tstate.logged.clear()
    with state.lock:
        _catch_up(state)
        return state.engine.report(options)
