import { describe, expect, it } from 'vitest';
import { runEspeak } from '../../src/data/espeak.ts';
import { createRng } from '../../src/data/rng.ts';
import { fliteSpeak, runFlite } from '../../src/wakeword/flite.ts';
import { checkPhrase, checkPhraseText, normalizePhrase, phonemeKey, phonemesOf, phraseLabel, splitPhonemes } from '../../src/wakeword/phrase-phonemes.ts';
import { shiftStress, speechBounds, splitAtLongestGaps, synthesizeItems, synthesizePhrase, toFlitePhones, type SynthesizedUtterance } from '../../src/wakeword/phrase-synth.ts';

const sameSamples = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((v, i) => v === b[i]);
const durationSec = (u: SynthesizedUtterance) => u.samples.length / u.sampleRateHz;

describe('phrase phonemes', () => {
  // Made once with eSpeak NG (en-us) and checked by ear and eye: hay-NOH-vuh, a-THEE-nuh,
  // OH-pun SES-a-mee, hay ZIG-ee.
  it.each([
    ['hey nova', "h'eI n'oUv@"],
    ['athena', "aT'i:n@"],
    ['open sesame', "'oUp@n s'Esa#mi"],
    ['hey ziggy', "h'eI z'Igi"],
  ])('%s -> %s', async (phrase, golden) => {
    expect(await phonemesOf(phrase)).toBe(golden);
  });

  it('reads digits and joins clauses with one space', async () => {
    expect(await phonemesOf('two')).toBe("t'u:");
    expect(await phonemesOf('2')).toBe("t'u:");
    expect(await phonemesOf('hey, nova')).toBe("h'eI n'oUv@");
  });

  it('normalises, labels and keys phrases', () => {
    expect(normalizePhrase('  Hey \t NOVA ')).toBe('hey nova');
    expect(phraseLabel('Hey Nova')).toBe('hey_nova');
    expect(phraseLabel("o'clock café")).toBe('o_clock_cafe');
    expect(phonemeKey("h'eI n,oUv@")).toBe('heInoUv@');
    expect(splitPhonemes("n'oUv@")).toEqual(['n', "'", 'oU', 'v', '@']);
    expect(splitPhonemes("s'Esa#mi")).toEqual(['s', "'", 'E', 's', 'a#', 'm', 'i']);
  });

  it('checks a phrase and returns its normal form, label and phonemes', async () => {
    expect(await checkPhrase(' Hey  Ziggy ')).toEqual({ phrase: 'hey ziggy', label: 'hey_ziggy', phonemes: "h'eI z'Igi" });
    expect(checkPhraseText('ok computer 42')).toBe('ok computer 42');
  });

  it('rejects empty, punctuation-only, non-Latin and too long phrases, naming the phrase', async () => {
    await expect(checkPhrase('')).rejects.toThrow(/phrase must be a non-empty wake phrase such as "hey nova", got ""/);
    await expect(checkPhrase('   ')).rejects.toThrow(/non-empty/);
    await expect(checkPhrase('!!!')).rejects.toThrow(/phrase must be English words: Latin letters, digits, apostrophes, hyphens and spaces.*got "!!!"/);
    await expect(checkPhrase('привет')).rejects.toThrow(/Latin letters.*got "привет"/);
    await expect(checkPhrase('hey nova!')).rejects.toThrow(/Latin letters/);
    await expect(checkPhrase('a'.repeat(41))).rejects.toThrow(/phrase must be at most 40 characters long \(41 after normalising\)/);
    expect(() => checkPhraseText("'")).toThrow(/at least one letter or digit/);
  });
});

