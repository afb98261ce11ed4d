/**
 * Inference commands on a wake-word model (a tiny tone model with a hand-written `wakeword`
 * entry, `low` playing the phrase): the stored operating point is used unless a flag overrides
 * it, a malformed entry is named, predict reports `detected`, and the ONNX export carries it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as tfTypes from '@tensorflow/tfjs';
import { writeWavSync } from '../../src/audio/wav.ts';
import { createRng } from '../../src/data/rng.ts';
import { formatStreamLabels } from '../../src/infer/stream-eval.ts';
import type { WakewordMetadata } from '../../src/wakeword/wakeword-metadata.ts';
import { spawn } from 'node:child_process';
import { BIN, ROOT, runCli } from '../helpers/cli.ts';
import { addNoise, addToneWord, saveToneModelDir, TONE_FEATURES, toneStream } from './tone-model.ts';

const WAKEWORD: WakewordMetadata = {
  phrases: ['low tone'],
  labels: ['low'],
  operatingPoint: {
    detectionThreshold: 0.85, averageWindowMs: 200, suppressionMs: 1000, minimumCount: 2, targetFaPerHour: 0.5,
    faPerHour: 0, faCount: 0, negativeHours: 2, faPerHourUpper95: 1.5, hitRate: 0.95, positives: 40,
  },
  det: [{ detectionThreshold: 0.85, averageWindowMs: 200, faPerHour: 0, faCount: 0, hitRate: 0.95 }],
  data: { note: 'hand-written for the test' },
};
const WORDS = [{ label: 'low', startMs: 1500 }, { label: 'high', startMs: 4500 }, { label: 'low', startMs: 7500 }];

let root: string;
let plainDir: string;
let wakeDir: string;
let model: tfTypes.LayersModel;

/** Copies a model folder and edits its metadata.json. */
function withMetadata(from: string, to: string, edit: (meta: Record<string, unknown>) => void): string {
  fs.cpSync(from, to, { recursive: true });
  const file = path.join(to, 'metadata.json');
  const meta = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(meta);
  fs.writeFileSync(file, JSON.stringify(meta, null, 2));
  return to;
}

