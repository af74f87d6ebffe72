// hallq-web's JSON API against its own OpenAPI document, checked by independent tools: the
// document by @seriousme/openapi-schema-validator, every live response by Ajv (JSON Schema
// 2020-12, the dialect of OpenAPI 3.1) against the document's schema for its status.
// usage: node api.js BASE_URL KIOSK_SECRET DISPLAY_SECRET MANAGER_SECRET TODAY
//   (NODE_PATH: the installed modules; TODAY: the hall's simulated day, queue A's slots 09:00-11:00)
'use strict';
const { Validator } = require('@seriousme/openapi-schema-validator');
const Ajv2020 = require('ajv/dist/2020').default;

const [base, kioskSecret, displaySecret, deskSecret, today] = process.argv.slice(2);
let checked = 0;

function fail(msg) { console.error('FAIL: ' + msg); process.exit(1); }
function ok(msg) { console.log('ok - ' + msg); }

async function call(method, path, secret, body, headers = {}) {
  const h = Object.assign({}, headers);
  if (secret) h.Authorization = 'Bearer ' + secret;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  const r = await fetch(base + '/api/v1' + path, {
    method, headers: h, body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)),
  });
  const text = await r.text();
  let json;
  try { json = JSON.parse(text); } catch (e) { fail(`${method} ${path}: not JSON: ${text.slice(0, 200)}`); }
  if (r.headers.get('set-cookie')) fail(`${method} ${path} sets a cookie`);
  return { status: r.status, json, headers: r.headers };
}

