/* Lobby screen: rotates the slides unattended. Plain ES5 for old Android WebViews:
   no arrow functions, no let/const, no modules, no fetch, no classList.
   - picks the landscape or portrait deck by the viewport's shape and scales it to fit;
   - shows one slide for data-interval seconds, with 第 x / y 屏;
   - learns the build it belongs to from build-info.json just after loading; then every few
     minutes asks again, and reloads only when the server answers with another build
     (never onto a browser error page); opened from disk (file://) it does not ask at all:
     a browser refuses such requests and would log an error every time;
   - reloads fully every few hours, again only when the server answers;
   - keeps rotating what it has when the network is gone;
   - shifts the picture a few pixels from time to time against burn-in;
   - goes dark outside data-hours (e.g. "07:30-21:30"). */
(function () {
  var body = document.body;
  var interval = Math.max(5, parseInt(body.getAttribute('data-interval'), 10) || 15) * 1000;
  var build = null;  // the build this page belongs to: learnt from the first answer after loading
  var infoUrl = body.getAttribute('data-info');
  var hours = body.getAttribute('data-hours') || '';
  var POLL = 3 * 60 * 1000, FULL_RELOAD = 4 * 60 * 60 * 1000, SHIFT = 10 * 60 * 1000;
  var started = new Date().getTime();
  var stage = null, slides = [], index = 0, shiftX = 0, shiftY = 0;

  function hasClass(el, name) { return (' ' + el.className + ' ').indexOf(' ' + name + ' ') >= 0; }
  function addClass(el, name) { if (!hasClass(el, name)) { el.className += ' ' + name; } }
  function removeClass(el, name) {
    el.className = (' ' + el.className + ' ').replace(' ' + name + ' ', ' ').replace(/^\s+|\s+$/g, '');
  }

  function layout() {
    var w = window.innerWidth || document.documentElement.clientWidth;
    var h = window.innerHeight || document.documentElement.clientHeight;
    var portrait = h > w;
    var chosen = document.getElementById(portrait ? 'stage-portrait' : 'stage-landscape');
    var other = document.getElementById(portrait ? 'stage-landscape' : 'stage-portrait');
    removeClass(other, 'active');
    addClass(chosen, 'active');
    if (chosen !== stage) {
      stage = chosen;
      slides = stage.getElementsByTagName('section');
      index = 0;
      show(0);
    }
    var cw = portrait ? 1080 : 1920, ch = portrait ? 1920 : 1080;
    var scale = Math.min(w / cw, h / ch);
    var left = Math.floor((w - cw * scale) / 2) + shiftX, top = Math.floor((h - ch * scale) / 2) + shiftY;
    var t = 'translate(' + left + 'px,' + top + 'px) scale(' + scale + ')';
    stage.style.webkitTransform = t;
    stage.style.transform = t;
  }

  function show(i) {
    var n, counters, k;
    for (n = 0; n < slides.length; n++) { removeClass(slides[n], 'active'); }
    if (slides.length) { addClass(slides[i], 'active'); }
    counters = stage.getElementsByTagName('b');
    for (k = 0; k < counters.length; k++) {
      if (hasClass(counters[k], 'n')) { counters[k].innerHTML = String(i + 1); }
    }
  }

  function next() {
    if (!slides.length) { return; }
    index = (index + 1) % slides.length;
    show(index);
  }

  function ask(onAnswer) {
    var xhr;
    try { xhr = new XMLHttpRequest(); } catch (e) { return; }
    xhr.onreadystatechange = function () {
      if (xhr.readyState !== 4) { return; }
      if (xhr.status === 200) {
        var info = null;
        try { info = JSON.parse(xhr.responseText); } catch (e) { info = null; }
        if (info && info.build_key) { onAnswer(info.build_key); }
      }
    };
    try {
      xhr.open('GET', infoUrl + '?t=' + new Date().getTime(), true);
      xhr.send(null);
    } catch (e) { /* offline or file://: keep rotating what we have */ }
  }

  function poll() {
    var old = new Date().getTime() - started > FULL_RELOAD;
    ask(function (key) {
      if (build === null) { build = key; }
      if (key !== build || old) { window.location.reload(); }
    });
  }

  function shift() {
    shiftX = Math.floor(Math.random() * 13) - 6;
    shiftY = Math.floor(Math.random() * 13) - 6;
    layout();
  }

  function minutes(text) {
    var m = /^(\d{1,2}):(\d{2})$/.exec(text);
    return m ? parseInt(m[1], 10) * 60 + parseInt(m[2], 10) : null;
  }

  function screenHours() {
    var parts = hours.split('-'), from, to, now, d;
    if (parts.length !== 2) { removeClass(body, 'dark'); return; }
    from = minutes(parts[0]); to = minutes(parts[1]);
    if (from === null || to === null) { removeClass(body, 'dark'); return; }
    d = new Date(); now = d.getHours() * 60 + d.getMinutes();
    var on = from <= to ? (now >= from && now < to) : (now >= from || now < to);
    if (on) { removeClass(body, 'dark'); } else { addClass(body, 'dark'); }
  }

  layout();
  screenHours();
  window.onresize = layout;
  window.setInterval(next, interval);
  if (/^https?:$/.test(window.location.protocol)) {
    window.setTimeout(poll, 2000);  // learn which build this page belongs to
    window.setInterval(poll, POLL);
  }
  window.setInterval(shift, SHIFT);
  window.setInterval(screenHours, 60 * 1000);
  window.sitegenScreen = { next: next, poll: poll, layout: layout };  // for tests and operators
})();
