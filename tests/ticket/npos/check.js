#!/usr/bin/env node
// Independent check of hallq ticket bytes with npos, an ESC/POS parser written by others.
//
//   node check.js DIR               decode every DIR/NAME.bin and compare with NAME.expect.json
//   node check.js --dump FILE.bin   decode one file and print it in the .expect.json form
//
// npos splits the byte stream into commands. It knows no QR command, so the GS ( k rule
// (length-prefixed, like GS ( K) is added here. Text after FS & is decoded as GBK. Every
// command must be one a ticket is made of; anything else is an error, as is a line wider
// than the paper (columns from "-58"/"-80" in the file name, or --columns N): text printed
// N times as wide (GS !) takes N columns a byte.
'use strict';

const fs = require('fs');
const path = require('path');
const npos = require('npos');

// GBK decoding: node with full ICU has TextDecoder('gbk'); without it, iconv-lite (which
// npos itself depends on) does the same job.
function gbkDecoder() {
  try {
    const td = new TextDecoder('gbk', { fatal: true });
    return (buf) => td.decode(buf);
  } catch (e) {
    const iconv = require('iconv-lite');
    return (buf) => iconv.decode(buf, 'gbk');
  }
}
const decodeGbk = gbkDecoder();

function rulesWithQr() {
  const rules = JSON.parse(JSON.stringify(npos.rules));
  // GS ( k pL pH cn fn [data]: pL + 256 * pH bytes follow pH, as for the other GS ( commands.
  rules[npos.symbols.GS]['(k'] = [0, 'd16'];
  return rules;
}

const ALIGN = ['left', 'center', 'right'];

function fail(msg) {
  throw new Error(msg);
}

// Decodes a ticket into {lines (text lines and QR codes in print order), qr, commands}.
function decodeTicket(buf, columns) {
  const parser = npos.parser(rulesWithQr());
  const ast = parser.analyze(buf);
  if (ast.error) fail('npos: ' + ast.error.message);

  // width, height: the character magnification GS ! set (1 to 8 each).
  const state = { chinese: false, align: 0, bold: false, width: 1, height: 1 };
  const lines = [];
  const qr = [];
  const commands = [];
  let cut = false;
  let pending = null; // text bytes after the last LF
  let qrFns = [];

  for (const node of ast.tree) {
    const bytes = buf.subarray(node.offset, node.offset + node.length);
    const name = node.ascii + (node.fn || '');
    commands.push(name);
    if (cut) fail('bytes after the cut: ' + name);
    switch (name) {
      case 'ESC@':
        Object.assign(state, { chinese: false, align: 0, bold: false, width: 1, height: 1 });
        break;
      case 'FS&':
        state.chinese = true;
        break;
      case 'ESCa':
        if (bytes[2] > 2) fail('ESC a ' + bytes[2]);
        state.align = bytes[2];
        break;
      case 'ESCE':
        state.bold = bytes[2] === 1;
        break;
      case 'GS!':
        // Bits 4-6 the width, bits 0-2 the height, each the magnification less one; bits 3
        // and 7 are not defined.
        if (bytes[2] & 0x88) fail('GS ! ' + bytes[2] + ' sets undefined bits');
        state.width = ((bytes[2] >> 4) & 7) + 1;
        state.height = (bytes[2] & 7) + 1;
        break;
      case 'GS(k': {
        const plen = bytes[3] | (bytes[4] << 8);
        if (bytes.length < 5 + plen) fail('GS ( k truncated');
        if (bytes[5] !== 49) fail('GS ( k cn ' + bytes[5] + ' is not QR');
        const fn = bytes[6];
        qrFns.push(fn + 100); // 65 -> 165 as the manuals number them
        if (fn === 80) qr.push(bytes.subarray(8, 5 + plen).toString('latin1'));
        if (fn === 81) {
          // The symbol prints where it stands among the lines, in the current alignment.
          const item = { qr: qr[qr.length - 1] };
          if (state.align) item.align = ALIGN[state.align];
          lines.push(item);
          const want = [165, 167, 169, 180, 181].join(',');
          if (qrFns.join(',') !== want) fail('QR functions ' + qrFns.join(',') + ', want ' + want);
          qrFns = [];
        }
        break;
      }
      case 'GSV':
        if (bytes[2] !== 66) fail('GS V ' + bytes[2] + ' (want 66: feed and cut)');
        if (pending && pending.length) fail('text left unprinted before the cut');
        cut = true;
        break;
      case 'STX': {
        // Text up to each LF is one printed line; a text node never contains commands.
        let start = 0;
        for (let i = 0; i <= bytes.length; i++) {
          if (i < bytes.length && bytes[i] !== 0x0a) continue;
          const part = bytes.subarray(start, i);
          pending = pending ? Buffer.concat([pending, part]) : Buffer.from(part);
          if (i < bytes.length) {
            if (!state.chinese && pending.some((b) => b >= 0x80))
              fail('non-ASCII text before FS &');
            const text = decodeGbk(pending);
            const width = pending.length * state.width;
            if (columns && width > columns)
              fail(`line "${text}" is ${width} columns, paper has ${columns}`);
            const line = { text };
            if (state.align) line.align = ALIGN[state.align];
            if (state.bold) line.bold = true;
            if (state.width > 1) line.width = state.width;
            if (state.height > 1) line.height = state.height;
            lines.push(line);
            pending = null;
          }
          start = i + 1;
        }
        break;
      }
      default:
        fail('command not expected on a ticket: ' + name);
    }
  }
  if (commands[0] !== 'ESC@' || commands[1] !== 'FS&') fail('ticket must start ESC @, FS &');
  if (!cut) fail('no cut at the end');
  if (pending && pending.length) fail('text without a final LF');
  if (qrFns.length) fail('QR stored but never printed');
  return { columns, lines, qr, commands };
}

