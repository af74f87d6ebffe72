// hallq-web in a real browser: Debian's chromium driven by puppeteer-core (which downloads
// no browser). The phone page updates within a second of a call; the wall shows the call and
// fetches its audio (a WAV of the announcement's length); the tablet is paired by typing the
// clerk's code and records a rating; the ticket's QR, decoded by zbarimg, opens the page.
// Screenshots at phone, tablet and 1080p (and 720p) sizes go to SHOTS.
// With --book, the booking page instead: a slot booked on the phone, its code read off the
// screen and checked in with hallqctl; a full slot not offered; a booking cancelled.
// usage: node browser.js BASE_URL HALLQCTL SHOTS QR_URL QR_LABEL   (NODE_PATH: the modules)
//        node browser.js --book BASE_URL HALLQCTL SHOTS DAY CANCEL_CODE
'use strict';
const puppeteer = require('puppeteer-core');
const { execFileSync } = require('child_process');
const path = require('path');

const bookMode = process.argv[2] === '--book';
const [base, hallqctl, shots, qrUrl, qrLabel] = process.argv.slice(bookMode ? 3 : 2);
function fail(msg) { console.error('FAIL: ' + msg); process.exit(1); }
function ok(msg) { console.log('ok - ' + msg); }
function ctl(...args) { return execFileSync(hallqctl, args, { encoding: 'utf8' }); }
// A page in the background draws nothing: each is brought to the front to be shot or used.
async function shot(page, name) {
  const file = path.join(shots, name);
  await page.bringToFront();
  await page.screenshot({ path: file });
  return file;
}