describe('engines', () => {
  it('runEspeak gives the same samples for the same command line, also after other runs', async () => {
    const args = ['-v', 'en-us+f3', '-s', '150', 'hey nova'];
    const a = (await runEspeak(args, { wav: true })).audio!;
    await runEspeak(['-v', 'en-gb-scotland+m2', '-s', '250', 'something else'], { wav: true });
    const b = (await runEspeak(args, { wav: true })).audio!;
    expect(a.sampleRateHz).toBe(22050);
    expect(a.samples.length).toBeGreaterThan(0.4 * 22050);
    expect(sameSamples(a.samples, b.samples)).toBe(true);
    expect((await runEspeak(['-q', '-x', 'athena'])).stdout).toEqual(["aT'i:n@"]);
  });

  it('flite lists its voices and speaks text and phones', async () => {
    expect((await runFlite(['-lv'])).stdout).toMatch(/Voices available: kal awb_time kal16 awb rms slt/);
    const kal = await fliteSpeak({ text: 'hey nova' }, { voice: 'kal' });
    expect(kal.sampleRateHz).toBe(8000);
    const slt = await fliteSpeak({ phones: toFlitePhones("h'eI n'oUv@") }, { voice: 'slt', durationStretch: 1.2 });
    expect(slt.sampleRateHz).toBe(16000);
    expect(slt.samples.length / 16000).toBeGreaterThan(0.4);
    const again = await fliteSpeak({ phones: 'hh ey n ow v ax' }, { voice: 'slt', durationStretch: 1.2 });
    expect(sameSamples(slt.samples, again.samples)).toBe(true);
    await expect(fliteSpeak({ text: 'x' }, { voice: 'kal', durationStretch: 3 })).rejects.toThrow(/durationStretch must be a number in \[0.5, 2\], got 3/);
  });

  it('maps eSpeak mnemonics to Flite phones', () => {
    expect(toFlitePhones("h'eI n'oUv@")).toBe('hh ey n ow v ax');
    expect(toFlitePhones("'oUp@n s'Esa#mi")).toBe('ow p ax n s eh s ax m iy');
    expect(toFlitePhones("dZ'A@vIs")).toBe('jh aa r v ih s');
  });
});

describe('signal helpers', () => {
  const sr = 1000;
  const tone = (n: number) => Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin(i));
  const concat = (...parts: Float32Array[]) => {
    const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };

  it('speechBounds keeps the speech and the margin', () => {
    const x = concat(new Float32Array(300), tone(200), new Float32Array(400));
    expect(speechBounds(x, sr, 50)).toEqual([250, 550]);
    expect(speechBounds(new Float32Array(100), sr, 10)).toEqual([0, 100]);
  });

  it('splitAtLongestGaps cuts at the longest pauses, and refuses short ones', () => {
    const x = concat(tone(200), new Float32Array(100), tone(100), new Float32Array(800), tone(300), new Float32Array(600), tone(100));
    const parts = splitAtLongestGaps(x, sr, 3)!;
    expect(parts.map((p) => p.length)).toEqual([800, 1000, 400]);
    expect(parts.reduce((n, p) => n + p.length, 0)).toBe(x.length);
    expect(splitAtLongestGaps(x, sr, 4)).toBeUndefined();
  });

  it('shiftStress moves a one-word stress and demotes one of several', () => {
    const moved = shiftStress("aT'i:n@", createRng(1));
    expect(phonemeKey(moved)).toBe('aTi:n@');
    expect(moved).not.toBe("aT'i:n@");
    expect(moved.split("'").length).toBe(2);
    const demoted = shiftStress("h'eI n'oUv@", createRng(1));
    expect(["h,eI n'oUv@", "h'eI n,oUv@"]).toContain(demoted);
  });
});

