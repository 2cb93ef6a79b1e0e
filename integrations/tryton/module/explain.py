# Words for the rep, rendered from a canonical result of libcrmtier (its
# "reasons" and "actions", docs/semantics.md#reasons-and-actions). Nothing
# here decides anything: every number, date, flag and question comes from
# the result; this file only puts them into sentences. Pure Python, no
# trytond import.

_SOURCES = {
    'own': "its own revenue of the last 12 months",
    'prior_year': "its revenue of the 12 months before",
    'lookalikes': "what {peers} look-alike clients ({profile}) bring",
    }
_CHANNELS = {
    'call_or_visit': "call or visit",
    'call': "call",
    'email': "e-mail",
    }
# What to fill in on the party for each profile attribute the engine found
# empty ("profile": {"size": null, ...}).
_MISSING = {
    'size': "a head count (the Employees field)",
    'territory': "a country on the invoice address (or on any address)",
    'industry': "an industry (a category under the category \"Industry\")",
    }


def money(value):
    return '{:,.0f}'.format(value or 0)


def _reason(result, code):
    for reason in result.get('reasons') or []:
        if reason.get('code') == code:
            return reason
    return None


def _action(result, name):
    for action in result.get('actions') or []:
        if action.get('action') == name:
            return action
    return None


def _profile_text(profile):
    return ', '.join('%s %s' % (k, v) for k, v in (profile or {}).items()
        if v is not None)


def why(result):
    """The reasons of a result as short sentences, one a line."""
    if not result:
        return ''
    lines = []
    for reason in result.get('reasons') or []:
        code = reason.get('code')
        if code == 'potential' and not reason.get('value'):
            lines.append("It has no potential yet: no revenue in the last "
                "two years, and no look-alike clients that buy.")
        elif code == 'potential':
            source = _SOURCES.get(reason.get('source'),
                reason.get('source') or "?").format(
                    peers=reason.get('peers'),
                    profile=_profile_text(reason.get('profile')))
            lines.append("Its potential is %s: %s." % (
                    money(reason.get('value')), source))
        elif code == 'tier':
            lines.append("Tier %s: its potential is %.0f %% of the "
                "benchmark, %s, the revenue of the leading clients." % (
                    reason.get('tier'), 100 * (reason.get('ratio') or 0),
                    money(reason.get('benchmark'))))
        elif code == 'temperature':
            lines.append("Temperature %s (%s): it realises %s %% of its "
                "potential." % (reason.get('value'),
                    reason.get('colour'), reason.get('value')))
        elif code == 'escalate':
            lines.append("Escalated: a tier %s client running %s; rep and "
                "manager, rethink the approach." % (
                    reason.get('tier'), reason.get('colour')))
        elif code == 'decline':
            lines.append("Declining: revenue down %s %% (%s in the last "
                "12 months against %s the year before); ask the client "
                "for feedback." % (reason.get('decline_pct'),
                    money(reason.get('annual_revenue')),
                    money(reason.get('prior_revenue'))))
        elif code == 'cadence':
            line = "Next contact %s by %s: tier %s is contacted every %s " \
                "days" % (reason.get('next_contact'),
                    _CHANNELS.get(reason.get('channel'),
                        reason.get('channel')),
                    reason.get('tier'), reason.get('interval_days'))
            if reason.get('last_contact'):
                line += ", last contact %s" % reason['last_contact']
            else:
                line += ", no contact recorded yet"
            if reason.get('overdue_days'):
                line += "; %s days overdue" % reason['overdue_days']
            lines.append(line + '.')
    return '\n'.join(lines)


def profile_note(result):
    """A sentence when look-alikes cannot apply because the profile is
    incomplete (the engine says which attributes are empty), else ''."""
    reason = _reason(result or {}, 'potential')
    if not reason or reason.get('profile_complete', True):
        return ''
    missing = [_MISSING.get(k, k) for k, v in
        (reason.get('profile') or {}).items() if v is None]
    if not missing:
        return ''
    return ("Incomplete profile: look-alike clients cannot be compared "
        "until the party has %s." % '; '.join(missing))


def feedback(result):
    """The feedback questions of a declining party (the result's
    "request_feedback" action), one a line, else ''."""
    action = _action(result or {}, 'request_feedback')
    if not action:
        return ''
    return '\n'.join(action.get('questions') or [])


def escalation(result):
    "The escalation's own words (the \"rethink_approach\" action), else ''."
    action = _action(result or {}, 'rethink_approach')
    if not action:
        return ''
    who = ' and '.join(action.get('who') or [])
    return "Escalated to %s: %s." % (who, action.get('why'))
