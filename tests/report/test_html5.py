"""report.html5: every kind of page parses without a single error in an HTML5
parser (Debian's python3-html5lib, strict: the first parse error raises), and
holds no host text where it could run."""

import unittest

import pages


def parse_strict(text):
    try:
        import html5lib
    except ImportError as e:  # a missing dependency fails the test, saying what to install
        raise AssertionError("python3-html5lib is missing: apt-get install python3-html5lib "
                             "(tools/install-deps.sh --test)") from e
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(text)


class PagesParse(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pages = {
            "sample": pages.host_page("sample.html"),
            "sample-ru-movers": pages.host_page("sample-ru.html", "--lang", "ru", "--since", "2026-10-31"),
            "sample-one-rep": pages.host_page("sample-rep.html", "--owner", "rep-07"),
            "handmade": pages.host_page("handmade.html", "--as-of", pages.AS_OF, pages.HANDMADE),
            "handmade-movers": pages.host_page("handmade-movers.html", "--as-of", pages.AS_OF,
                                               "--since", "2026-06-01", pages.HANDMADE),
            # Bars, bins and capped lists; no script.
            "sample-large-shapes": pages.binding_page("sample-shapes.html", pages.SAMPLE, cell_limit=20,
                                                      scatter_limit=100, list_limit=3, script=False),
            "sample-all-bars": pages.binding_page("sample-bars.html", pages.SAMPLE, map_limit=100),
            "no-records": pages.binding_page("empty.html", None, since="2026-01-01"),
        }

    def test_every_page_parses_without_an_error(self):
        for name, path in self.pages.items():
            with self.subTest(page=name):
                text = path.read_text(encoding="utf-8")
                self.assertTrue(text.startswith("<!DOCTYPE html>\n"))
                document = parse_strict(text)  # raises html5lib.html5parser.ParseError
                self.assertEqual(document.tag, "html")

    def test_the_shapes_the_variants_ask_for_are_there(self):
        shapes = self.pages["sample-large-shapes"].read_text(encoding="utf-8")
        self.assertIn('data-shape="bar"', shapes)
        self.assertIn('data-shape="squares"', shapes)
        self.assertIn("each mark is a bin", shapes)
        self.assertIn('<p class="more">', shapes)
        self.assertNotIn("<script", shapes)
        bars = self.pages["sample-all-bars"].read_text(encoding="utf-8")
        self.assertNotIn('data-shape="squares"', bars)
        self.assertIn('data-shape="bar"', bars)
        self.assertIn('id="movers"', self.pages["sample-ru-movers"].read_text(encoding="utf-8"))

    def test_hostile_names_are_text(self):
        document = parse_strict(self.pages["handmade"].read_text(encoding="utf-8"))
        scripts = document.findall(".//script")
        self.assertEqual(len(scripts), 1)  # the page's own
        self.assertEqual(document.findall(".//img"), [])
        text = "".join(document.itertext())
        self.assertIn(pages.HOSTILE, text)
        self.assertIn("<b>carol</b>", text)
        self.assertNotIn(pages.HOSTILE, scripts[0].text or "")

    def test_the_page_asks_for_nothing_outside_itself(self):
        for name, path in self.pages.items():
            with self.subTest(page=name):
                document = parse_strict(path.read_text(encoding="utf-8"))
                for element in document.iter():
                    for attr in ("src", "srcset", "data", "poster", "action", "formaction"):
                        self.assertNotIn(attr, element.attrib, element.tag)
                    if element.tag == "link":
                        self.fail("a <link> element")
                    href = element.attrib.get("href")
                    if href is not None:
                        self.assertTrue(href.startswith("#"), href)
                csp = [m.attrib["content"] for m in document.iter("meta")
                       if m.attrib.get("http-equiv") == "Content-Security-Policy"]
                self.assertEqual(len(csp), 1)
                self.assertTrue(csp[0].startswith("default-src 'none'; "), csp[0])


if __name__ == "__main__":
    unittest.main()
