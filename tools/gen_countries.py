#!/usr/bin/python3
"""Writes the adapters' compiled-in territory tables (docs/adapters.md,
"Territory"): the library never reads a file at run time, so they are C++
includes, written from Debian's data and checked by the test
`adapters_countries`. Run it again when Debian brings new data.

  adapters/countries.inc  ISO 3166-1: a country's names and codes -> alpha-2
                          (python3-pycountry; names in the country's official
                          languages from iso-codes' iso_3166-1 translations)
  adapters/regions.inc    ISO 3166-2: the subdivision codes, and a region's
                          names in its country -> its code (python3-pycountry;
                          names from iso-codes' iso_3166-2 translations, in
                          English and in the country's official languages as
                          CLDR lists them, python3-babel)
  adapters/fold.inc       the case and accent folding both tables' keys are
                          written in, so that the library folds what a host
                          sends the same way (Python's unicodedata)

    /usr/bin/python3 tools/gen_countries.py            # rewrite the tables
    /usr/bin/python3 tools/gen_countries.py --check    # exit 1 when one is not current
"""
import collections
import gettext
import glob
import os
import sys
import unicodedata

try:
    import babel.languages
    import pycountry
except ImportError as error:
    sys.exit("tools/gen_countries.py needs Debian's python3-pycountry and python3-babel "
             "(tools/install-deps.sh --test): %s" % error)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OUT_COUNTRIES = os.path.join(ROOT, "adapters", "countries.inc")
OUT_REGIONS = os.path.join(ROOT, "adapters", "regions.inc")
OUT_FOLD = os.path.join(ROOT, "adapters", "fold.inc")
LOCALE_DIR = "/usr/share/locale"
DOMAIN = "iso_3166-2"
COUNTRY_DOMAIN = "iso_3166-1"

# Names hosts write that ISO does not (English short forms).
EXTRA = {"usa": "US", "united states of america": "US", "uk": "GB", "great britain": "GB", "england": "GB",
         "russia": "RU", "south korea": "KR", "north korea": "KP", "czech republic": "CZ", "vietnam": "VN",
         "iran": "IR", "syria": "SY", "taiwan": "TW", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ",
         "moldova": "MD", "laos": "LA", "turkey": "TR", "holland": "NL", "the netherlands": "NL",
         "ivory coast": "CI", "macedonia": "MK", "palestine": "PS", "brunei": "BN", "cape verde": "CV",
         "swaziland": "SZ", "vatican": "VA", "vatican city": "VA", "micronesia": "FM", "kosovo": "XK",
         "u.s.": "US", "u.s.a.": "US", "u.k.": "GB"}