function columnsFor(file, given) {
  if (given) return given;
  if (/-58(\.|-)/.test(path.basename(file))) return 32;
  if (/-80(\.|-)/.test(path.basename(file))) return 48;
  return 0;
}

// The .expect.json form: one printed line (or QR code) per text line, easy to read and diff.
function expectForm(d) {
  const body = d.lines.map((l) => '  ' + JSON.stringify(l)).join(',\n');
  return `{\n "columns": ${d.columns},\n "lines": [\n${body}\n ]\n}\n`;
}

function main(argv) {
  let columns = 0;
  const i = argv.indexOf('--columns');
  if (i >= 0) {
    columns = parseInt(argv[i + 1], 10);
    argv.splice(i, 2);
  }
  if (argv[0] === '--dump' && argv[1]) {
    const d = decodeTicket(fs.readFileSync(argv[1]), columnsFor(argv[1], columns));
    process.stdout.write(expectForm(d));
    return 0;
  }
  if (argv.length !== 1) {
    process.stderr.write('usage: check.js DIR | --dump FILE.bin [--columns N]\n');
    return 2;
  }
  const dir = argv[0];
  const bins = fs.readdirSync(dir).filter((f) => f.endsWith('.bin')).sort();
  let passed = 0;
  let failed = 0;
  for (const bin of bins) {
    const name = bin.replace(/\.bin$/, '');
    try {
      const expectFile = path.join(dir, name + '.expect.json');
      if (!fs.existsSync(expectFile)) fail('no ' + name + '.expect.json');
      const want = JSON.parse(fs.readFileSync(expectFile, 'utf8'));
      const d = decodeTicket(fs.readFileSync(path.join(dir, bin)), columnsFor(bin, columns));
      if (d.columns !== want.columns) fail(`columns ${d.columns}, expected ${want.columns}`);
      const n = Math.max(d.lines.length, want.lines.length);
      for (let k = 0; k < n; k++) {
        const got = JSON.stringify(d.lines[k]);
        const exp = JSON.stringify(want.lines[k]);
        if (got !== exp) fail(`line ${k + 1}: got ${got}, expected ${exp}`);
      }
      if (d.qr.length !== 1) fail(`${d.qr.length} QR codes, expected one`);
      console.log(`ok ${name}: ${d.commands.length} commands, ${d.lines.length} lines, QR ${d.qr[0]}`);
      passed++;
    } catch (e) {
      console.log(`FAIL ${name}: ${e.message}`);
      failed++;
    }
  }
  if (bins.length === 0) {
    console.log('FAIL: no .bin files in ' + dir);
    failed++;
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  process.stderr.write('check.js: ' + e.message + '\n');
  process.exitCode = 1;
}