/** The metadata_props (ModelProto field 14: key 1, value 2) of ONNX bytes. */
function onnxMetadataProps(bytes: Uint8Array): Record<string, string> {
  let pos = 0;
  const varint = (): number => {
    let v = 0;
    let mul = 1;
    for (;;) {
      const b = bytes[pos++]!;
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
    }
  };
  const fields = (end: number, onField: (field: number, start: number, len: number) => void) => {
    while (pos < end) {
      const tag = varint();
      const wire = tag & 7;
      if (wire === 0) varint();
      else if (wire === 2) {
        const len = varint();
        const start = pos;
        onField(tag >>> 3, start, len);
        pos = start + len;
      } else if (wire === 5) pos += 4;
      else if (wire === 1) pos += 8;
      else throw new Error(`unexpected wire type ${wire}`);
    }
  };
  const text = (start: number, len: number) => new TextDecoder().decode(bytes.subarray(start, start + len));
  const out: Record<string, string> = {};
  fields(bytes.length, (field, start, len) => {
    if (field !== 14) return;
    let key = '';
    let value = '';
    fields(start + len, (f, s, l) => { if (f === 1) key = text(s, l); else if (f === 2) value = text(s, l); });
    out[key] = value;
  });
  return out;
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-wakeword-cli-'));
  plainDir = path.join(root, 'plain');
  model = await saveToneModelDir(plainDir);
  wakeDir = withMetadata(plainDir, path.join(root, 'wake'), (m) => { m.wakeword = WAKEWORD; });
  writeWavSync(path.join(root, 'stream.wav'), { samples: toneStream(10000, WORDS), sampleRateHz: 8000 });
  fs.writeFileSync(path.join(root, 'labels.txt'), formatStreamLabels(WORDS.map((w) => ({ label: w.label, offsetMs: w.startMs - 300 }))));
  const rng = createRng(21);
  for (const [name, label] of [['low', 'low'], ['high', 'high']] as const) {
    const clip = addNoise(new Float32Array(TONE_FEATURES.samplesPerClip), rng, 0.01);
    addToneWord(clip, label, 2400, 8000, 0.6);
    writeWavSync(path.join(root, `${name}.wav`), { samples: clip, sampleRateHz: 8000 });
  }
}, 120_000);
afterAll(() => {
  model?.dispose();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('inference commands on a wake-word model', () => {
  it('listen uses the stored operating point; --threshold overrides only the threshold', () => {
    const stored = runCli(['listen', '--model', wakeDir, path.join(root, 'stream.wav'), '--json']);
    expect(stored.stderr).not.toMatch(/keyspot: error/);
    expect(stored.status).toBe(0);
    const a = JSON.parse(stored.stdout);
    expect(a).toMatchObject({ detectionThreshold: 0.85, thresholdSource: 'model', averageWindowMs: 200, suppressionMs: 1000, minimumCount: 2, durationMs: 10000, hopMs: 20 });
    expect(a.detections.map((d: { label: string }) => d.label)).toEqual(['low', 'high', 'low']);
    for (const d of a.detections) expect(d.score).toBeGreaterThan(0.85);

    const flag = JSON.parse(runCli(['listen', '--model', wakeDir, path.join(root, 'stream.wav'), '--json', '--threshold', '0.9', '--minimum-count', '3']).stdout);
    expect(flag).toMatchObject({ detectionThreshold: 0.9, thresholdSource: 'flag', averageWindowMs: 200, suppressionMs: 1000, minimumCount: 3 });

    const plain = JSON.parse(runCli(['listen', '--model', plainDir, path.join(root, 'stream.wav'), '--json']).stdout);
    expect(plain).toMatchObject({ detectionThreshold: 0.7, thresholdSource: 'default', averageWindowMs: 500, suppressionMs: 1500, minimumCount: 3 });
    // Same detections as the plain model at the same settings (the entry changes the settings only).
    const same = JSON.parse(runCli(['listen', '--model', plainDir, path.join(root, 'stream.wav'), '--json', '--threshold', '0.85', '--average-window-ms', '200', '--suppression-ms', '1000', '--minimum-count', '2']).stdout);
    expect(same.detections).toEqual(a.detections);
    expect(same.thresholdSource).toBe('flag');
  }, 240_000);

  it('eval-stream reports the stored threshold and where it came from', () => {
    const r = runCli(['eval-stream', '--model', wakeDir, path.join(root, 'stream.wav'), path.join(root, 'labels.txt'), '--json', '--det', path.join(root, 'det.svg')]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ detectionThreshold: 0.85, thresholdSource: 'model', averageWindowMs: 200, minimumCount: 2, hits: 3, falseAccepts: 0 });
    const text = runCli(['eval-stream', '--model', wakeDir, path.join(root, 'stream.wav'), path.join(root, 'labels.txt'), '--det', path.join(root, 'det.svg')]);
    expect(text.stdout).toMatch(/at threshold 0\.85 \(the model's calibration\)/);
  }, 180_000);

  it('a malformed wakeword entry is a DatasetError naming metadata.json and the field', () => {
    const bad = withMetadata(plainDir, path.join(root, 'bad'), (m) => { m.wakeword = { ...WAKEWORD, operatingPoint: { ...WAKEWORD.operatingPoint, detectionThreshold: 2 } }; });
    const r = runCli(['listen', '--model', bad, path.join(root, 'stream.wav')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad[/\\]metadata\.json: wakeword\.operatingPoint\.detectionThreshold must be a number in \(0, 1\], got 2/);
  });

  it('predict says which phrase each clip holds at the stored threshold (streaming a long clip)', () => {
    const r = runCli(['predict', '--model', wakeDir, path.join(root, 'low.wav'), path.join(root, 'high.wav'), path.join(root, 'stream.wav'), '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ detectionThreshold: 0.85, thresholdSource: 'model' });
    const [low, high, stream] = out.predictions;
    expect(low).toMatchObject({ label: 'low', detected: 'low', windows: 1 });
    expect(low.phraseScore).toBeGreaterThan(0.85);
    expect(high).toMatchObject({ label: 'high', detected: null, windows: 1 });
    expect(high.phraseScore).toBeLessThan(0.85);
    // 10 s at a 20 ms hop: a window every hop from 0 to 9 s.
    expect(stream).toMatchObject({ detected: 'low', windows: 451 });
    // An ordinary keyword model: no `detected`.
    const plain = JSON.parse(runCli(['predict', '--model', plainDir, path.join(root, 'low.wav'), '--json']).stdout);
    expect(plain.predictions[0]).not.toHaveProperty('detected');
    expect(plain).not.toHaveProperty('thresholdSource');
  }, 180_000);

  it('serve prints the calibrated threshold and serves a page that reads it from metadata.json', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--model', wakeDir, '--port', '0'], { cwd: ROOT, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } });
    try {
      const out = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (d: Buffer) => {
          text += d.toString();
          if (/detection threshold/.test(text)) resolve(text);
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${text}`)));
        setTimeout(() => reject(new Error(`no threshold line: ${text}`)), 120_000);
      });
      expect(out).toMatch(/wake word "low tone": detection threshold 0\.85 \(from the model's calibration\)/);
      const url = /open (http:\/\/\S+)/.exec(out)![1]!;
      expect(await (await fetch(url)).text()).toContain('<div id="detected">');
      expect(await (await fetch(`${url}app.js`)).text()).toContain('no wake word (threshold');
      const meta = await (await fetch(`${url}model/metadata.json`)).json() as { wakeword: WakewordMetadata };
      expect(meta.wakeword.operatingPoint.detectionThreshold).toBe(0.85);
    } finally {
      child.kill('SIGTERM');
    }
  }, 180_000);

  it('export --format onnx stores the phrases and operating point as metadata', async () => {
    const out = path.join(root, 'wake.onnx');
    const r = runCli(['export', '--model', wakeDir, '--format', 'onnx', '--out', out, '--json']);
    expect(r.status).toBe(0);
    const props = onnxMetadataProps(new Uint8Array(fs.readFileSync(out)));
    expect(JSON.parse(props.labels!)).toEqual(['_silence_', '_unknown_', 'low', 'high']);
    expect(JSON.parse(props.wakeword!)).toEqual({ phrases: WAKEWORD.phrases, labels: WAKEWORD.labels, operatingPoint: WAKEWORD.operatingPoint });
    // onnxruntime loads the file (it has no API for metadata_props, hence the reader above).
    const ort = createRequire(import.meta.url)('onnxruntime-node') as typeof import('onnxruntime-node');
    const session = await ort.InferenceSession.create(out);
    expect(session.outputNames).toEqual(['output']);
    await session.release();
    const plainOut = path.join(root, 'plain.onnx');
    expect(runCli(['export', '--model', plainDir, '--out', plainOut]).status).toBe(0);
    expect(onnxMetadataProps(new Uint8Array(fs.readFileSync(plainOut)))).not.toHaveProperty('wakeword');
  }, 180_000);
});
