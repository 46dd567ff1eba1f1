/* Find a member by name, pinyin or pinyin initials ("zjp" finds 邹建平), with no server.
   The index (search-index.js at the site root, assigning window.SITEGEN_SEARCH) is loaded
   by a script tag the first time the box is used: that works from file:// and under any
   sub-path, where fetch would not. Plain ES5, like the lobby screen's script. */
(function () {
  var form = document.getElementById('search');
  if (!form) { return; }
  var input = document.getElementById('search-q');
  var list = document.getElementById('search-results');
  var status = document.getElementById('search-status');
  var root = form.getAttribute('data-root') || '';
  var people = null;  // [{name, syllables, branch, year, bid, mid, status}]
  var loading = false;
  var MAX = 20;

  function load() {
    if (people || loading) { return; }
    loading = true;
    var s = document.createElement('script');
    s.src = root + 'search-index.js';
    s.onload = function () { prepare(window.SITEGEN_SEARCH); search(); };
    s.onerror = function () { loading = false; status.textContent = '搜索索引未能加载。'; };
    document.head.appendChild(s);
  }

  // a string's characters, a character outside the BMP (𠮷) as one
  function split(text) { return text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]|[\s\S]/g) || []; }

  function prepare(data) {
    var reading = {}, chars = split(data.c), syl = data.p.split(' '), i, b, k, names, ids, n = 0, letters;
    for (i = 0; i < chars.length; i++) { reading[chars[i]] = syl[i]; }
    people = [];
    for (b = 0; b < data.b.length; b++) {
      var row = data.b[b];
      names = row[3];
      ids = row[4];
      for (k = 0; k < names.length; k++, n++) {
        var name = names[k], syllables = [];
        if (data.o.hasOwnProperty(String(n))) {
          syllables = data.o[String(n)].split(' ');
        } else {
          letters = split(name);
          for (i = 0; i < letters.length; i++) { syllables.push(reading[letters[i]] || letters[i].toLowerCase()); }
        }
        people.push({
          name: name, syllables: syllables, year: row[0], bid: row[1], branch: row[2],
          mid: ids[k] || '', status: data.s[parseInt(row[5].charAt(k), 36)] || ''
        });
      }
    }
  }

  // Does q (letters) spell the syllables from i on, each syllable whole or by its first letters?
  function spells(syllables, i, q, j) {
    if (j === q.length) { return true; }
    if (i === syllables.length) { return false; }
    var s = syllables[i], k;
    for (k = Math.min(s.length, q.length - j); k >= 1; k--) {
      if (s.substr(0, k) === q.substr(j, k) && spells(syllables, i + 1, q, j + k)) { return true; }
    }
    return false;
  }

  // 0: the whole name or from its first syllable, 1: from a later syllable, -1: no match
  function score(p, q, latin) {
    if (!latin) {
      if (p.name === q) { return 0; }
      return p.name.indexOf(q) === 0 ? 0 : (p.name.indexOf(q) > 0 ? 1 : -1);
    }
    for (var i = 0; i < p.syllables.length; i++) {
      if (spells(p.syllables, i, q, 0)) { return i === 0 ? 0 : 1; }
    }
    return -1;
  }

  function href(p) {
    return root + p.year + '/b/' + p.bid + (p.mid ? '/m/' + p.mid + '.html' : '/index.html');
  }

  function search() {
    if (!people) { return; }
    var raw = input.value.replace(/\s+/g, '').toLowerCase().replace(/ü/g, 'v');
    list.innerHTML = '';
    if (!raw) { status.textContent = ''; return; }
    var latin = /^[a-z]+$/.test(raw), found = [], i, s;
    for (i = 0; i < people.length; i++) {
      s = score(people[i], raw, latin);
      if (s >= 0) { found.push([s, i]); }
    }
    found.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    status.textContent = found.length ? ('找到 ' + found.length + ' 人' + (found.length > MAX ? '，显示前 ' + MAX + ' 人' : '')) : '没有找到';
    for (i = 0; i < found.length && i < MAX; i++) {
      var p = people[found[i][1]], li = document.createElement('li'), a = document.createElement('a');
      a.href = href(p);
      a.textContent = p.name;
      li.appendChild(a);
      var info = document.createElement('span');
      info.className = 'who';
      info.textContent = p.branch + ' · ' + p.status;
      li.appendChild(info);
      list.appendChild(li);
    }
  }

  input.addEventListener('focus', load);
  input.addEventListener('input', function () { load(); search(); });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var first = list.getElementsByTagName('a')[0];
    if (first) { window.location.href = first.href; }
  });
})();
