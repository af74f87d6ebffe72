// hallq-web's booking page (预约办理): pick the service, the day and an open slot (a full one
// is not offered), give the ID number, get the booking code; or cancel one by code and ID
// number. Everything goes to this origin's /book/... addresses; no cookies, no storage.
'use strict';
(function () {
  var body = document.body;
  var lang = body.getAttribute('data-lang') === 'en' ? 'en' : 'zh';
  var query = 'lang=' + lang;
  var chosen = null;

  function $(id) { return document.getElementById(id); }
  function showError(message) {
    var el = $('error');
    el.textContent = message || '';
    el.hidden = !message;
    if (message) el.scrollIntoView({ block: 'center' });
  }
  function ask(method, path, data) {
    var init = { method: method, headers: {} };
    if (data !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(data);
    }
    return fetch(path + (path.indexOf('?') < 0 ? '?' : '&') + query, init).then(function (r) {
      return r.json().then(function (j) { return { status: r.status, json: j }; });
    });
  }
  function choice() {
    var v = $('service').value.split(':');
    return { queue: v[0], service: v[1] ? Number(v[1]) : undefined };
  }

  function drawSlots(slots) {
    var box = $('slots');
    var old = box.querySelector('.slots-list');
    if (old) box.removeChild(old);
    var list = document.createElement('div');
    list.className = 'slots-list';
    chosen = null;
    slots.filter(function (s) { return s.open; }).forEach(function (s) {
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'slot';
      b.setAttribute('data-slot', s.slot);
      b.setAttribute('aria-pressed', 'false');
      b.textContent = s.slot;
      var small = document.createElement('small');
      small.textContent = body.getAttribute('data-left').replace('%d', s.left);
      b.appendChild(small);
      b.addEventListener('click', function () {
        Array.prototype.forEach.call(list.children, function (x) { x.setAttribute('aria-pressed', 'false'); });
        b.setAttribute('aria-pressed', 'true');
        chosen = s.slot;
      });
      list.appendChild(b);
    });
    $('no-slot').hidden = list.children.length > 0;
    box.appendChild(list);
  }

  function loadSlots(keepDays) {
    var c = choice();
    var day = $('day').value;
    var path = '/book/slots?queue=' + encodeURIComponent(c.queue) +
      (c.service ? '&service=' + c.service : '') + (day ? '&date=' + encodeURIComponent(day) : '');
    return ask('GET', path).then(function (r) {
      if (r.status !== 200) { showError(r.json.error && r.json.error.message); drawSlots([]); return; }
      showError('');
      if (!keepDays) {
        var sel = $('day');
        sel.textContent = '';
        r.json.days.forEach(function (d) {
          var o = document.createElement('option');
          o.value = d; o.textContent = d;
          sel.appendChild(o);
        });
        sel.value = r.json.date;
      }
      drawSlots(r.json.slots);
      body.setAttribute('data-ready', r.json.date);
    });
  }

  function start() {
    ask('GET', '/book/options').then(function (r) {
      var sel = $('service');
      if (r.status !== 200 || !r.json.services.length) {
        showError(r.status === 200 ? body.getAttribute('data-no-service') : r.json.error && r.json.error.message);
        $('book').hidden = true;
        return;
      }
      r.json.services.forEach(function (s) {
        var o = document.createElement('option');
        o.value = s.queue + (s.service ? ':' + s.service : '');
        o.textContent = s.name;
        sel.appendChild(o);
      });
      loadSlots(false);
    }).catch(function () { showError(body.getAttribute('data-no-service')); });
  }

  $('service').addEventListener('change', function () { $('day').value = ''; loadSlots(false); });
  $('day').addEventListener('change', function () { loadSlots(true); });
  $('book').addEventListener('submit', function (e) {
    e.preventDefault();
    if (!chosen) { showError($('no-slot').hidden ? body.getAttribute('data-none') : $('no-slot').textContent); return; }
    var c = choice();
    var req = { queue: c.queue, date: $('day').value, slot: chosen, id_number: $('id-number').value.trim().toUpperCase() };
    if (c.service) req.service = c.service;
    ask('POST', '/book/new', req).then(function (r) {
      if (r.status !== 201) { showError(r.json.error && r.json.error.message); loadSlots(true); return; }
      showError('');
      var b = r.json.booking;
      $('code').textContent = b.code;
      $('when').textContent = b.date + ' ' + b.slot;
      $('window').textContent = r.json.check_in.from + '–' + r.json.check_in.until;
      $('where').textContent = r.json.check_in.where;
      $('id-number').value = '';
      $('book').hidden = true;
      $('booked').hidden = false;
      $('booked').scrollIntoView({ block: 'start' });
    });
  });
  $('again').addEventListener('click', function () {
    $('booked').hidden = true;
    $('book').hidden = false;
    loadSlots(true);
  });
  $('cancel').addEventListener('submit', function (e) {
    e.preventDefault();
    var code = $('cancel-code').value.trim().toUpperCase();
    ask('POST', '/book/cancel', { code: code, id_number: $('cancel-id').value.trim().toUpperCase() }).then(function (r) {
      var done = $('cancelled');
      if (r.status !== 200) { done.hidden = true; showError(r.json.error && r.json.error.message); return; }
      showError('');
      done.textContent = body.getAttribute('data-cancelled').replace('%s', r.json.booking.code);
      done.hidden = false;
      $('cancel-id').value = '';
      if (!$('book').hidden) loadSlots(true);
    });
  });
  start();
})();
