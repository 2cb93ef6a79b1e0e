"""A fresh scoring of a Tryton database, independent of the module: the
data is exported with this file's own SQL into canonical records (the
"canonical" adapter, not the "tryton" one the module uses) and scored by a
new engine of the library. The tests compare what the module stored with
this. The test data gives every party at most one address with a country
and one industry category, so the export needs no rule to choose.
"""
import json

import crmtier

COUNTED = ('confirmed', 'processing', 'done')


def export(connection):
    "Canonical account and revenue records of the database (JSON lines)."
    lines = []
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT p.id, p.employees, p.crmtier_last_contact, p.crmtier_rep,
                (SELECT c.code || COALESCE('/' || s.code, '')
                   FROM party_address a
                   JOIN country_country c ON c.id = a.country
                   LEFT JOIN country_subdivision s ON s.id = a.subdivision
                  WHERE a.party = p.id AND a.active
                  ORDER BY a.id LIMIT 1),
                (SELECT min(k.name) FROM party_category_rel r
                   JOIN party_category k ON k.id = r.category
                   JOIN party_category i ON i.id = k.parent
                  WHERE r.party = p.id AND i.name = 'Industry')
              FROM party_party p WHERE p.active""")
        for (party, employees, last_contact, rep, territory,
                industry) in cursor.fetchall():
            account = {'type': 'account', 'id': str(party),
                'employees': employees, 'territory': territory,
                'industry': industry,
                'owner': str(rep) if rep else None,
                'last_contact': last_contact.isoformat()
                if last_contact else None}
            lines.append(json.dumps({k: v for k, v in account.items()
                        if v is not None}))
        cursor.execute("""
            SELECT id, party, sale_date, untaxed_amount_cache FROM sale_sale
             WHERE state IN %s""", (COUNTED,))
        for sale, party, date, amount in cursor.fetchall():
            lines.append(json.dumps({'type': 'revenue',
                        'id': 'sale-%d' % sale, 'account_id': str(party),
                        'date': date.isoformat(), 'amount': float(amount)}))
    return '\n'.join(lines)


def score(connection, as_of, policy='{}', library=None):
    "{party id: canonical result} of a fresh engine as of `as_of`."
    with crmtier.Engine(policy, library=library) as engine:
        engine.set_as_of(as_of)
        engine.load('canonical', export(connection))
        return {int(r['id']): r for r in engine.results('canonical')}


FIELDS = ('tier', 'colour', 'temperature', 'next_contact')


def differences(expected, stored):
    """Parties whose stored (tier, colour, temperature, next contact) differ
    from the fresh scoring: {id: (expected, stored)}. stored: {id: dict of
    those four keys}, for every active party."""
    found = {}
    for party in set(expected) | set(stored):
        want = tuple((expected.get(party) or {}).get(k) for k in FIELDS)
        got = tuple((stored.get(party) or {}).get(k) for k in FIELDS)
        if want != got:
            found[party] = (want, got)
    return found
