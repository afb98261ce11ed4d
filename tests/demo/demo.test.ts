/**
 * The browser demo in a real headless Chromium: the page loads a saved keyword model, an
 * uploaded WAV gets the same label (and scores within 1e-4) as the Node recognizer that
 * `keyspot predict` uses. Skipped, with a message, when /usr/bin/chromium is absent.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as tfTypes from '@tensorflow/tfjs';
import { readWavSync, writeWavSync } from '../../src/audio/wav.ts';
import { readModelMetadata } from '../../src/export/model-dir.ts';
import { createRecognizer } from '../../src/infer/recognizer.ts';
import { startDemoServer, type DemoServer } from '../../demo/server.ts';
import { runCli } from '../helpers/cli.ts';
import { addNoise, addToneWord, saveToneModelDir, TONE_FEATURES } from '../infer/tone-model.ts';
import { createRng } from '../../src/data/rng.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium) console.warn(`tests/demo: SKIPPED the browser test: ${CHROMIUM} is absent (install it with \`apt-get install -y chromium\`)`);

describe.skipIf(!haveChromium)('browser demo in headless Chromium', () => {
  let root: string;
  let server: DemoServer;
  let model: tfTypes.LayersModel;
  let browser: import('playwright-core').Browser;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-demo-'));
    const modelDir = path.join(root, 'model');
    model = await saveToneModelDir(modelDir);
    // Test WAVs: a 16 kHz "high" clip (resampled by the page), an 8 kHz "low" one of 1.3 s (trimmed).
    const rng = createRng(11);
    const high = addNoise(new Float32Array(16000), rng, 0.01);
    addToneWord(high, 'high', 4000, 16000, 0.6);
    writeWavSync(path.join(root, 'high.wav'), { samples: high, sampleRateHz: 16000 });
    const low = addNoise(new Float32Array(10400), rng, 0.01);
    addToneWord(low, 'low', 2000, 8000, 0.6);
    writeWavSync(path.join(root, 'low.wav'), { samples: low, sampleRateHz: 8000 });
    server = await startDemoServer({ modelDir, port: 0, outDir: path.join(root, 'site') });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    model?.dispose();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('classifies uploaded WAVs like `keyspot predict` and the Node recognizer', async () => {
    const metadata = await readModelMetadata(path.join(root, 'model'));
    const recognizer = createRecognizer(model, metadata, TONE_FEATURES);
    // What `keyspot predict` says, as a user would run it.
    const cli = runCli(['predict', '--model', path.join(root, 'model'), path.join(root, 'high.wav'), path.join(root, 'low.wav'), '--json', '--top', '4']);
    expect(cli.status).toBe(0);
    const predicted = new Map((JSON.parse(cli.stdout) as { predictions: { file: string; label: string; top: { label: string; score: number }[] }[] }).predictions.map((p) => [path.basename(p.file), p]));
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}?backend=cpu`);
    await page.waitForFunction(() => (window as unknown as { keyspotDemo: { ready: boolean; error: string | null } }).keyspotDemo.ready || (window as unknown as { keyspotDemo: { error: string | null } }).keyspotDemo.error !== null, undefined, { timeout: 60_000 });
    expect(await page.textContent('#status')).toMatch(/model loaded: 4 labels \(_silence_, _unknown_, low, high\), 8000 Hz, 98x20 features, backend cpu/);
    const toneLabels = ['_silence_', '_unknown_', 'low', 'high'];
    for (const [file, expected] of [['high.wav', 'high'], ['low.wav', 'low']] as const) {
      await page.setInputFiles('#file', path.join(root, file));
      await page.waitForFunction((f) => document.getElementById('status')!.textContent!.startsWith(f), file, { timeout: 30_000 });
      const label = (await page.textContent('#label'))!.trim();
      const scores = await page.evaluate(() => (window as unknown as { keyspotDemo: { last: { scores: number[] } } }).keyspotDemo.last.scores);
      const node = recognizer.classify(readWavSync(path.join(root, file)));
      expect(label).toBe(expected);
      expect(label).toBe(node.label);
      const viaCli = predicted.get(file)!;
      expect(label).toBe(viaCli.label);
      for (const t of viaCli.top) expect(Math.abs(scores[toneLabels.indexOf(t.label)]! - t.score)).toBeLessThan(1e-4);
      scores.forEach((s, i) => expect(Math.abs(s - node.scores[i]!)).toBeLessThan(1e-4));
      // The spectrogram canvas has the model's feature size.
      expect(await page.evaluate(() => { const c = document.getElementById('spectrogram') as HTMLCanvasElement; return [c.width, c.height]; })).toEqual([98, 20]);
    }
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('classifies the microphone (Chromium\'s fake audio device) every 250 ms', async () => {
    const micBrowser = await (await import('playwright-core')).chromium.launch({
      executablePath: CHROMIUM, headless: true,
      args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required'],
    });
    try {
      const page = await micBrowser.newPage();
      await page.goto(`${server.url}?backend=cpu`);
      await page.waitForFunction(() => (window as unknown as { keyspotDemo: { ready: boolean } }).keyspotDemo.ready, undefined, { timeout: 60_000 });
      await page.click('#mic');
      await page.waitForFunction(() => (window as unknown as { keyspotDemo: { last: { source: string } | null } }).keyspotDemo.last?.source === 'microphone', undefined, { timeout: 30_000 });
      const last = await page.evaluate(() => (window as unknown as { keyspotDemo: { last: { scores: number[]; label: string } } }).keyspotDemo.last);
      expect(last.scores).toHaveLength(4);
      expect(last.scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      expect(await page.textContent('#mic')).toBe('Stop microphone');
      expect(await page.textContent('#status')).toMatch(/^listening \(\d+ Hz, resampled to 8000 Hz\)/);
      await page.click('#mic');
      expect(await page.textContent('#mic')).toBe('Start microphone');
    } finally {
      await micBrowser.close();
    }
  }, 120_000);

  it('serves only files of the page and the model folder', async () => {
    expect((await fetch(`${server.url}model/metadata.json`)).status).toBe(200);
    expect((await fetch(`${server.url}model/../../etc/passwd`)).status).toBe(404);
    expect((await fetch(`${server.url}model/%2e%2e/%2e%2e/etc/passwd`)).status).toBe(404);
    expect((await fetch(`${server.url}nothing.js`)).status).toBe(404);
  });
});
