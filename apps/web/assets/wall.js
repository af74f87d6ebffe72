// hallq-web's wall page: the hall's state as server-sent events (polling when the stream
// cannot be kept), and each new call spoken from the WAV the server renders with
// hallq-display's voice. A TV browser started with autoplay allowed plays it by itself;
// otherwise a button asks for one click.
'use strict';
(function () {
  var lang = document.body.getAttribute('data-lang') === 'en' ? 'en' : 'zh';
  var query = '?lang=' + lang;
  var spoken = null;        // the newest call's moment said (or found at opening)
  var queue = [];           // audio URLs to play, in order
  var playing = false;
  var flashFor = '';
  var source = null, pollTimer = null, failures = 0;

  function el(id) { return document.getElementById(id); }
  function text(id, value) { var e = el(id); if (e.textContent !== value) e.textContent = value; }

  function list(id, items, make) {
    var ul = el(id);
    while (ul.firstChild) ul.removeChild(ul.firstChild);
    items.forEach(function (item) { ul.appendChild(make(item)); });
  }

  function li(cls, parts) {
    var e = document.createElement('li');
    if (cls) e.className = cls;
    parts.forEach(function (p) {
      var s = document.createElement('span');
      s.textContent = p[1];
      if (p[0]) s.className = p[0];
      e.appendChild(s);
    });
    return e;
  }

  function playNext() {
    if (playing || !queue.length) return;
    playing = true;
    var a = new Audio(queue.shift());
    a.onended = a.onerror = function () { playing = false; playNext(); };
    var p = a.play();
    if (p && p.catch) p.catch(function () {
      // Autoplay refused: one click lets it play from then on.
      playing = false; el('sound').hidden = false;
    });
  }

  function speak(calls) {
    if (spoken === null) {        // opened now: old calls are not said
      spoken = calls.length ? calls[calls.length - 1].ts_ms : 0;
      return;
    }
    calls.forEach(function (c) {
      if (c.ts_ms > spoken) { queue.push(c.audio + ''); spoken = c.ts_ms; }
    });
    playNext();
  }

  function show(s) {
    text('hall', s.hall);
    var off = el('offline');
    off.hidden = s.live;
    off.textContent = s.offline_text;
    document.body.classList.toggle('stale', !s.live);
    text('now', s.now_calling);
    var c = s.current;
    text('label', c ? c.label : s.no_calls);
    text('window', c ? String(c.counter) : '');
    el('arrow').hidden = !c;
    text('sentence', c ? c.sentence : '');
    var key = c ? c.label + '@' + c.ts_ms : '';
    if (key && key !== flashFor && spoken !== null) {
      document.body.classList.remove('flash'); void document.body.offsetWidth;
      document.body.classList.add('flash');
    }
    flashFor = key;
    text('recent-title', s.recent_title);
    list('recent', s.list, function (x) { return li(x.green ? 'green' : '', [['', x.label], ['', '\u25b6 ' + x.counter]]); });
    text('waiting-title', s.waiting_title);
    list('queues', s.queues, function (q) { return li('', [['name', q.prefix + ' ' + q.name], ['', q.text]]); });
    text('avg', s.avg_wait);
    list('windows', s.windows, function (w) { return li(w.state, [['', w.text]]); });
    text('notice-text', s.notice);
    speak(s.speak);
  }

  function clock() {
    var d = new Date();
    function two(n) { return (n < 10 ? '0' : '') + n; }
    text('clock', two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds()));
  }

  function poll() {
    clearTimeout(pollTimer);
    fetch('/wall/state' + query, { cache: 'no-store', credentials: 'omit' })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (s) { show(s); if (!source) pollTimer = setTimeout(poll, 1000); })
      .catch(function () {
        el('offline').hidden = false;
        if (!source) pollTimer = setTimeout(poll, 2000);
      });
  }

  function stream() {
    if (!window.EventSource) { poll(); return; }
    source = new EventSource('/wall/events' + query);
    source.onmessage = function (e) { failures = 0; show(JSON.parse(e.data)); };
    source.onerror = function () {
      el('offline').hidden = false;
      if (++failures >= 3 || source.readyState === EventSource.CLOSED) {
        source.close(); source = null; poll();
        setTimeout(function () { if (!source) { failures = 0; stream(); } }, 30000);
      }
    };
  }

  el('sound').addEventListener('click', function () { this.hidden = true; playNext(); });
  clock();
  setInterval(clock, 1000);
  stream();
})();
