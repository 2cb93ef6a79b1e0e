(function () {
  'use strict';
  // Reads only the page's own attributes; the page holds no data in scripts.
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  var select = document.getElementById('rep-filter');
  if (select) {
    document.getElementById('controls').hidden = false;
    select.addEventListener('change', function () {
      var rep = select.value;
      each(document.querySelectorAll('[data-rep]'), function (el) {
        el.hidden = rep !== '' && el.getAttribute('data-rep') !== rep;
      });
      each(document.querySelectorAll('[data-members]'), function (el) {
        var found = rep === '';
        each(el.querySelectorAll('[data-member]'), function (m) {
          if (m.getAttribute('data-member') === rep) found = true;
        });
        el.hidden = !found;
      });
    });
  }
  var key = function (row, col) {
    var cell = row.cells[col];
    return cell ? (cell.getAttribute('data-sort') || cell.textContent) : '';
  };
  each(document.querySelectorAll('table.sortable'), function (table) {
    each(table.tHead.rows[0].cells, function (th, col) {
      th.tabIndex = 0;
      var sort = function () {
        var down = th.getAttribute('aria-sort') === 'ascending';
        each(table.tHead.rows[0].cells, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', down ? 'descending' : 'ascending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a, col), y = key(b, col);
          var nx = Number(x), ny = Number(y);
          var c = (x !== '' && y !== '' && !isNaN(nx) && !isNaN(ny)) ? nx - ny : (x < y ? -1 : x > y ? 1 : 0);
          return down ? -c : c;
        });
        each(rows, function (r) { body.appendChild(r); });
      };
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter') sort(); });
    });
  });
})();
