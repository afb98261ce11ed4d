import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/data/rng.ts';
import { CONFUSABLE_KINDS, confusablePhrases, NEAR_PHONEMES, OTHER_PHRASES, synthesizeConfusables, type Confusable } from '../../src/wakeword/confusables.ts';
import { isVowel, phonemeKey, phonemesOf, splitPhonemes } from '../../src/wakeword/phrase-phonemes.ts';

// Golden eSpeak NG (en-us) phonemes, as checked in phrase-synth.test.ts.
const PHRASES: Record<string, string> = {
  'hey nova': "h'eI n'oUv@",
  athena: "aT'i:n@",
  'open sesame': "'oUp@n s'Esa#mi",
  'hey ziggy': "h'eI z'Igi",
};

/** The phoneme symbols of a string, stress marks and word breaks dropped. */
const symbols = (p: string) => p.split(' ').flatMap(splitPhonemes).filter((s) => s !== "'" && s !== ',');

describe('confusablePhrases', () => {
  it.each(Object.entries(PHRASES))('%s: never the phrase itself, no duplicates', (phrase, phonemes) => {
    const c = confusablePhrases(phrase, phonemes, { rng: createRng(1) });
    const keys = c.map((x) => phonemeKey(x.phonemes));
    expect(keys).not.toContain(phonemeKey(phonemes));
    expect(new Set(keys).size).toBe(keys.length);
    for (const x of c) {
      expect(x.phonemes.length).toBeGreaterThan(0);
      expect(x.phonemes).not.toMatch(/[[\]<>&]/);
    }
  });

  it('covers every kind for a phrase of several words', () => {
    for (const phrase of ['hey nova', 'open sesame', 'hey ziggy']) {
      const kinds = new Set(confusablePhrases(phrase, PHRASES[phrase]!, { rng: createRng(2) }).map((x) => x.kind));
      expect([...kinds].sort()).toEqual([...CONFUSABLE_KINDS].sort());
    }
  });

  it('has no word or reorder kinds for a one-word phrase, but all the others', () => {
    const kinds = new Set(confusablePhrases('athena', PHRASES.athena!, { rng: createRng(2) }).map((x) => x.kind));
    expect([...kinds].sort()).toEqual(['deletion', 'insertion', 'other', 'partial', 'substitution']);
  });

  it('makes the expected words, partials and reorder of "hey nova"', () => {
    const c = confusablePhrases('hey nova', PHRASES['hey nova']!, { rng: createRng(3) });
    const of = (kind: Confusable['kind']) => c.filter((x) => x.kind === kind);
    expect(of('word')).toEqual([
      { kind: 'word', phonemes: "h'eI", text: 'hey' },
      { kind: 'word', phonemes: "n'oUv@", text: 'nova' },
    ]);
    expect(of('reorder')).toEqual([{ kind: 'reorder', phonemes: "n'oUv@ h'eI", text: 'nova hey' }]);
    // Cut before the last syllable ("hey no"); "hey" alone and "nova" alone are already words.
    expect(of('partial').map((x) => x.phonemes)).toEqual(["h'eI n'oU"]);
  });

  it('substitutes one near phoneme, deletes one, inserts one', () => {
    const phonemes = PHRASES['open sesame']!;
    const base = symbols(phonemes);
    const c = confusablePhrases('open sesame', phonemes, { rng: createRng(4), substitutions: 20, deletions: 6, insertions: 6 });
    const subs = c.filter((x) => x.kind === 'substitution');
    expect(subs).toHaveLength(20);
    for (const s of subs) {
      const sym = symbols(s.phonemes);
      expect(sym).toHaveLength(base.length);
      const diff = sym.map((x, i) => (x === base[i] ? -1 : i)).filter((i) => i >= 0);
      expect(diff).toHaveLength(1);
      expect(NEAR_PHONEMES[base[diff[0]!]!]).toContain(sym[diff[0]!]);
    }
    for (const d of c.filter((x) => x.kind === 'deletion')) {
      const sym = symbols(d.phonemes);
      expect(sym).toHaveLength(base.length - 1);
      // Every word keeps a vowel.
      for (const w of d.phonemes.split(' ')) expect(splitPhonemes(w).some(isVowel)).toBe(true);
    }
    expect(c.filter((x) => x.kind === 'deletion')).toHaveLength(6);
    for (const d of c.filter((x) => x.kind === 'insertion')) expect(symbols(d.phonemes)).toHaveLength(base.length + 1);
    expect(c.filter((x) => x.kind === 'insertion')).toHaveLength(6);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const a = confusablePhrases('hey nova', PHRASES['hey nova']!, { rng: createRng(7) });
    const b = confusablePhrases('hey nova', PHRASES['hey nova']!, { rng: createRng(7) });
    const c = confusablePhrases('hey nova', PHRASES['hey nova']!, { rng: createRng(8) });
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('picks the closest common phrases first', () => {
    const others = confusablePhrases('hey nova', PHRASES['hey nova']!, { rng: createRng(1), others: 2 }).filter((x) => x.kind === 'other');
    expect(others).toHaveLength(2);
    // No listed phrase is closer than 4 edits to h eI n oU v @; "hello" (h @ l oU: 2 substitutions,
    // 2 deletions) is the first of the list at 4 ("hey there", "sofa", "hazy" too, but later).
    expect(others[0]).toEqual({ kind: 'other', phonemes: "h@l'oU", text: 'hello' });
    for (const o of OTHER_PHRASES) expect(o.phonemes).not.toMatch(/_|\[/);
  });

  it('the fixed list holds the phonemes eSpeak gives today', async () => {
    for (const o of OTHER_PHRASES.slice(0, 5)) expect(await phonemesOf(o.text)).toBe(o.phonemes);
  });

  it('rejects empty phonemes and bad counts', () => {
    expect(() => confusablePhrases('hey', '  ', { rng: createRng(1) })).toThrow(/phonemes must be eSpeak phoneme mnemonics of the phrase \(see phonemesOf\), got "  "/);
    expect(() => confusablePhrases('hey', "h'eI", { rng: createRng(1), substitutions: -1 })).toThrow(/substitutions must be an integer in \[0, 1000\], got -1/);
  });
});

describe('synthesizeConfusables', () => {
  it('speaks each confusable, deterministic for a seed', async () => {
    const c: Confusable[] = [
      { kind: 'substitution', phonemes: "h'eI n'oUb@" },
      { kind: 'word', phonemes: "n'oUv@", text: 'nova' },
      { kind: 'other', phonemes: "h@l'oU", text: 'hello' },
    ];
    const a = await synthesizeConfusables(c, { seed: 1, repeats: 2, utterancesPerSpeaker: 3, workers: 0 });
    const b = await synthesizeConfusables(c, { seed: 1, repeats: 2, utterancesPerSpeaker: 3, workers: 0 });
    expect(a.map((u) => u.confusable)).toEqual([c[0], c[0], c[1], c[1], c[2], c[2]]);
    a.forEach((u, i) => {
      const d = u.samples.length / u.sampleRateHz;
      expect(d).toBeGreaterThan(0.2);
      expect(d).toBeLessThan(1.6);
      expect(u.samples).toEqual(b[i]!.samples);
    });
    // A phoneme-only confusable is spoken from its phonemes.
    expect(a[0]!.phonemes).toBe("h'eI n'oUb@");
    await expect(synthesizeConfusables(c, { repeats: 0 })).rejects.toThrow(/repeats must be an integer in \[1, 1000\], got 0/);
  });
});