(async () => {
  const docResp = await fetch(base + '/api/v1/openapi.json');
  const doc = await docResp.json();
  const result = await new Validator().validate(doc);
  if (!result.valid) fail('the OpenAPI document is invalid: ' + JSON.stringify(result.errors).slice(0, 500));
  ok(`the OpenAPI ${doc.openapi} document is valid (@seriousme/openapi-schema-validator)`);

  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema(doc, 'doc');
  // The schema the document gives for a response of path/method/status.
  function check(method, template, r) {
    const op = doc.paths[template][method.toLowerCase()];
    let resp = op.responses[String(r.status)];
    if (!resp) fail(`${method} ${template}: status ${r.status} is not in the document: ${JSON.stringify(r.json)}`);
    if (resp.$ref) resp = doc.components.responses[resp.$ref.split('/').pop()];
    const ref = resp.content['application/json'].schema.$ref;
    const validate = ajv.getSchema('doc' + ref);
    if (!validate(r.json)) fail(`${method} ${template} ${r.status}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(r.json)}`);
    checked++;
    return r;
  }

  // Issue, and again with the same Idempotency-Key: one ticket.
  const idem = { 'Idempotency-Key': 'order-4711' };
  const a = check('POST', '/tickets', await call('POST', '/tickets', kioskSecret, { queue: 'a', service: 1 }, idem));
  if (a.status !== 201 || a.json.ticket.number !== 'A001' || a.json.repeat) fail('issue: ' + JSON.stringify(a.json));
  const again = check('POST', '/tickets', await call('POST', '/tickets', kioskSecret, { queue: 'A', service: 1 }, idem));
  if (again.status !== 201 || again.json.ticket.number !== 'A001' || !again.json.repeat) fail('repeat: ' + JSON.stringify(again.json));
  const b = check('POST', '/tickets', await call('POST', '/tickets', kioskSecret, { queue: 'B', elderly: true }));
  if (b.json.ticket.lane !== 'green') fail('green lane: ' + JSON.stringify(b.json));
  ok(`issued ${a.json.ticket.number} (${a.json.service_name}), the same again by its Idempotency-Key, ${b.json.ticket.number} green`);

  // Refusals, each in the document's Error form.
  const refusals = [
    ['no key', await call('POST', '/tickets', null, { queue: 'A' }), 401],
    ['a wrong key', await call('GET', '/queues', 'x'.repeat(30)), 401],
    ['a display key issuing', await call('POST', '/tickets', displaySecret, { queue: 'A' }), 403],
    ['a body that is no object', await call('POST', '/tickets', kioskSecret, '[1]'), 400],
    ['an unknown field', await call('POST', '/tickets', kioskSecret, { queue: 'A', vip: true }), 400],
    ['an unknown queue', await call('POST', '/tickets', kioskSecret, { queue: 'Z' }), 422],
    ['a service of another queue', await call('POST', '/tickets', kioskSecret, { queue: 'B', service: 1 }), 422],
  ];
  for (const [what, r, want] of refusals) {
    if (r.status !== want) fail(`${what}: ${r.status} ${JSON.stringify(r.json)}, not ${want}`);
    check(what.includes('queues') || what === 'a wrong key' ? 'GET' : 'POST', what === 'a wrong key' ? '/queues' : '/tickets', r);
  }
  ok('refusals: ' + refusals.map(([w, r]) => `${w} ${r.status}`).join(', '));

  // Status by token; queues; hall.
  const st = check('GET', '/tickets/{token}', await call('GET', '/tickets/' + a.json.web_token, displaySecret));
  if (st.status !== 200 || st.json.label !== 'A001' || st.json.state !== 'waiting') fail('status: ' + JSON.stringify(st.json));
  const unknown = check('GET', '/tickets/{token}', await call('GET', '/tickets/' + 'A'.repeat(22), displaySecret));
  if (unknown.status !== 404) fail('an unknown token: ' + unknown.status);
  const q = check('GET', '/queues', await call('GET', '/queues', displaySecret));
  const qa = q.json.queues.find((x) => x.prefix === 'A');
  if (!qa || qa.waiting !== 1) fail('queues: ' + JSON.stringify(q.json));
  const hall = check('GET', '/hall', await call('GET', '/hall', kioskSecret));
  if (!hall.json.live || !hall.json.counters.length) fail('hall: ' + JSON.stringify(hall.json));
  ok(`status ${st.json.label} ${st.json.line}; queue A waits ${qa.waiting}; hall ${hall.json.name} live`);

  // Appointments: the day's slots, a booking (once per Idempotency-Key), its refusals each with
  // its own code and a one-line message in Chinese (the default) or English, look-up and
  // cancel with the ID number it was made with.
  const ID1 = '11010519491231002X', ID2 = '110105199003070017', ID3 = '110105200001010016';
  const en = { 'Accept-Language': 'en-GB,en;q=0.9' };
  let t0 = Date.now();
  const slots = check('GET', '/slots', await call('GET', `/slots?queue=A&date=${today}`, kioskSecret));
  const slotsMs = Date.now() - t0;
  const shape = slots.json.slots.map((x) => `${x.slot}:${x.left}:${x.open ? 'open' : 'closed'}`).join(' ');
  if (slots.status !== 200 || shape !== '09:00:2:closed 09:30:2:open 10:00:2:open 10:30:2:open')
    fail('slots: ' + JSON.stringify(slots.json));
  if (slots.json.days.length !== 4 || slots.json.days[0] !== today || slots.json.check_in.early_min !== 30)
    fail('slots days and check-in: ' + JSON.stringify(slots.json));
  const bookIdem = { 'Idempotency-Key': 'booking-0815' };
  t0 = Date.now();
  const bk = check('POST', '/bookings', await call('POST', '/bookings', deskSecret,
    { queue: 'A', date: today, slot: '10:00', id_number: ID1 }, bookIdem));
  const bookMs = Date.now() - t0;
  if (bk.status !== 201 || !/^[3479ACDEFHJKMNPQRTWXY]{6}$/.test(bk.json.booking.code) || bk.json.repeat ||
      bk.json.check_in.from !== '09:30' || bk.json.check_in.until !== '10:15' || bk.json.booking.state !== 'booked')
    fail('book: ' + JSON.stringify(bk.json));
  if (!bk.json.check_in.where.includes('取号机')) fail('check-in place: ' + JSON.stringify(bk.json.check_in));
  const bkAgain = check('POST', '/bookings', await call('POST', '/bookings', deskSecret,
    { queue: 'A', date: today, slot: '10:00', id_number: ID1 }, bookIdem));
  if (bkAgain.status !== 201 || bkAgain.json.booking.code !== bk.json.booking.code || !bkAgain.json.repeat)
    fail('book again with the same Idempotency-Key: ' + JSON.stringify(bkAgain.json));
  const bk2 = check('POST', '/bookings', await call('POST', '/bookings', kioskSecret,
    { queue: 'a', date: today, slot: '10:00', id_number: ID2 }));
  if (bk2.status !== 201 || bk2.json.booking.code === bk.json.booking.code) fail('book (kiosk key): ' + JSON.stringify(bk2.json));
  ok(`slots ${shape} (${slotsMs} ms); booked ${bk.json.booking.code} ${bk.json.booking.date} ${bk.json.booking.slot} ` +
     `(${bookMs} ms), check-in ${bk.json.check_in.from}-${bk.json.check_in.until}, the same again by its Idempotency-Key; ` +
     `${bk2.json.booking.code} by the kiosk key`);

  const code = bk.json.booking.code;
  const bookingRefusals = [
    ['a full slot', 'POST', '/bookings', await call('POST', '/bookings', deskSecret, { queue: 'A', date: today, slot: '10:00', id_number: ID3 }), 409, 'slot_full', '该时段已约满'],
    ['a full slot (English)', 'POST', '/bookings', await call('POST', '/bookings', deskSecret, { queue: 'A', date: today, slot: '10:00', id_number: ID3 }, en), 409, 'slot_full', 'This slot is full'],
    ['too late to book', 'POST', '/bookings', await call('POST', '/bookings', deskSecret, { queue: 'A', date: today, slot: '09:00', id_number: ID3 }), 409, 'too_soon', '已过预约截止时间'],
    ['too late (English)', 'POST', '/bookings', await call('POST', '/bookings', deskSecret, { queue: 'A', date: today, slot: '09:00', id_number: ID3 }, en), 409, 'too_soon', 'Too late to book'],
    ['over the per-person limit', 'POST', '/bookings', await call('POST', '/bookings', deskSecret, { queue: 'A', date: today, slot: '10:30', id_number: ID1 }), 409, 'person_limit', '预约已达上限'],
    ['over the limit (English)', 'POST', '/bookings', await call('POST', '/bookings', deskSecret, { queue: 'A', date: today, slot: '10:30', id_number: ID1 }, en), 409, 'person_limit', 'as many bookings'],
    ['a day out of reach', 'POST', '/bookings', await call('POST', '/bookings', deskSecret, { queue: 'A', date: '2027-01-04', slot: '10:30', id_number: ID3 }), 409, 'too_far_ahead', '规定天数'],
    ['a bad ID number', 'POST', '/bookings', await call('POST', '/bookings', deskSecret, { queue: 'A', date: today, slot: '10:30', id_number: '110105194912310021' }), 400, 'bad_id_number', '身份证号有误'],
    ['a bad date', 'POST', '/bookings', await call('POST', '/bookings', deskSecret, { queue: 'A', date: '23.11.2026', slot: '10:30', id_number: ID3 }), 400, 'bad_request', 'YYYY-MM-DD'],
    ['an unknown field', 'POST', '/bookings', await call('POST', '/bookings', deskSecret, { queue: 'A', date: today, slot: '10:30', id_number: ID3, vip: 1 }, en), 400, 'bad_request', "unknown field 'vip'"],
    ['a queue without slots', 'GET', '/slots', await call('GET', `/slots?queue=B&date=${today}`, deskSecret), 422, 'no_slots', '不接受预约'],
    ['a display key booking', 'POST', '/bookings', await call('POST', '/bookings', displaySecret, { queue: 'A', date: today, slot: '10:30', id_number: ID3 }), 403, 'forbidden', 'may only watch'],
    ['a wrong ID on cancel', 'POST', '/bookings/{code}/cancel', await call('POST', `/bookings/${code}/cancel`, deskSecret, { id_number: ID2 }), 403, 'wrong_id_number', '不一致'],
    ['a wrong ID on cancel (English)', 'POST', '/bookings/{code}/cancel', await call('POST', `/bookings/${code}/cancel`, deskSecret, { id_number: ID2 }, en), 403, 'wrong_id_number', 'not the ID number'],
    ['a cancel without the ID', 'POST', '/bookings/{code}/cancel', await call('POST', `/bookings/${code}/cancel`, deskSecret, {}), 400, 'bad_request', '身份证号'],
    ['a wrong ID on look-up', 'POST', '/bookings/{code}/lookup', await call('POST', `/bookings/${code}/lookup`, deskSecret, { id_number: ID3 }), 403, 'wrong_id_number', '不一致'],
    ['an unknown code', 'POST', '/bookings/{code}/lookup', await call('POST', '/bookings/KKKKKK/lookup', deskSecret, { id_number: ID3 }), 404, 'unknown_booking', '没有这个预约码'],
  ];
  for (const [what, method, template, r, status, codeWant, words] of bookingRefusals) {
    if (r.status !== status || r.json.error.code !== codeWant || !r.json.error.message.includes(words) ||
        r.json.error.message.includes('\n'))
      fail(`${what}: ${r.status} ${JSON.stringify(r.json)}, not ${status} ${codeWant} "${words}"`);
    check(method, template, r);
  }
  ok('booking refusals: ' + bookingRefusals.map(([w, , , r]) => `${w} ${r.status} ${r.json.error.code}`).join(', '));
  console.log('   e.g. ' + JSON.stringify(bookingRefusals[0][3].json) + ' / ' + JSON.stringify(bookingRefusals[1][3].json));

  const look = check('POST', '/bookings/{code}/lookup', await call('POST', `/bookings/${code}/lookup`, deskSecret, { id_number: ID1 }));
  if (look.status !== 200 || look.json.booking.state !== 'booked' || look.json.booking.slot !== '10:00') fail('look-up: ' + JSON.stringify(look.json));
  t0 = Date.now();
  const cancelled = check('POST', '/bookings/{code}/cancel', await call('POST', `/bookings/${code}/cancel`, deskSecret, { id_number: ID1 }));
  const cancelMs = Date.now() - t0;
  if (cancelled.status !== 200 || cancelled.json.booking.state !== 'cancelled') fail('cancel: ' + JSON.stringify(cancelled.json));
  const twice = check('POST', '/bookings/{code}/cancel', await call('POST', `/bookings/${code}/cancel`, deskSecret, { id_number: ID1 }));
  if (twice.status !== 409 || twice.json.error.code !== 'booking_state') fail('cancel twice: ' + JSON.stringify(twice.json));
  const after = check('GET', '/slots', await call('GET', `/slots?queue=A&date=${today}`, deskSecret));
  if (after.json.slots.find((x) => x.slot === '10:00').left !== 1) fail('the cancelled place is not free: ' + JSON.stringify(after.json));
  const bk3 = check('POST', '/bookings', await call('POST', '/bookings', deskSecret, { queue: 'A', date: today, slot: '10:00', id_number: ID3 }));
  if (bk3.status !== 201) fail('book the freed place: ' + JSON.stringify(bk3.json));
  ok(`looked ${code} up (booked), cancelled it (${cancelMs} ms), not twice (booking_state); its place went to ${bk3.json.booking.code}`);

  // The display key's budget (10 at once, 10 a minute): spent, then 429 with Retry-After.
  let limited = null;
  for (let i = 0; i < 15 && !limited; i++) {
    const r = await call('GET', '/queues', displaySecret);
    if (r.status === 429) limited = r;
  }
  if (!limited || !(Number(limited.headers.get('retry-after')) >= 1)) fail('the display key was never limited');
  check('GET', '/queues', limited);
  ok(`the display key's budget: 429, Retry-After ${limited.headers.get('retry-after')} s`);
  console.log(`ok - ${checked} live responses valid against the document (Ajv 2020-12)`);
})().catch((e) => fail(e.stack || String(e)));