// Seconds of a WAV file (PCM): its data chunk over its byte rate.
function wavSeconds(buf) {
  if (buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') return -1;
  let at = 12, rate = 0, data = 0;
  while (at + 8 <= buf.length) {
    const id = buf.toString('ascii', at, at + 4), len = buf.readUInt32LE(at + 4);
    if (id === 'fmt ') rate = buf.readUInt32LE(at + 16);
    if (id === 'data') data = len;
    at += 8 + len + (len & 1);
  }
  return rate ? data / rate : -1;
}

async function hallFaces() {
  const browser = await puppeteer.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--autoplay-policy=no-user-gesture-required'],
  });
  const errors = [];
  const watch = (page, name) => {
    page.on('pageerror', (e) => errors.push(`${name}: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`${name}: console: ${m.text()}`); });
  };
  const files = [];
  try {
    // The QR of the printed ticket opens its page.
    const phone = await browser.newPage();
    watch(phone, 'phone');
    await phone.setViewport({ width: 360, height: 640, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    await phone.goto(qrUrl, { waitUntil: 'domcontentloaded' });
    await phone.waitForFunction((l) => document.getElementById('label').textContent === l, { timeout: 5000 }, qrLabel);
    const fits = await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    if (!fits) fail('the phone page is wider than 360 px');
    const size = await phone.evaluate(() => parseFloat(getComputedStyle(document.getElementById('label')).fontSize));
    if (size < 48) fail(`the ticket number is ${size} px: too small for elderly eyes`);
    files.push(await shot(phone, 'web-phone-waiting.png'));
    ok(`the printed QR's URL opens ${qrLabel}'s page at 360x640 (number ${size} px high, no sideways scroll)`);

    // The wall at 1080p, listening for the audio it fetches.
    const wall = await browser.newPage();
    watch(wall, 'wall');
    await wall.setViewport({ width: 1920, height: 1080 });
    const audio = [];
    // The media player may read the file in parts: the URL and status are what it asked
    // and got; the file itself is read again below to measure it.
    wall.on('response', (r) => {
      if (r.url().includes('/wall/audio')) audio.push({ url: r.url(), status: r.status(), type: r.headers()['content-type'] });
    });
    await wall.goto(base + '/wall', { waitUntil: 'domcontentloaded' });
    await wall.waitForFunction(() => document.getElementById('hall').textContent !== '', { timeout: 5000 });
    // The tablet of window 1, paired by typing the code the clerk got.
    const tablet = await browser.newPage();
    watch(tablet, 'tablet');
    await tablet.setViewport({ width: 800, height: 1280, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
    await tablet.goto(base + '/tablet', { waitUntil: 'domcontentloaded' });
    const code = ctl('pair', '1').split('\n')[0].trim();
    await tablet.type('#code', code);
    await tablet.click('#pairing button');
    await tablet.waitForFunction(() => document.getElementById('window').textContent === '1 号窗口', { timeout: 5000 });
    ok(`tablet paired with window 1 by typing ${code}`);

    // The call: the phone must show it within a second. The wall is in front, as on a TV
    // (a browser defers loading media in a background tab).
    await wall.bringToFront();
    ctl('login', '1', 'wang');
    const t0 = Date.now();
    const called = ctl('call', '1').split('\n')[0].trim();
    if (called !== qrLabel) fail(`window 1 called ${called}, not ${qrLabel}`);
    await phone.waitForFunction(() => document.getElementById('line').textContent === '请到 1 号窗口', { timeout: 1000, polling: 20 })
      .catch(() => fail('the phone page did not show the call within 1 s'));
    const lag = Date.now() - t0;
    const calledClass = await phone.evaluate(() => document.body.className);
    await new Promise((r) => setTimeout(r, 600)); /* the flash's first beats, for the picture */
    if (!calledClass.includes('state-called')) fail('the phone page is not in its called state: ' + calledClass);
    files.push(await shot(phone, 'web-phone-called.png'));
    ok(`the phone page showed 请到 1 号窗口 ${lag} ms after hallqctl call`);

    await wall.waitForFunction((l) => document.getElementById('label').textContent === l &&
      document.getElementById('window').textContent === '1', { timeout: 3000 }, qrLabel)
      .catch(() => fail('the wall did not show the call'));
    const deadline = Date.now() + 5000;
    while (!audio.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (!audio.length) {
      fail('the wall fetched no audio for the call; page errors: ' + errors.join('; '));
    }
    const a = audio[0];
    const secs = wavSeconds(Buffer.from(await (await fetch(a.url)).arrayBuffer()));
    if (a.status !== 200 || a.type !== 'audio/wav' || !a.url.includes('label=' + qrLabel) || secs < 2 || secs > 15)
      fail(`the wall's audio: ${a.status} ${a.type} ${a.url} ${secs} s`);
    files.push(await shot(wall, 'web-wall-1080p.png'));
    await wall.setViewport({ width: 1280, height: 720 });
    const fits720 = await wall.evaluate(() => document.documentElement.scrollHeight <= 720 &&
      document.getElementById('windows').getBoundingClientRect().bottom <= 720);
    if (!fits720) fail('the wall does not fit 1280x720');
    files.push(await shot(wall, 'web-wall-720p.png'));
    ok(`the wall shows ${qrLabel} ▶ 1 and fetched its announcement: a WAV of ${secs.toFixed(1)} s`);

    // A second TV's browser opened now shows what the first, opened before the call, shows.
    const wall2 = await browser.newPage();
    watch(wall2, 'wall2');
    await wall2.setViewport({ width: 1280, height: 720 });
    await wall2.goto(base + '/wall', { waitUntil: 'domcontentloaded' });
    const seen = (p) => p.evaluate(() => ['label', 'window', 'sentence', 'recent', 'queues', 'windows']
      .map((id) => id + '=' + document.getElementById(id).textContent.replace(/\s+/g, ' ').trim()));
    await wall2.waitForFunction((l) => document.getElementById('label').textContent === l,
      { timeout: 3000 }, qrLabel).catch(() => fail('a wall opened after the call does not show it'));
    const [first, second] = [await seen(wall), await seen(wall2)];
    if (JSON.stringify(first) !== JSON.stringify(second))
      fail('two walls opened at different times differ: ' + JSON.stringify(first) + ' / ' + JSON.stringify(second));
    await wall2.close();
    ok('a wall opened after the call shows the same call, recent calls, queues and windows');

    // Finish: the tablet offers the five ratings; one press records it.
    ctl('start', '1');
    ctl('finish', '1');
    await tablet.bringToFront();
    await tablet.waitForSelector('#ratings button.r5', { timeout: 3000 })
      .catch(() => fail('the tablet offered no ratings after the finish'));
    const labels = await tablet.$$eval('#ratings button', (bs) => bs.map((b) => b.textContent));
    if (labels.join(',') !== '非常满意,满意,基本满意,不满意,非常不满意') fail('the tablet\'s buttons: ' + labels);
    files.push(await shot(tablet, 'web-tablet-rating.png'));
    await tablet.click('#ratings button.r4');
    const rated = await (async () => {
      const until = Date.now() + 3000;
      while (Date.now() < until) {
        const s = await (await fetch(base + '/tablet/state?counter=1')).json();
        if (s.rated) return s.rated;
        await new Promise((r) => setTimeout(r, 50));
      }
      return 0;
    })();
    if (rated !== 4) fail('the rating did not reach hallqd: ' + rated);
    await tablet.waitForFunction(() => document.getElementById('ask').textContent === '感谢您的评价', { timeout: 3000 });
    files.push(await shot(tablet, 'web-tablet-thanks.png'));
    ok(`the tablet recorded 满意 (4) for ${qrLabel}`);
    if (errors.length) fail('the pages reported errors: ' + errors.join('; '));
    ok('no page error, no console error (CSP held: no inline script)');
    console.log('screenshots:\n' + files.map((f) => '  ' + f).join('\n'));
  } finally {
    await browser.close();
  }
}

// The booking page on a phone: the day's open slots (the full 09:30 is not offered), a
// booking whose code is read off the screen and checked in with hallqctl, a wrong ID number
// refused on the cancel form, then a booking cancelled; in Chinese, and the English page.
async function bookingPage() {
  const [day, cancelCode] = [qrUrl, qrLabel];
  const ID1 = '110105198001010016', ID4 = '110105197506150028';
  const browser = await puppeteer.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  const errors = [];
  const files = [];
  try {
    const phone = await browser.newPage();
    phone.on('pageerror', (e) => errors.push(e.message));
    phone.on('console', (m) => { if (m.type() === 'error') errors.push('console: ' + m.text()); });
    await phone.setViewport({ width: 360, height: 640, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    let t0 = Date.now();
    await phone.goto(base + '/book', { waitUntil: 'domcontentloaded' });
    await phone.waitForFunction((d) => document.body.getAttribute('data-ready') === d, { timeout: 5000 }, day)
      .catch(() => fail('the booking page showed no slots of ' + day));
    const loadMs = Date.now() - t0;
    const offered = await phone.$$eval('#slots .slot', (bs) => bs.map((b) => b.textContent));
    if (offered.join(',') !== '09:00余 2,10:00余 2,10:30余 1')
      fail('the slots offered: ' + offered.join(',') + ' (09:30 is full and must not be offered)');
    const title = await phone.$eval('h1', (h) => h.textContent);
    if (title !== '预约办理') fail('the page title: ' + title);
    const fits = await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    if (!fits) fail('the booking page is wider than 360 px');
    const service = await phone.$eval('#service', (s) => s.options[s.selectedIndex].textContent);
    ok(`/book at 360x640 offers ${offered.join(', ')} of ${service} on ${day} (${loadMs} ms); the full 09:30 is not offered`);

    await phone.click('#slots .slot[data-slot="09:00"]');
    await phone.type('#id-number', ID1);
    files.push(await shot(phone, 'web-phone-book.png'));
    t0 = Date.now();
    await phone.click('#book button[type=submit]');
    await phone.waitForFunction(() => !document.getElementById('booked').hidden, { timeout: 5000 })
      .catch(async () => fail('no booking code shown: ' + await phone.$eval('#error', (e) => e.textContent)));
    const bookMs = Date.now() - t0;
    const code = await phone.$eval('#code', (e) => e.textContent);
    const codeSize = await phone.$eval('#code', (e) => parseFloat(getComputedStyle(e).fontSize));
    const when = await phone.$eval('#when', (e) => e.textContent);
    const checkWindow = await phone.$eval("#window", (e) => e.textContent);
    const where = await phone.$eval('#where', (e) => e.textContent);
    if (!/^[3479ACDEFHJKMNPQRTWXY]{6}$/.test(code)) fail('the code on the screen: ' + code);
    if (codeSize < 40) fail(`the booking code is ${codeSize} px: too small to read out`);
    if (when !== day + ' 09:00' || checkWindow !== "07:00–09:15" || !where.includes('预约签到'))
      fail(`the booking's slot, window and place: ${when} / ${checkWindow} / ${where}`);
    const codeFits = await phone.evaluate(() => document.getElementById('code').scrollWidth <= document.getElementById('code').clientWidth &&
      document.documentElement.scrollWidth <= window.innerWidth);
    if (!codeFits) fail('the booking code does not fit the phone');
    await phone.evaluate(() => window.scrollTo(0, 0));
    files.push(await shot(phone, 'web-phone-book-code.png'));
    ok(`booked 09:00 on the page: code ${code} read off the screen (${codeSize} px, ${bookMs} ms), check-in ${checkWindow}`);

    // The code read off the screen checks in at the kiosk's request: an appointment ticket.
    const checkIn = ctl('check-in', code).split('\n');
    if (!/^A\d{3}$/.test(checkIn[0]) || !checkIn[1].includes('checked in: appointment lane, slot 09:00'))
      fail('hallqctl check-in ' + code + ': ' + checkIn.join(' | '));
    const snap = JSON.parse(ctl('--json', 'snapshot'));
    const ticket = snap.tickets.find((t) => t.label === checkIn[0]);
    if (!ticket || ticket.state !== 'waiting' || !ticket.slot_ms) fail('the checked-in ticket: ' + JSON.stringify(ticket));
    ok(`hallqctl check-in ${code}: ticket ${checkIn[0]} waits in the appointment lane (slot 09:00)`);

    // Another booking, cancelled from the page: a wrong ID number is refused, then the right one.
    await phone.type('#cancel-code', cancelCode);
    await phone.type('#cancel-id', ID1);
    const before = errors.length;
    await phone.click('#cancel button[type=submit]');
    await phone.waitForFunction(() => !document.getElementById('error').hidden, { timeout: 5000 })
      .catch(() => fail('a cancel with the wrong ID number showed no error'));
    // The browser logs the refusal's status (403) itself: that one is expected, nothing else.
    const refused = errors.splice(before);
    if (refused.some((e) => !/status of 403/.test(e))) fail('the wrong ID number\'s cancel: ' + refused.join('; '));
    const wrong = await phone.$eval('#error', (e) => e.textContent);
    if (wrong !== '身份证号与预约时填写的不一致') fail('the wrong ID number\'s message: ' + wrong);
    await phone.$eval('#cancel-id', (e) => { e.value = ''; });
    await phone.type('#cancel-id', ID4);
    t0 = Date.now();
    await phone.click('#cancel button[type=submit]');
    await phone.waitForFunction(() => !document.getElementById('cancelled').hidden, { timeout: 5000 })
      .catch(async () => fail('no cancel shown: ' + await phone.$eval('#error', (e) => e.textContent)));
    const cancelMs = Date.now() - t0;
    const said = await phone.$eval('#cancelled', (e) => e.textContent);
    if (said !== `预约 ${cancelCode} 已取消`) fail('after the cancel: ' + said);
    await phone.$eval('#cancelled', (e) => e.scrollIntoView({ block: 'center' }));
    files.push(await shot(phone, 'web-phone-book-cancel.png'));
    ok(`cancelled ${cancelCode} on the page (${cancelMs} ms), after 「${wrong}」 for another ID number`);

    // The English page: the same slots, now with 10:30 free again.
    await phone.goto(base + '/book?lang=en', { waitUntil: 'domcontentloaded' });
    await phone.waitForFunction((d) => document.body.getAttribute('data-ready') === d, { timeout: 5000 }, day);
    const en = await phone.$$eval('#slots .slot', (bs) => bs.map((b) => b.textContent));
    const enTitle = await phone.$eval('h1', (h) => h.textContent);
    if (enTitle !== 'Book an appointment' || en.join(',') !== '09:001 left,10:002 left,10:302 left')
      fail('the English page: ' + enTitle + ' ' + en.join(','));
    files.push(await shot(phone, 'web-phone-book-en.png'));
    ok('the English page offers ' + en.join(', '));
    if (errors.length) fail('the booking page reported errors: ' + errors.join('; '));
    ok('no page error, no console error on the booking page');
    console.log('screenshots:\n' + files.map((f) => '  ' + f).join('\n'));
  } finally {
    await browser.close();
  }
}

(bookMode ? bookingPage() : hallFaces()).catch((e) => fail(e.stack || String(e)));
