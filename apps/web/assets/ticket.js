// hallq-web's progress page: follows one ticket through server-sent events and falls back to
// polling its state when the stream cannot be kept. No cookies, no storage, no other origin.
'use strict';
(function () {
  var base = location.pathname.replace(/\/+$/, '');
  var lang = document.body.getAttribute('data-lang') === 'en' ? 'en' : 'zh';
  var query = '?lang=' + lang;
  var lastCall = Number(document.body.getAttribute('data-call')) || 0;
  var audio = null;
  var pollTimer = null;
  var source = null;
  var failures = 0;

  function text(id, value) {
    var el = document.getElementById(id);
    if (el && el.textContent !== value) el.textContent = value;
  }

  function ring() {
    if (navigator.vibrate) navigator.vibrate([400, 200, 400, 200, 400]);
    if (audio) {
      var t = audio.currentTime;
      [0, 0.6].forEach(function (at, i) {
        var osc = audio.createOscillator();
        var gain = audio.createGain();
        osc.frequency.value = i ? 660 : 880;
        gain.gain.setValueAtTime(0.4, t + at);
        gain.gain.exponentialRampToValueAtTime(0.01, t + at + 0.5);
        osc.connect(gain); gain.connect(audio.destination);
        osc.start(t + at); osc.stop(t + at + 0.55);
      });
    }
    document.body.classList.remove('flash');
    void document.body.offsetWidth;
    document.body.classList.add('flash');
  }

  function show(s) {
    document.body.className = 'phone state-' + s.state;
    text('hall', s.hall);
    text('label', s.label);
    text('service', s.service);
    text('line', s.line);
    text('detail', s.detail);
    text('ahead', s.ahead_text);
    text('wait', s.wait_text);
    text('offline', s.offline_text);
    document.title = s.label + ' ' + s.line;
    if (s.call_ms && s.call_ms !== lastCall) ring();
    lastCall = s.call_ms;
    checkRemind(s);
  }

  function lost(on) { document.getElementById('lost').hidden = !on; }

  // Polling: every 5 s, every second when the call is near (as Qmatic's mobile ticket does).
  function poll() {
    clearTimeout(pollTimer);
    fetch(base + '/state' + query, { cache: 'no-store', credentials: 'omit' })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (s) {
        lost(false); show(s);
        var near = s.state === 'waiting' && s.ahead <= 3;
        if (!source) pollTimer = setTimeout(poll, near ? 1000 : 5000);
      })
      .catch(function () { lost(true); if (!source) pollTimer = setTimeout(poll, 5000); });
  }

  function stream() {
    if (!window.EventSource) { poll(); return; }
    source = new EventSource(base + '/events' + query);
    source.onmessage = function (e) { failures = 0; lost(false); show(JSON.parse(e.data)); };
    source.onerror = function () {
      // The browser reconnects by itself; after repeated failures the page polls instead.
      if (++failures >= 3 || source.readyState === EventSource.CLOSED) {
        source.close(); source = null; lost(true); poll();
        setTimeout(function () { if (!source) { failures = 0; stream(); } }, 30000);
      }
    };
  }

  // "Tell me when 3 are ahead": while the page is open it rings itself; with the hall's hook,
  // hallq-web also sends a message after the page is closed (to the number, if given).
  var remindAt = 0, reminded = false;
  var remind = document.getElementById('remind');
  var hook = remind.getAttribute('data-hook') === '1';
  if (hook) { document.getElementById('contact').hidden = false; document.getElementById('contact-label').hidden = false; }
  remind.addEventListener('submit', function (e) {
    e.preventDefault();
    remindAt = 3;
    remind.hidden = true;
    document.getElementById('remind-set').hidden = false;
    if (hook) {
      fetch(base + '/notify' + query, {
        method: 'POST', credentials: 'omit', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ ahead: 3, contact: document.getElementById('contact').value.trim() }),
      });
    }
  });
  function checkRemind(s) {
    if (!remindAt || reminded || s.state !== 'waiting' || s.ahead > remindAt) return;
    reminded = true;
    text('remind-set', remind.getAttribute('data-now').replace('%d', s.ahead));
    ring();
  }

  document.getElementById('sound').addEventListener('click', function () {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (Ctx && !audio) audio = new Ctx();
    if (audio && audio.resume) audio.resume();
    if (navigator.vibrate) navigator.vibrate(100);
    this.hidden = true;
    document.getElementById('sound-ready').hidden = false;
  });

  stream();
})();
