"""Fills a fresh Tryton database with a small company: a currency, the
company (with a time zone), four sales reps (employees, each with a login),
two countries with subdivisions, industry categories, PARTIES parties (one
address each, with a country) and SALES confirmed sales spread over the last
two years. Everything through Tryton's models, in one transaction; random but
reproducible (SEED). Without crmtier activated (the benchmark's database
without it), the parties have no head count, last contact or rep.

usage: pg_data.py CONFIG DATABASE PARTIES SALES SEED TIMEZONE
Run with the Python of the installation (it imports trytond).
"""
import datetime
import random
import sys
from decimal import Decimal

REP_PASSWORD = 'Rp7-quiz-Kb3'
COUNTRIES = {'DE': ('Germany', [('DE-BY', 'Bavaria'), ('DE-BE', 'Berlin')]),
    'FR': ('France', [('FR-75', 'Paris'), ('FR-69', 'Rhone')])}
INDUSTRIES = ['Manufacturing', 'Retail', 'Services']


def main(conf, database, parties, sales, seed, timezone):
    from trytond.config import config
    config.update_etc(conf)
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    Pool.start()
    pool = Pool(database)
    with Transaction().start(database, 0, readonly=True):
        pool.init()
    rnd = random.Random(int(seed))
    today = datetime.date.today()
    with Transaction().start(database, 1) as transaction:
        Currency = pool.get('currency.currency')
        Company = pool.get('company.company')
        Party = pool.get('party.party')
        Employee = pool.get('company.employee')
        User = pool.get('res.user')
        Country = pool.get('country.country')
        Subdivision = pool.get('country.subdivision')
        Category = pool.get('party.category')
        Sale = pool.get('sale.sale')
        Line = pool.get('sale.line')

        eur, = Currency.create([{'name': 'Euro', 'code': 'EUR',
                    'symbol': 'EUR', 'rounding': Decimal('0.01'),
                    'digits': 2}])
        company_party, = Party.create([{'name': 'Our Company'}])
        company, = Company.create([{'party': company_party.id,
                    'currency': eur.id, 'timezone': timezone}])
        admin = User(1)
        User.write([admin], {'companies': [('add', [company.id])],
                'company': company.id})
        reps = []
        for i in range(1, 5):
            rep_party, = Party.create([{'name': 'Rep %d' % i}])
            employee, = Employee.create([{'party': rep_party.id,
                        'company': company.id}])
            User.create([{'name': 'Rep %d' % i, 'login': 'rep%d' % i,
                        'password': REP_PASSWORD,
                        'companies': [('add', [company.id])],
                        'company': company.id,
                        'employees': [('add', [employee.id])],
                        'employee': employee.id}])
            reps.append(employee)
        subdivisions = []
        for code, (name, subs) in COUNTRIES.items():
            country, = Country.create([{'name': name, 'code': code}])
            for sub_code, sub_name in subs:
                subdivision, = Subdivision.create([{'country': country.id,
                            'code': sub_code, 'name': sub_name,
                            'type': 'state'}])
                subdivisions.append((country, subdivision))
        industry, = Category.create([{'name': 'Industry'}])
        industries = Category.create([{'name': n, 'parent': industry.id}
                for n in INDUSTRIES])

        with transaction.set_context(company=company.id):
            crmtier = 'crmtier_rep' in Party._fields
            vlist = []
            for i in range(int(parties)):
                country, subdivision = rnd.choice(subdivisions)
                last = (today - datetime.timedelta(days=rnd.randint(0, 200))
                    if rnd.random() < 0.7 else None)
                values = {
                    'name': 'Client %04d' % i,
                    'categories': [('add', [rnd.choice(industries).id])],
                    'addresses': [('create', [{
                                    'country': country.id,
                                    'subdivision': subdivision.id,
                                    'invoice': True}])],
                    }
                employees = rnd.choice([5, 20, 80, 120, 400, 2000])
                rep = rnd.choice(reps).id
                if crmtier:
                    values.update(employees=employees, crmtier_rep=rep,
                        crmtier_last_contact=last)
                vlist.append(values)
            clients = Party.create(vlist)
            records = []
            for _ in range(int(sales)):
                party = rnd.choice(clients)
                sale = Sale(party=party, company=company, currency=eur,
                    invoice_method='manual', shipment_method='manual',
                    sale_date=today - datetime.timedelta(
                        days=rnd.randint(0, 700)))
                sale.on_change_party()
                sale.lines = [Line(type='line', description='Goods',
                        quantity=1, unit_price=Decimal(
                            rnd.randint(100, 20000)))]
                records.append(sale)
            Sale.save(records)
            Sale.quote(records)
            Sale.confirm(records)
            Sale.process(records)
        transaction.commit()
    print('%s: %s parties, %s sales' % (database, parties, sales))


if __name__ == '__main__':
    if len(sys.argv) != 7:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