# English names of regions that iso-codes' English catalogue does not carry
# (it translates "Bayern" to "Bavaria" but keeps "Sachsen"): the usual
# English forms in the largest markets, by code.
EXTRA_REGIONS = {
    "DE-BW": ["Baden-Wuerttemberg"], "DE-HE": ["Hesse"], "DE-MV": ["Mecklenburg-Western Pomerania"],
    "DE-NI": ["Lower Saxony"], "DE-NW": ["North Rhine-Westphalia"], "DE-RP": ["Rhineland-Palatinate"],
    "DE-SN": ["Saxony"], "DE-ST": ["Saxony-Anhalt"], "DE-TH": ["Thuringia"],
    "AT-2": ["Carinthia"], "AT-3": ["Lower Austria"], "AT-4": ["Upper Austria"], "AT-6": ["Styria"],
    "AT-7": ["Tyrol"], "AT-9": ["Vienna"],
    "CH-FR": ["Fribourg"], "CH-GE": ["Geneva"], "CH-GR": ["Grisons"], "CH-LU": ["Lucerne"],
    "CH-SG": ["St. Gallen"], "CH-TI": ["Tessin"],
    "IT-21": ["Piedmont"], "IT-23": ["Aosta Valley", "Valle d'Aosta"], "IT-25": ["Lombardy"],
    "IT-32": ["Trentino-South Tyrol"], "IT-52": ["Tuscany"], "IT-57": ["Marches"], "IT-62": ["Latium"],
    "IT-75": ["Apulia"], "IT-82": ["Sicily"], "IT-88": ["Sardinia"],
    "ES-AN": ["Andalusia"], "ES-CL": ["Castile and Leon"], "ES-CM": ["Castile-La Mancha"],
    "ES-CN": ["Canary Islands"], "ES-CT": ["Catalonia"], "ES-IB": ["Balearic Islands"],
    "ES-MD": ["Community of Madrid"], "ES-NC": ["Navarre", "Navarra"], "ES-PV": ["Basque Country", "País Vasco"],
    "ES-VC": ["Valencian Community", "Comunitat Valenciana"],
    "BE-BRU": ["Brussels", "Brussels-Capital Region"], "BE-VLG": ["Flanders", "Flemish Region"],
    "BE-WAL": ["Wallonia", "Walloon Region"],
    "NL-FR": ["Friesland"], "NL-NB": ["North Brabant"], "NL-NH": ["North Holland"], "NL-ZH": ["South Holland"],
    "FR-BRE": ["Brittany"], "FR-NOR": ["Normandy"], "FR-20R": ["Corsica"],
    "PT-20": ["Azores"], "PT-30": ["Madeira"], "PT-11": ["Lisbon"],
    "CZ-10": ["Prague"], "DK-84": ["Capital Region of Denmark"], "DK-83": ["Southern Denmark"],
    "DK-81": ["North Denmark"], "DK-82": ["Central Denmark"], "DK-85": ["Zealand"],
    "RU-MOW": ["Moscow"], "RU-SPE": ["Saint Petersburg", "St. Petersburg"],
    "MX-CMX": ["Mexico City"], "MX-NLE": ["Nuevo Leon"],
}

# ---------------------------------------------------------------- folding
# Folded: lower case and without accents ("Thüringen", "THURINGEN" and a
# decomposed "Thu\u0308ringen" are all "thuringen"). Code point by code
# point, so that the library can do the same with a table: the scripts
# below (Latin, Greek, Cyrillic and the combining marks); any other code
# point is kept as it is.
FOLD_RANGES = [(0x41, 0x5A), (0xA0, 0x24F), (0x300, 0x36F), (0x370, 0x52F), (0x1AB0, 0x1AFF),
               (0x1DC0, 0x1EFF), (0x20D0, 0x20FF), (0xFE20, 0xFE2F)]


def _fold_cp(ch):
    def strip(s):
        return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return strip(strip(ch).casefold())


def fold_table():
    out = {}
    for lo, hi in FOLD_RANGES:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            if unicodedata.category(ch) == "Cn":
                continue
            f = _fold_cp(ch)
            if f != ch:
                out[cp] = f
    return out


FOLD = fold_table()
assert all(cp >= 0x80 or 0x41 <= cp <= 0x5A for cp in FOLD), "the library folds ASCII itself: A-Z only"


def fold(text):
    """A name as the library looks it up: without the blanks around it,
    each code point folded by the table."""
    return "".join(FOLD.get(ord(c), c) for c in text.strip(" \t"))


# -------------------------------------------------------------- countries
def countries():
    """ISO's codes and English names, the hand-written EXTRA, then each
    country's name in its own official languages (iso-codes' iso_3166-1
    translations: Deutschland, España, Österreich); a name two countries
    would share keeps the first."""
    names = {}
    for c in pycountry.countries:
        for attr in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            v = getattr(c, attr, None)
            if v:
                names.setdefault(fold(v), c.alpha_2)
    for k, v in EXTRA.items():
        names.setdefault(fold(k), v)
    available = _locales(COUNTRY_DOMAIN)
    for c in pycountry.countries:
        for loc in languages_of(c.alpha_2, available):
            for attr in ("name", "official_name", "common_name"):
                v = getattr(c, attr, None)
                if v:
                    t = _catalog(loc, COUNTRY_DOMAIN).gettext(v)
                    if t.strip():
                        names.setdefault(fold(t), c.alpha_2)
    return sorted(names.items(), key=lambda kv: kv[0].encode("utf-8"))


