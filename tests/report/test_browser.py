"""report.browser: the sales plan page in a real browser (Debian's chromium,
headless, driven through the DevTools protocol by tests/report/browser.py).

For the bundled sample and the hand-made portfolio: the page loads with no
console error and no request but its own; every rep x tier cell holds as
many squares of each colour as the results say (counted from `crmtier score`
and the input's owners for the sample, worked out by hand for the hand-made
one); pixels of a screenshot at a blue A square and at the legend have the
documented colours; one rep's page shows only that rep, and so does the
page's own rep filter; hostile names run no script; print to PDF gives A4
landscape pages. One browser for the whole run, started and stopped here
with its own profile folder."""

import json
import re
import unittest

import pages
from browser import Browser

# Every map cell as the browser sees it: rep, tier, how it is drawn, and its
# accounts by colour (squares counted by fill; bars by their data-count).
CELLS_JS = r"""
(() => {
  const out = [];
  for (const row of document.querySelectorAll('table.map tbody tr')) {
    for (const cell of row.querySelectorAll('td.cell')) {
      const colours = {};
      for (const sq of cell.querySelectorAll('rect.sq')) {
        const hex = sq.getAttribute('fill').toLowerCase();
        colours[hex] = (colours[hex] || 0) + 1;
      }
      for (const bar of cell.querySelectorAll('rect.bar')) {
        const hex = bar.getAttribute('fill').toLowerCase();
        colours[hex] = (colours[hex] || 0) + Number(bar.getAttribute('data-count'));
      }
      out.push({rep: row.getAttribute('data-rep'), tier: cell.getAttribute('data-tier'),
                shape: cell.getAttribute('data-shape'), count: Number(cell.getAttribute('data-count')),
                colours: colours});
    }
  }
  return out;
})()
"""

# The page box of the first element matching a selector: [x, y, width, height].
BOX_JS = """
((selector) => {
  const e = document.querySelector(selector);
  if (!e) return null;
  const r = e.getBoundingClientRect();
  return [r.x + window.scrollX, r.y + window.scrollY, r.width, r.height];
})(%s)
"""


def cells_seen(browser):
    out = {}
    for c in browser.evaluate(CELLS_JS):
        if c["count"] == 0:
            continue
        named = {pages.HEX_NAME[h]: n for h, n in c["colours"].items()}
        out[(c["rep"], c["tier"])] = named
    return out


class PageInBrowser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.browser = Browser()

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()

    def load(self, path):
        b = self.browser
        url = path.resolve().as_uri()
        b.open(url)
        self.assertEqual(b.console_errors(), [], "console errors")
        self.assertEqual(b.requests(), [url], "requests other than the page itself")
        self.assertEqual(b.dialogs(), [], "dialogs opened")
        return b

    def box(self, selector):
        box = self.browser.evaluate(BOX_JS % json.dumps(selector))
        self.assertIsNotNone(box, selector)
        return box

    def colour_at_centre(self, selector):
        x, y, w, h = self.box(selector)
        return self.browser.colour_at(x + w / 2, y + h / 2)

    def check_legend(self):
        for name, hex_ in pages.PALETTE.items():
            with self.subTest(legend=name):
                self.assertEqual(self.colour_at_centre(f'#legend li[data-colour="{name}"] rect'), hex_)

    def check_blue_a(self, expected):
        b = self.browser
        self.assertEqual(b.evaluate("document.querySelectorAll('rect.sq.esc').length"), expected)
        self.assertEqual(
            b.evaluate("[...document.querySelectorAll('rect.sq.esc')]"
                       ".every(r => r.closest('td').getAttribute('data-tier') === 'A')"), True)
        self.assertEqual(self.colour_at_centre("rect.sq.esc"), pages.PALETTE["blue"])
        # Its outline: the pixel just inside its left edge is near black.
        x, y, w, h = self.box("rect.sq.esc")
        edge = b.colour_at(x + 0.3, y + h / 2)
        self.assertLess(sum(int(edge[i:i + 2], 16) for i in (1, 3, 5)), 200, edge)