describe('synthesizePhrase', () => {
  it('is deterministic for a seed, differs across seeds, and is varied and plausible', async () => {
    const options = { count: 6, utterancesPerSpeaker: 2, workers: 0 };
    const a = await synthesizePhrase('hey nova', { ...options, seed: 1 });
    const b = await synthesizePhrase('hey nova', { ...options, seed: 1 });
    const c = await synthesizePhrase('hey nova', { ...options, seed: 2 });
    expect(a).toHaveLength(6);
    a.forEach((u, i) => {
      expect(sameSamples(u.samples, b[i]!.samples)).toBe(true);
      expect({ ...u, samples: null }).toEqual({ ...b[i]!, samples: null });
    });
    expect(a.some((u, i) => !sameSamples(u.samples, c[i]!.samples))).toBe(true);
    for (const u of [...a, ...c]) {
      expect(u.sampleRateHz).toBe(16000);
      expect(durationSec(u)).toBeGreaterThan(0.4);
      expect(durationSec(u)).toBeLessThan(1.6);
      expect(u.rateWpm).toBeGreaterThanOrEqual(120);
      expect(u.rateWpm).toBeLessThanOrEqual(220);
      expect(u.pitch).toBeGreaterThanOrEqual(0);
      expect(u.pitch).toBeLessThanOrEqual(99);
      expect(u.text ?? u.phonemes).toBeTruthy();
      let peak = 0;
      for (const v of u.samples) peak = Math.max(peak, Math.abs(v));
      expect(peak).toBeGreaterThan(0.05);
      // Trimmed: the first and last 20 ms are near silence, within the 50 ms margin.
      const edge = Math.round(0.02 * u.sampleRateHz);
      for (const part of [u.samples.subarray(0, edge), u.samples.subarray(u.samples.length - edge)]) {
        let e = 0;
        for (const v of part) e = Math.max(e, Math.abs(v));
        expect(e).toBeLessThan(0.5 * peak);
      }
    }
    const voices = new Set([...a, ...c].map((u) => `${u.engine}/${u.voice}/${u.variant ?? ''}`));
    expect(voices.size).toBeGreaterThanOrEqual(4);
    // Consecutive pairs share a speaker; the pairs differ.
    expect(a[0]!.voice).toBe(a[1]!.voice);
    expect(new Set(a.map((u) => u.item))).toEqual(new Set([0, 1, 2, 3, 4, 5]));
  });

  it('speaks with Flite alone and resamples to the asked rate', async () => {
    const u = await synthesizePhrase('hey ziggy', { count: 2, seed: 3, engines: ['flite'], sampleRateHz: 8000, workers: 0 });
    for (const x of u) {
      expect(x.engine).toBe('flite');
      expect(x.sampleRateHz).toBe(8000);
      expect(durationSec(x)).toBeGreaterThan(0.3);
      expect(durationSec(x)).toBeLessThan(1.6);
    }
  });

  it('speaks phoneme-only items and reports progress', async () => {
    const progress: number[] = [];
    const u = await synthesizeItems([{ phonemes: "h'eI z'Igi" }, { text: 'athena' }], { seed: 5, engines: ['espeak'], workers: 0, onProgress: (d) => progress.push(d) });
    expect(u[0]!.phonemes).toBe("h'eI z'Igi");
    expect(u[1]!.text ?? u[1]!.phonemes).toBeTruthy();
    expect(progress.at(-1)).toBe(2);
  });

  it('gives the same samples with 2 workers as in this thread', async () => {
    const options = { count: 4, seed: 4, utterancesPerSpeaker: 2 };
    const local = await synthesizePhrase('athena', { ...options, workers: 0 });
    const pooled = await synthesizePhrase('athena', { ...options, workers: 2 });
    expect(pooled.map((u) => u.voice)).toEqual(local.map((u) => u.voice));
    pooled.forEach((u, i) => expect(sameSamples(u.samples, local[i]!.samples)).toBe(true));
  });

  it('rejects bad options with the parameter, range and value', async () => {
    await expect(synthesizePhrase('hey nova', { count: 0 })).rejects.toThrow(/count must be an integer in \[1, 100000\], got 0/);
    await expect(synthesizePhrase('', { count: 1 })).rejects.toThrow(/phrase must be a non-empty wake phrase/);
    await expect(synthesizePhrase('hey nova', { count: 1, engines: ['festival' as 'flite'] })).rejects.toThrow(/engines must be a non-empty list of espeak, flite/);
    await expect(synthesizePhrase('hey nova', { count: 1, sampleRateHz: 100 })).rejects.toThrow(/sampleRateHz must be an integer in \[8000, 48000\], got 100/);
    await expect(synthesizeItems([{ text: ' ' }])).rejects.toThrow(/items\[0\] must be an item with text or phonemes/);
  });
});