# ---------------------------------------------------------------- regions
_catalogs = {}


def _catalog(locale, domain=None):
    domain = domain or DOMAIN
    if (locale, domain) not in _catalogs:
        _catalogs[(locale, domain)] = gettext.translation(domain, localedir=LOCALE_DIR, languages=[locale])
    return _catalogs[(locale, domain)]


def _locales(domain=None):
    domain = domain or DOMAIN
    return sorted(p.split(os.sep)[-3] for p in glob.glob(os.path.join(LOCALE_DIR, "*", "LC_MESSAGES", domain + ".mo")))


def languages_of(country, available):
    """The iso-codes locales of a country's official languages (CLDR,
    regional and de facto ones included), English always."""
    wanted = {"en"}
    for lang in babel.languages.get_official_languages(country, regional=True, de_facto=True):
        wanted.add(lang.split("_")[0])
    return [loc for loc in available if loc.replace("@", "_").split("_")[0] in wanted]


def _forms(name):
    """The names ISO writes in one: "Girona [Gerona]" is both, "Cardiff
    [Caerdydd GB-CRD]" is Cardiff and Caerdydd, "Madrid, Comunidad de" is
    also "Comunidad de Madrid". (form, derived?)"""
    def code_like(word):
        return "-" in word and word.upper() == word
    name = name.rstrip("*")
    yield name, False
    if name.endswith("]") and " [" in name:
        head, alt = name[:-1].split(" [", 1)
        words = alt.split(" ")
        if code_like(words[-1]):
            words = words[:-1]
        yield head, True
        if words:
            yield " ".join(words), True
    elif name.count(", ") == 1:
        head, tail = name.split(", ")
        yield tail + " " + head, True


def _depth(sub, by_code):
    depth = 0
    while sub.parent_code and sub.parent_code in by_code and depth < 8:
        sub = by_code[sub.parent_code]
        depth += 1
    return depth


def regions():
    """(sorted codes, sorted [(key, code)]): key is "<alpha-2>/<folded name>".
    A name two subdivisions of a country share goes to the one higher in
    ISO's hierarchy (Guadeloupe: the region FR-GP, not the department
    FR-971), an ISO name before a derived form; still two: left out (the
    region stays as written)."""
    subs = list(pycountry.subdivisions)
    by_code = {s.code: s for s in subs}
    available = _locales()
    if "en" not in available:
        sys.exit("tools/gen_countries.py needs iso-codes' translations (%s/*/LC_MESSAGES/%s.mo): "
                 "install Debian's iso-codes" % (LOCALE_DIR, DOMAIN))
    langs = {}
    candidates = collections.defaultdict(dict)  # key -> code -> rank
    for s in subs:
        cc = s.country_code
        if cc not in langs:
            langs[cc] = languages_of(cc, available)
        names = {s.name}
        for loc in langs[cc]:
            names.add(_catalog(loc).gettext(s.name))
        depth = _depth(s, by_code)
        forms = [f for name in sorted(names) for f in _forms(name)]
        forms += [(name, False) for name in EXTRA_REGIONS.get(s.code, [])]
        for form, derived in forms:
            if not form.strip():
                continue
            key = cc + "/" + fold(form)
            rank = (int(derived), depth)
            old = candidates[key].get(s.code)
            if old is None or rank < old:
                candidates[key][s.code] = rank
    unknown = set(EXTRA_REGIONS) - set(by_code)
    if unknown:
        raise SystemExit("EXTRA_REGIONS names codes ISO 3166-2 does not have: " + ", ".join(sorted(unknown)))
    codes = sorted(s.code for s in subs)
    pairs = []
    for key, cands in candidates.items():
        best = min(cands.values())
        chosen = [c for c, r in cands.items() if r == best]
        if len(chosen) == 1:
            pairs.append((key, chosen[0]))
    pairs.sort(key=lambda kv: kv[0].encode("utf-8"))
    return codes, pairs