class SampleInBrowser(PageInBrowser):
    """The bundled sample, 2,000 accounts of 20 reps."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.expected = pages.expected_cells(pages.SAMPLE)
        cls.results = pages.scored(pages.SAMPLE)
        cls.page = pages.host_page("sample.html")

    def test_loads_clean_and_every_cell_counts_as_the_results(self):
        b = self.load(self.page)
        seen = cells_seen(b)
        self.assertEqual(seen, self.expected)
        self.assertEqual(sum(sum(c.values()) for c in seen.values()), 2000)
        shapes = set(c["shape"] for c in b.evaluate(CELLS_JS) if c["count"])
        self.assertEqual(shapes, {"squares"})

    def test_headline_counts_are_the_results(self):
        b = self.load(self.page)
        r = self.results.values()
        stat = lambda name: int(b.evaluate(
            f"document.querySelector('[data-stat={name}]').getAttribute('data-value')"))
        self.assertEqual(stat("accounts"), len(self.results))
        self.assertEqual(stat("overdue"), sum(x["overdue_days"] > 0 for x in r))
        self.assertEqual(stat("declining"), sum(x["declining"] for x in r))
        self.assertEqual(stat("escalations"), sum(x["escalate"] for x in r))

    def test_pixels_of_a_blue_a_square_and_of_the_legend(self):
        self.load(self.page)
        self.check_blue_a(sum(x["escalate"] for x in self.results.values()))
        self.check_legend()

    def test_one_reps_page_shows_only_that_rep(self):
        page = pages.host_page("sample-rep.html", "--owner", "rep-07")
        b = self.load(page)
        self.assertEqual(cells_seen(b), pages.expected_cells(pages.SAMPLE, only="rep-07"))
        reps = b.evaluate("[...new Set([...document.querySelectorAll('[data-rep]')]"
                          ".map(e => e.getAttribute('data-rep')))]")
        self.assertEqual(reps, ["rep-07"])
        self.assertEqual(b.evaluate("document.getElementById('rep-filter')"), None)
        who = pages.owners(pages.SAMPLE)
        mine = sum(1 for i in self.results if who[i] == "rep-07")
        self.assertEqual(int(b.evaluate(
            "document.querySelector('[data-stat=accounts]').getAttribute('data-value')")), mine)

    def test_the_pages_rep_filter_hides_the_other_reps(self):
        b = self.load(self.page)
        self.assertEqual(b.evaluate("document.getElementById('controls').hidden"), False)  # the script ran
        b.evaluate("(() => { const s = document.getElementById('rep-filter'); s.value = 'rep-03';"
                   " s.dispatchEvent(new Event('change')); })()")
        shown = b.evaluate("[...new Set([...document.querySelectorAll('[data-rep]')]"
                           ".filter(e => e.offsetParent !== null).map(e => e.getAttribute('data-rep')))]")
        self.assertEqual(shown, ["rep-03"])
        groups = b.evaluate("[...document.querySelectorAll('article.group')].filter(e => !e.hidden)"
                            ".map(e => [...e.querySelectorAll('[data-member]')].map(m => m.textContent))")
        self.assertTrue(groups and all("rep-03" in g for g in groups), groups)
        self.assertEqual(b.console_errors(), [])

    def test_the_sorting_script_sorts(self):
        b = self.load(self.page)
        order = lambda: b.evaluate("[...document.querySelectorAll('#decliner-table tbody tr')]"
                                   ".map(r => Number(r.cells[5].getAttribute('data-sort')))")
        b.evaluate("document.querySelector('#decliner-table thead th:nth-child(6)').click()")
        ascending = order()
        self.assertEqual(ascending, sorted(ascending))
        b.evaluate("document.querySelector('#decliner-table thead th:nth-child(6)').click()")
        self.assertEqual(order(), sorted(ascending, reverse=True))

    def test_prints_to_a4_landscape(self):
        self.load(self.page)
        pdf = self.browser.pdf()
        self.assertTrue(pdf.startswith(b"%PDF-"))
        boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]", pdf)
        self.assertTrue(boxes)
        for w, h in boxes:  # 297 x 210 mm in points
            self.assertAlmostEqual(float(w), 841.9, delta=1.5)
            self.assertAlmostEqual(float(h), 595.3, delta=1.5)

    def test_russian_page_with_movers_loads_clean(self):
        page = pages.host_page("sample-ru.html", "--lang", "ru", "--since", "2026-10-31")
        b = self.load(page)
        self.assertEqual(b.evaluate("document.documentElement.lang"), "ru")
        self.assertEqual(b.evaluate("document.querySelector('h1').textContent"), "План продаж")
        self.assertEqual(cells_seen(b), self.expected)
        self.assertGreater(b.evaluate("document.querySelectorAll('#mover-table tbody tr').length"), 0)


class HandmadeInBrowser(PageInBrowser):
    """The hand-made portfolio, hostile names included."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.page = pages.host_page("handmade.html", "--as-of", pages.AS_OF, pages.HANDMADE)

    def test_every_cell_holds_the_hand_worked_squares(self):
        b = self.load(self.page)
        self.assertEqual(cells_seen(b), pages.HANDMADE_CELLS)

    def test_hostile_names_run_nothing_and_show_as_text(self):
        b = self.load(self.page)  # no dialog (checked by load)
        self.assertEqual(b.evaluate("document.scripts.length"), 1)
        self.assertEqual(b.evaluate("document.images.length"), 0)
        text = b.evaluate("document.body.textContent")
        self.assertIn(pages.HOSTILE, text)
        self.assertIn("<b>carol</b>", text)
        self.assertEqual(b.evaluate("[...document.querySelectorAll('b')].filter(e => e.textContent === 'carol')"
                                    ".length"), 0)
        # The tooltip of its square carries the name as text too.
        self.assertEqual(b.evaluate(
            "[...document.querySelectorAll('rect.sq title')].filter(t => t.textContent.startsWith("
            + json.dumps(pages.HOSTILE + ":") + ")).length"), 1)
        # Interacting with the page runs nothing either.
        b.evaluate("(() => { const s = document.getElementById('rep-filter');"
                   " s.value = '<b>carol</b>'; s.dispatchEvent(new Event('change')); })()")
        self.assertEqual(b.dialogs(), [])
        shown = b.evaluate("[...new Set([...document.querySelectorAll('[data-rep]')]"
                           ".filter(e => e.offsetParent !== null).map(e => e.getAttribute('data-rep')))]")
        self.assertEqual(shown, ["<b>carol</b>"])

    def test_pixels_of_the_blue_a_squares_and_the_legend(self):
        self.load(self.page)
        self.check_blue_a(2)
        self.check_legend()

    def test_escalations_and_decliners_as_worked_out(self):
        b = self.load(self.page)
        self.assertEqual(b.evaluate("[...document.querySelectorAll('article.escalation')]"
                                    ".map(e => e.getAttribute('data-id'))"), ["A2", "C2"])
        self.assertEqual(b.evaluate("[...document.querySelectorAll('#decliner-table tbody tr')]"
                                    ".map(e => e.getAttribute('data-id'))"), ["A2", "C2", "B3", "B4", "C4"])

    def test_prints(self):
        self.load(self.page)
        self.assertTrue(self.browser.pdf().startswith(b"%PDF-"))


if __name__ == "__main__":
    unittest.main()
