// hallq-web's JSON API against its own OpenAPI document, checked by independent tools: the
// document by @seriousme/openapi-schema-validator, every live response by Ajv (JSON Schema
// 2020-12, the dialect of OpenAPI 3.1) against the document's schema for its status.
// usage: node api.js BASE_URL KIOSK_SECRET DISPLAY_SECRET   (NODE_PATH: the installed modules)
'use strict';
const { Validator } = require('@seriousme/openapi-schema-validator');
const Ajv2020 = require('ajv/dist/2020').default;

const [base, kioskSecret, displaySecret] = process.argv.slice(2);
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