# ----------------------------------------------------------------- output
def _lit(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _blob(name, keys):
    """One string holding `keys` one after another, and where each starts
    (the last entry: the end). No pointers: no relocations, read-only."""
    out = ["constexpr char %sText[] =\n" % name]
    out += ["    %s\n" % _lit(k) for k in keys]
    out.append("    ;\n\n// Where each name starts in %sText; the last is the text's end.\n"
               "constexpr std::uint32_t %sNameAt[] = {\n" % (name, name))
    at, offsets = 0, []
    for k in keys:
        offsets.append(at)
        at += len(k.encode("utf-8"))
    offsets.append(at)
    out += ["    %s,\n" % ", ".join(str(o) for o in offsets[i:i + 12]) for i in range(0, len(offsets), 12)]
    out.append("};\n")
    return "".join(out)


def text_countries():
    pairs = countries()
    out = ["// Generated by tools/gen_countries.py from Debian's python3-pycountry (ISO 3166-1) and\n"
           "// iso-codes' iso_3166-1 translations into each country's official languages (python3-babel).\n"
           "// Do not edit; run the script.\n\n"
           "// A country's names and codes (folded by fold.inc, sorted by bytes), one after another.\n",
           _blob("kCountry", [k for k, _ in pairs]),
           "\n// The alpha-2 code of each name.\n"
           "constexpr char kCountryCode[][3] = {\n"]
    out += ["    %s,\n" % ", ".join('"%s"' % v for _, v in pairs[i:i + 16]) for i in range(0, len(pairs), 16)]
    out.append("};\n")
    return "".join(out)


def text_regions():
    """Three arrays without pointers (no relocations, all read-only): the
    codes, fixed-size; the names one after another in one string; where
    each name starts (and the text's end) and the index of its code."""
    codes, pairs = regions()
    index = {c: i for i, c in enumerate(codes)}
    assert len(codes) < 0x10000 and max(len(c) for c in codes) < 8
    out = ["// Generated by tools/gen_countries.py from Debian's python3-pycountry (ISO 3166-2), the\n"
           "// iso_3166-2 translations of iso-codes (English and each country's official languages,\n"
           "// python3-babel's CLDR data) and the script's own short list. Do not edit; run the script.\n"
           "\n"
           "// Every subdivision code, sorted.\n"
           "constexpr char kRegionCodes[][8] = {\n"]
    out += ["    \"%s\",\n" % c for c in codes]
    out.append("};\n\n"
               "// \"<alpha-2>/<name folded by fold.inc>\", sorted by bytes, one after another.\n")
    out.append(_blob("kRegion", [k for k, _ in pairs]))
    out.append("\n// The index in kRegionCodes of each name's code.\n"
               "constexpr std::uint16_t kRegionNameCode[] = {\n")
    idx = [index[c] for _, c in pairs]
    out += ["    %s,\n" % ", ".join(str(i) for i in idx[i:i + 16]) for i in range(0, len(idx), 16)]
    out.append("};\n")
    return "".join(out)


def text_fold():
    assert max(len(f.encode("utf-8")) for f in FOLD.values()) < 8
    out = ["// Generated by tools/gen_countries.py from Python's unicodedata: a code point -> its\n"
           "// folded form (lower case, accents removed; empty for a combining mark), for the\n"
           "// code points it changes in Latin, Greek, Cyrillic and the combining marks. Do not edit.\n"]
    for cp, f in sorted(FOLD.items()):
        out.append("    {0x%04X, %s},\n" % (cp, _lit(f)))
    return "".join(out)


def main(argv):
    outputs = [(OUT_COUNTRIES, text_countries()), (OUT_REGIONS, text_regions()), (OUT_FOLD, text_fold())]
    if "--check" in argv:
        stale = []
        for path, want in outputs:
            have = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
            if have != want:
                stale.append(os.path.relpath(path, ROOT))
        if stale:
            print(", ".join(stale) + " not current: run /usr/bin/python3 tools/gen_countries.py")
            return 1
        return 0
    for path, want in outputs:
        with open(path, "w", encoding="utf-8") as f:
            f.write(want)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
