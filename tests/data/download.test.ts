import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadFile, downloadSpeechCommands } from '../../src/data/download.ts';
import { extractTar } from '../../src/data/tar.ts';

/** A minimal ustar writer for the fixtures. */
function tar(entries: { name: string; data: Buffer }[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const h = Buffer.alloc(512);
    h.write(e.name, 0, 100);
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(`${e.data.length.toString(8).padStart(11, '0')}\0`, 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(h, e.data, Buffer.alloc((512 - (e.data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

const body = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 31 + (i >> 8)) & 255));
const sha256 = createHash('sha256').update(body).digest('hex');
const md5 = createHash('md5').update(body).digest('hex');
const archive = gzipSync(tar([
  { name: 'yes/abc_nohash_0.wav', data: Buffer.from('RIFF fake') },
  { name: 'validation_list.txt', data: Buffer.from('yes/abc_nohash_0.wav\n') },
]));

let server: http.Server;
let base = '';
const log: { path: string; range: string | undefined }[] = [];
let cutNext = 0; // cut the next response after this many bytes (0: don't)
let ignoreRange = false;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    log.push({ path: req.url!, range: req.headers.range });
    const data = req.url === '/archive.tar.gz' ? archive : req.url === '/file.bin' ? body : null;
    if (req.url === '/moved') { res.writeHead(302, { Location: '/file.bin' }); res.end(); return; }
    if (!data) { res.writeHead(404); res.end(); return; }
    let start = 0;
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (m && !ignoreRange) {
      start = Number(m[1]);
      if (start >= data.length) { res.writeHead(416); res.end(); return; }
      res.writeHead(206, { 'Content-Length': data.length - start, 'Content-Range': `bytes ${start}-${data.length - 1}/${data.length}` });
    } else {
      res.writeHead(200, { 'Content-Length': data.length });
    }
    const part = data.subarray(start);
    if (cutNext > 0) {
      const n = cutNext;
      cutNext = 0;
      res.write(part.subarray(0, n), () => setTimeout(() => res.destroy(), 20));
      return;
    }
    res.end(part);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-dl-'));

describe('downloadFile', () => {
  it('downloads and verifies, following redirects', async () => {
    const dest = path.join(tmp(), 'f.bin');
    const r = await downloadFile(`${base}/moved`, dest, { sha256, md5 });
    expect(r).toMatchObject({ bytes: body.length, resumedFromBytes: 0, sha256, md5 });
    expect(fs.readFileSync(dest).equals(body)).toBe(true);
  });

  it('resumes an interrupted download with an HTTP Range request', async () => {
    const dest = path.join(tmp(), 'f.bin');
    log.length = 0;
    cutNext = 70_000;
    await expect(downloadFile(`${base}/file.bin`, dest, { sha256 })).rejects.toThrow(/no connection to 127.0.0.1.*bytes are kept in .*f\.bin\.part and the next run resumes/);
    const kept = fs.statSync(`${dest}.part`).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(body.length);
    const r = await downloadFile(`${base}/file.bin`, dest, { sha256 });
    expect(log.map((l) => l.range)).toEqual([undefined, `bytes=${kept}-`]);
    expect(r.resumedFromBytes).toBe(kept);
    expect(fs.readFileSync(dest).equals(body)).toBe(true);
    expect(fs.existsSync(`${dest}.part`)).toBe(false);
  });

  it('starts over when the server ignores the range', async () => {
    const dest = path.join(tmp(), 'f.bin');
    fs.writeFileSync(`${dest}.part`, Buffer.from('garbage that must not stay'));
    ignoreRange = true;
    try {
      const r = await downloadFile(`${base}/file.bin`, dest, { sha256 });
      expect(r.bytes).toBe(body.length);
    } finally {
      ignoreRange = false;
    }
  });

  it('deletes a file whose checksum does not match', async () => {
    const dest = path.join(tmp(), 'f.bin');
    await expect(downloadFile(`${base}/file.bin`, dest, { sha256: '0'.repeat(64) })).rejects.toThrow(/checksum mismatch for .*: SHA-256 [0-9a-f]{64}, expected 0{64}; the corrupt file was deleted/);
    expect(fs.existsSync(`${dest}.part`)).toBe(false);
    await expect(downloadFile(`${base}/file.bin`, dest, { md5: 'f'.repeat(32) })).rejects.toThrow(/MD5 .* expected f{32}/);
  });

  it('says clearly when offline, and reports HTTP errors', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const dest = path.join(tmp(), 'f.bin');
    await expect(downloadFile(`http://127.0.0.1:${port}/x`, dest)).rejects.toThrow(/cannot download http:\/\/127.0.0.1:\d+\/x: no connection to 127.0.0.1:\d+ \(ECONNREFUSED\)\. Check the internet connection/);
    await expect(downloadFile('http://keyspot-test.invalid/x', dest, { timeoutMs: 5000 })).rejects.toThrow(/no connection to keyspot-test.invalid \((ENOTFOUND|EAI_AGAIN|ETIMEDOUT)\)/);
    await expect(downloadFile(`${base}/missing`, dest)).rejects.toThrow(/the server answered HTTP 404/);
    await expect(downloadFile('ftp://x/y', dest)).rejects.toThrow(/url must be an http:\/\/ or https:\/\/ URL/);
  });
});

describe('downloadSpeechCommands and extractTar', () => {
  it('downloads, verifies and extracts an archive', async () => {
    const out = tmp();
    const sha = createHash('sha256').update(archive).digest('hex');
    const r = await downloadSpeechCommands({ outDir: out, release: { url: `${base}/archive.tar.gz`, sha256: sha } });
    expect(r.files).toBe(2);
    expect(fs.readFileSync(path.join(out, 'yes', 'abc_nohash_0.wav'), 'utf8')).toBe('RIFF fake');
    expect(fs.existsSync(r.archive.path)).toBe(false);
    await expect(downloadSpeechCommands({ outDir: out, version: '9' })).rejects.toThrow(/version must be one of 0.01, 0.02, got "9"/);
  });

  it('refuses entries outside the destination and truncated archives', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'evil.tar'), tar([{ name: '../evil.txt', data: Buffer.from('x') }]));
    await expect(extractTar(path.join(dir, 'evil.tar'), path.join(dir, 'out'))).rejects.toThrow(/would be written outside/);
    const whole = tar([{ name: 'a.txt', data: Buffer.alloc(2000, 1) }]);
    fs.writeFileSync(path.join(dir, 'cut.tar'), whole.subarray(0, 1000));
    await expect(extractTar(path.join(dir, 'cut.tar'), path.join(dir, 'out2'))).rejects.toThrow(/is truncated/);
  });
});
