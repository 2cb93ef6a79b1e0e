#!/usr/bin/env python3
"""Walk-through over trytond's JSON-RPC (standard library only): log in,
make sure there is a company (a fresh database has none), create a party with
an address and a confirmed sale, wait until the refresh has scored it (a
save only logs the change; the refresh runs right after, in trytond-worker
or at the end of the request), and print the party's crmtier fields.

usage: demo_jsonrpc.py URL DATABASE USER PASSWORD [AMOUNT [SALE_DATE]]
  e.g. demo_jsonrpc.py http://127.0.0.1:8001 crm admin secret 20000 2026-06-01
"""
import base64
import datetime
import json
import sys
import time
import urllib.request


class RpcError(RuntimeError):
    "trytond answered a call with an error."


class Rpc:
    "A minimal trytond JSON-RPC client (the tests use it too)."

    def __init__(self, url, database):
        self.url = '%s/%s/' % (url.rstrip('/'), database)
        self.auth = None

    def __call__(self, method, *params):
        body = json.dumps({'id': 1, 'method': method,
                'params': list(params)}).encode()
        request = urllib.request.Request(self.url, body,
            {'Content-Type': 'application/json'})
        if self.auth:
            request.add_header('Authorization', self.auth)
        with urllib.request.urlopen(request, timeout=60) as response:
            answer = json.loads(response.read())
        if answer.get('error'):
            raise RpcError('%s: %s' % (method, answer['error']))
        return answer['result']

    def login(self, user, password):
        uid, session = self('common.db.login', user,
            {'password': password}, 'en')
        self.auth = 'Session ' + base64.b64encode(
            ('%s:%s:%s' % (user, uid, session)).encode()).decode()
        return uid


def date(value):
    "A date (or ISO text) as JSON-RPC sends it."
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return {'__class__': 'date', 'year': value.year, 'month': value.month,
        'day': value.day}


def value_of(value):
    "A JSON-RPC answer's value: dates (sent as objects) as datetime.date."
    if isinstance(value, dict) and value.get('__class__') == 'date':
        return datetime.date(value['year'], value['month'], value['day'])
    return value


def main(url, database, user, password, amount='20000',
        sale_date=None):
    rpc = Rpc(url, database)
    uid = rpc.login(user, password)
    context = rpc('model.res.user.get_preferences', True, {})
    if not context.get('company'):
        # A fresh database: one currency, one company, the user in it.
        currencies = rpc('model.currency.currency.search',
            [('code', '=', 'EUR')], 0, None, None, context)
        currency, = currencies or rpc('model.currency.currency.create', [{
                    'name': 'Euro', 'code': 'EUR', 'symbol': 'EUR',
                    'rounding': {'__class__': 'Decimal', 'decimal': '0.01'},
                    'digits': 2}], context)
        party, = rpc('model.party.party.create', [{'name': 'Our Company'}],
            context)
        company, = rpc('model.company.company.create', [{
                    'party': party, 'currency': currency}], context)
        rpc('model.res.user.write', [uid], {
                'companies': [['add', [company]]], 'company': company},
            context)
        context = rpc('model.res.user.get_preferences', True, {})

    party, = rpc('model.party.party.create', [{
                'name': 'Demo Customer', 'employees': 120,
                'addresses': [['create', [{'city': 'Munich'}]]],
                }], context)
    address, = rpc('model.party.party.read', [party], ['addresses'],
        context)[0]['addresses']
    sale, = rpc('model.sale.sale.create', [{
                'party': party,
                'invoice_address': address, 'shipment_address': address,
                'invoice_method': 'manual', 'shipment_method': 'manual',
                'sale_date': date(sale_date or
                    datetime.date.today().isoformat()),
                'lines': [['create', [{
                                'type': 'line', 'description': 'Demo',
                                'quantity': 1.0,
                                'unit_price': {'__class__': 'Decimal',
                                    'decimal': amount}}]]],
                }], context)
    rpc('model.sale.sale.quote', [sale], context)
    rpc('model.sale.sale.confirm', [sale], context)

    fields = ['crmtier_tier', 'crmtier_colour', 'crmtier_temperature',
        'crmtier_next_contact', 'crmtier_channel', 'crmtier_pending',
        'crmtier_status']
    deadline = time.monotonic() + 60
    while True:
        row, = rpc('model.party.party.read', [party], fields, context)
        if not row['crmtier_pending'] or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    if row['crmtier_pending']:
        raise RpcError('party %d is still pending: %s' % (
                party, row['crmtier_status']))
    print('party %d: tier %s, colour %s, temperature %s, next contact %s (%s)'
        % (party, row['crmtier_tier'], row['crmtier_colour'],
            row['crmtier_temperature'],
            value_of(row['crmtier_next_contact']), row['crmtier_channel']))


if __name__ == '__main__':
    if len(sys.argv) < 5:
        raise SystemExit(__doc__)
    try:
        main(*sys.argv[1:])
    except RpcError as error:
        raise SystemExit(str(error))
