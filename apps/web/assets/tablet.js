// hallq-web's rating tablet (服务评价器): paired once with its window by the code the clerk's
// terminal shows; then it shows the window's clerk and ticket, and after each finish five
// buttons. The pairing (the window and the tablet's secret) is kept in this browser's local
// storage; the rating goes to hallqd with the secret, which binds it to the window.
'use strict';
(function () {
  var lang = document.body.getAttribute('data-lang') === 'en' ? 'en' : 'zh';
  var query = '&lang=' + lang;
  var pairing = null;
  try { pairing = JSON.parse(localStorage.getItem('hallq-tablet') || 'null'); } catch (e) { pairing = null; }
  var source = null, pollTimer = null, sent = '';

  function el(id) { return document.getElementById(id); }
  function text(id, value) { var e = el(id); if (e.textContent !== value) e.textContent = value; }

  function post(path, body) {
    return fetch(path + '?lang=' + lang, {
      method: 'POST', credentials: 'omit', cache: 'no-store',
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    }).then(function (r) { return r.json().then(function (j) { j.status = r.status; return j; }); });
  }

  function showPairing() {
    el('pairing').hidden = false; el('face').hidden = true; el('unpair').hidden = true;
    el('code').focus();
  }

  function rate(number, rating) {
    sent = number;
    post('/tablet/rate', { tablet: pairing.tablet, number: number, rating: rating }).then(function (r) {
      if (r.status === 403) { localStorage.removeItem('hallq-tablet'); location.reload(); }
    });
  }

  function show(s) {
    text('window', s.window);
    text('hall', s.hall);
    text('offline', s.offline_text);
    text('clerk', s.clerk);
    text('doing', s.doing);
    text('ask', s.ask);
    var box = el('ratings');
    var want = s.rate_for && !s.rated && sent !== s.rate_for ? s.rate_for : '';
    if (box.getAttribute('data-for') !== want) {
      while (box.firstChild) box.removeChild(box.firstChild);
      box.setAttribute('data-for', want);
      if (want) s.ratings.forEach(function (r) {
        var b = document.createElement('button');
        b.type = 'button'; b.className = 'r' + r.rating; b.textContent = r.text;
        b.setAttribute('data-rating', r.rating);
        b.addEventListener('click', function () { rate(want, r.rating); text('ask', s.thanks); box.setAttribute('data-for', ''); while (box.firstChild) box.removeChild(box.firstChild); });
        box.appendChild(b);
      });
    }
  }

  function poll() {
    clearTimeout(pollTimer);
    fetch('/tablet/state?counter=' + pairing.counter + query, { cache: 'no-store', credentials: 'omit' })
      .then(function (r) { return r.json(); })
      .then(function (s) { show(s); if (!source) pollTimer = setTimeout(poll, 2000); })
      .catch(function () { if (!source) pollTimer = setTimeout(poll, 5000); });
  }

  function follow() {
    el('pairing').hidden = true; el('face').hidden = false; el('unpair').hidden = false;
    if (!window.EventSource) { poll(); return; }
    source = new EventSource('/tablet/events?counter=' + pairing.counter + query);
    source.onmessage = function (e) { show(JSON.parse(e.data)); };
    source.onerror = function () {
      if (source.readyState === EventSource.CLOSED) { source = null; poll(); }
    };
  }

  el('pairing').addEventListener('submit', function (e) {
    e.preventDefault();
    post('/tablet/pair', { code: el('code').value.trim() }).then(function (r) {
      if (r.status !== 200) { text('pair-error', r.error && r.error.message || ''); return; }
      pairing = { counter: r.counter, tablet: r.tablet };
      localStorage.setItem('hallq-tablet', JSON.stringify(pairing));
      follow();
    });
  });
  el('unpair').addEventListener('click', function (e) {
    e.preventDefault(); localStorage.removeItem('hallq-tablet'); location.reload();
  });

  if (pairing && pairing.tablet && pairing.counter) follow(); else showPairing();
})();
