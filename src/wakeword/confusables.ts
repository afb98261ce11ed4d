/**
 * Confusable negatives of a wake phrase: phrases that sound close to it, made from its eSpeak
 * phonemes (near-phoneme substitutions, deletions, insertions, partial phrases, its single
 * words, reversed word order) plus a fixed list of common words and short phrases, and their
 * synthesis with the voice variety of {@link synthesizeItems}. A wake-word model trained with
 * these learns to reject "hey nova"'s neighbours ("hey noma", "hey", "nova", "hey over").
 */
import type { Rng } from '../data/rng.ts';
import { ConfigError } from '../errors.ts';
import { isVowel, phonemeKey, splitPhonemes } from './phrase-phonemes.ts';
import { synthesizeItems, type SpeechSynthOptions, type SynthesizedUtterance } from './phrase-synth.ts';

/** How a confusable was made. */
export const CONFUSABLE_KINDS = Object.freeze(['substitution', 'deletion', 'insertion', 'partial', 'word', 'reorder', 'other'] as const);
/** One of {@link CONFUSABLE_KINDS}. */
export type ConfusableKind = (typeof CONFUSABLE_KINDS)[number];

/** A phrase that sounds close to the wake phrase. */
export interface Confusable {
  kind: ConfusableKind;
  /** eSpeak mnemonics (words separated by spaces), speakable as `[[...]]`. */
  phonemes: string;
  /** Words, when the confusable is made of whole words (single words, reordered words, the fixed list). */
  text?: string;
}

/** Defaults of {@link ConfusableOptions}. */
export const DEFAULT_CONFUSABLES = Object.freeze({ substitutions: 12, deletions: 4, insertions: 4, others: 6 });

/** Options of {@link confusablePhrases}. */
export interface ConfusableOptions {
  /** Draws which substitutions, deletions, insertions and fixed phrases are kept. */
  rng: Rng;
  /** Single-phoneme substitutions kept. @default 12 */
  substitutions?: number;
  /** Single-phoneme deletions kept. @default 4 */
  deletions?: number;
  /** Single-phoneme insertions kept. @default 4 */
  insertions?: number;
  /** Phrases of {@link OTHER_PHRASES} kept: half the closest to the phrase, half drawn. @default 6 */
  others?: number;
}

/**
 * Acoustically near eSpeak phonemes: neighbouring vowels (height, backness, diphthong
 * glides), voiced/unvoiced pairs, the same manner at a near place (p t k, m n N, f T s S),
 * liquids and glides.
 */
export const NEAR_PHONEMES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'i:': ['I', 'eI', 'i@'], i: ['I', 'i:', 'eI'], I: ['i:', 'E', '@'], I2: ['I', '@', 'i:'], 'I#': ['I', '@'], E: ['a', 'I', 'eI'], E2: ['E', 'I'],
  a: ['E', 'A:', 'V'], aa: ['a', 'A:'], 'a#': ['@', 'a', 'V'], 'A:': ['V', '0', 'O:'], A: ['V', '0', 'a'], '0': ['A:', 'O:', 'V'], 'O:': ['0', 'oU', 'A:'],
  O: ['0', 'oU'], O2: ['0', 'oU', 'V'], V: ['@', 'A:', '0', 'U'], U: ['u:', 'V', '@'], 'u:': ['U', 'oU'], u: ['U', 'u:'], '@': ['V', 'I', '3:'], '@2': ['@', 'I'],
  '@5': ['@', 'U'], '3:': ['@', 'V', 'A@'], '3': ['@', '3:'], '@L': ['@', 'oU'], eI: ['E', 'i:', 'aI'], aI: ['eI', 'OI', 'aU'], OI: ['aI', 'oU'],
  aU: ['oU', 'aI', 'A:'], oU: ['O:', 'u:', 'aU', 'V'], 'oU#': ['oU', 'O:'], 'e@': ['eI', 'E', 'i@'], 'i@': ['e@', 'i:'], 'i@3': ['e@', 'i:'], 'U@': ['O@', 'u:'],
  'A@': ['O@', '3:'], 'O@': ['A@', 'U@'], 'o@': ['A@', 'U@'], 'aI@': ['aU@', 'A@'], aI3: ['aU@', 'A@'], 'aU@': ['aI@', 'A@'], aU3: ['aI@', 'A@'],
  p: ['b', 't', 'k', 'f'], b: ['p', 'd', 'v', 'm'], t: ['d', 'p', 'k', 's'], d: ['t', 'b', 'g', 'n'], 't#': ['d', 't'], 'd#': ['t', 'd'], k: ['g', 't', 'p'],
  g: ['k', 'd', 'b'], f: ['v', 'T', 'p', 's'], v: ['f', 'b', 'D', 'w'], T: ['f', 's', 'D', 't'], D: ['T', 'v', 'd', 'z'], s: ['z', 'S', 'T', 'f'],
  z: ['s', 'Z', 'D'], S: ['s', 'Z', 'tS'], Z: ['S', 'z', 'dZ'], tS: ['dZ', 'S', 't'], dZ: ['tS', 'Z', 'd'], h: ['f', 'k', 'w'], m: ['n', 'N', 'b'],
  n: ['m', 'N', 'd', 'l'], N: ['n', 'm'], l: ['r', 'w', 'n'], r: ['l', 'w'], 'r-': ['l', 'w'], j: ['w', 'l'], w: ['v', 'r', 'l'], 'n-': ['m', 'n'],
  'l-': ['r', 'l'], 'm-': ['n', 'm'], x: ['k', 'h'], C: ['h', 'S'],
});

/** Consonants inserted before a word that starts with a vowel. */
const ONSET_INSERTIONS: readonly string[] = Object.freeze(['h', 's', 'n', 'l', 't', 'b', 'm', 'w']);
/** Consonants that take an `s` before them (`s` + `n'oUv@` = "snova"). */
const S_CLUSTER_ONSETS: readonly string[] = Object.freeze(['p', 't', 'k', 'm', 'n', 'l', 'w']);
/** Consonants that take an `l` or `r` after them (`b` -> `bl`, `br`). */
const LIQUID_CLUSTER_ONSETS: readonly string[] = Object.freeze(['p', 'b', 'k', 'g', 'f']);
/** Phonemes appended at the end of a word. */
const CODA_INSERTIONS: readonly string[] = Object.freeze(['s', 'z', 'n', 't', 'i']);

/** Common words and short phrases (eSpeak NG en-us phonemes, made with `phonemesOf`) used as `other` negatives. */
export const OTHER_PHRASES: readonly Readonly<{ text: string; phonemes: string }>[] = Object.freeze([
  { text: 'okay', phonemes: "oUk'eI" }, { text: 'hello', phonemes: "h@l'oU" }, { text: 'hey there', phonemes: "h'eI D'e@" }, { text: 'hi', phonemes: "h'aI" },
  { text: 'yes', phonemes: "j'Es" }, { text: 'no', phonemes: "n'oU" }, { text: 'thank you', phonemes: "T'aNk ju:" }, { text: 'never mind', phonemes: "n'Ev3 m'aInd" },
  { text: 'excuse me', phonemes: "Ekskj'u:s m,i:" }, { text: 'good morning', phonemes: "g'Ud m'O@nIN" }, { text: 'good night', phonemes: "g'Ud n'aIt" },
  { text: 'one', phonemes: "w'Vn" }, { text: 'two', phonemes: "t'u:" }, { text: 'seven', phonemes: "s'Ev@n" }, { text: 'go', phonemes: "g'oU" },
  { text: 'what', phonemes: "w'Vt" }, { text: 'now', phonemes: "n'aU" }, { text: 'nothing', phonemes: "n'VTIN" }, { text: 'see you', phonemes: "s'i: ju:" },
  { text: 'oh no', phonemes: "'oU n'oU" }, { text: 'i know', phonemes: "'aI n'oU" }, { text: 'over', phonemes: "'oUv3" }, { text: 'nobody', phonemes: "n'oUb0di" },
  { text: 'maybe', phonemes: "m'eIbi:" }, { text: 'sorry', phonemes: "s'A:ri" }, { text: 'please', phonemes: "pl'i:z" }, { text: 'hey you', phonemes: "h'eI ju:" },
  { text: 'play music', phonemes: "pl'eI mj'u:zIk" }, { text: 'how are you', phonemes: "h'aU A@ ju:" }, { text: "let's go", phonemes: "l'Ets g'oU" },
  { text: 'open', phonemes: "'oUp@n" }, { text: 'listen', phonemes: "l'Is@n" }, { text: 'computer', phonemes: "k@mpj'u:t#3" }, { text: 'anyway', phonemes: "'EnI2w,eI" },
  { text: 'innovate', phonemes: "'In@v,eIt" }, { text: 'sofa', phonemes: "s'oUf@" }, { text: 'movie', phonemes: "m'u:vi" }, { text: 'lady', phonemes: "l'eIdi" },
  { text: 'hazy', phonemes: "h'eIzi" },
]);

/** A phoneme of the phrase: word index, its symbol and whether a stress mark precedes it. */
interface Slot {
  word: number;
  symbol: string;
  /** `'`, `,` or empty. */
  stress: string;
}

function toSlots(phonemes: string): Slot[] {
  const slots: Slot[] = [];
  phonemes.split(' ').filter((w) => w.length > 0).forEach((w, word) => {
    let stress = '';
    for (const sym of splitPhonemes(w)) {
      if (sym === "'" || sym === ',') stress = sym;
      else {
        slots.push({ word, symbol: sym, stress });
        stress = '';
      }
    }
  });
  return slots;
}

function fromSlots(slots: readonly Slot[]): string {
  const words: string[] = [];
  for (const s of slots) words[s.word] = `${words[s.word] ?? ''}${s.stress}${s.symbol}`;
  return words.filter((w) => w !== undefined && w.length > 0).join(' ');
}

/**
 * Index of the first phoneme of each syllable: a syllable is a vowel with the consonants
 * before it in its word (trailing consonants stay with the syllable before); the first
 * syllable starts at 0.
 */
function syllableStarts(slots: readonly Slot[]): number[] {
  const starts: number[] = [];
  slots.forEach((s, v) => {
    if (!isVowel(s.symbol)) return;
    let start = v;
    while (start > 0 && !isVowel(slots[start - 1]!.symbol) && slots[start - 1]!.word === s.word) start--;
    starts.push(start);
  });
  if (starts.length === 0 || starts[0] !== 0) starts[0] = 0;
  return starts;
}

/** Edit distance between two symbol lists. */
function editDistance(a: readonly string[], b: readonly string[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

function symbolsOf(phonemes: string): string[] {
  return toSlots(phonemes).map((s) => s.symbol);
}

function checkCount(name: string, n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > 1000) throw new ConfigError(name, 'an integer in [0, 1000]', n);
}

/**
 * Confusable negatives of a phrase from its eSpeak phonemes (`phonemesOf(phrase)`), in kind
 * order: `word` (each word alone, multi-word phrases), `partial` (the phrase cut before each
 * syllable boundary: first word, phrase without its last syllable, ...; and without its first
 * syllable(s): last word, ...), `reorder` (reversed word order, multi-word phrases),
 * `substitution` (one phoneme by a {@link NEAR_PHONEMES} neighbour), `deletion` (one phoneme
 * dropped, never a word's only vowel), `insertion` (a consonant before a word starting with a
 * vowel, an English-like cluster `s`+C or C+`l`/`r`, a phoneme after a word, or a schwa between
 * two consonants) and `other` ({@link OTHER_PHRASES}). None has the
 * phrase's phonemes ({@link phonemeKey}: stress marks and word breaks ignored) and no two are
 * equal. Deterministic for the rng's state. One-word phrases have no `word` or `reorder`.
 * @throws ConfigError for empty phonemes or counts out of range
 */
export function confusablePhrases(phrase: string, phonemes: string, options: ConfusableOptions): Confusable[] {
  const { rng, substitutions = DEFAULT_CONFUSABLES.substitutions, deletions = DEFAULT_CONFUSABLES.deletions, insertions = DEFAULT_CONFUSABLES.insertions, others = DEFAULT_CONFUSABLES.others } = options;
  checkCount('substitutions', substitutions);
  checkCount('deletions', deletions);
  checkCount('insertions', insertions);
  checkCount('others', others);
  const slots = toSlots(phonemes.trim());
  if (slots.length === 0) throw new ConfigError('phonemes', 'eSpeak phoneme mnemonics of the phrase (see phonemesOf)', phonemes);
  const seen = new Set([phonemeKey(phonemes)]);
  const out: Confusable[] = [];
  const add = (c: Confusable): boolean => {
    const key = phonemeKey(c.phonemes);
    if (key.length === 0 || seen.has(key)) return false;
    seen.add(key);
    out.push(c);
    return true;
  };
  const addDrawn = (kind: ConfusableKind, candidates: string[], n: number) => {
    let kept = 0;
    for (const p of rng.shuffle(candidates)) {
      if (kept >= n) break;
      if (add({ kind, phonemes: p })) kept++;
    }
  };
  const textWords = phrase.trim().split(/\s+/).filter((w) => w.length > 0);
  const phonemeWords = phonemes.trim().split(/\s+/);
  const wordsMatch = textWords.length === phonemeWords.length;
  // Single words.
  if (phonemeWords.length > 1) phonemeWords.forEach((w, i) => add({ kind: 'word', phonemes: w, ...(wordsMatch ? { text: textWords[i]! } : {}) }));
  // Partial phrases at syllable boundaries.
  const starts = syllableStarts(slots);
  for (let k = starts.length - 1; k >= 1; k--) {
    const cut = slots.slice(0, starts[k]);
    const wordEnd = k < starts.length && slots[starts[k]!]!.word !== cut.at(-1)!.word;
    const words = new Set(cut.map((s) => s.word)).size;
    add({ kind: 'partial', phonemes: fromSlots(cut), ...(wordEnd && wordsMatch ? { text: textWords.slice(0, words).join(' ') } : {}) });
  }
  for (let k = 1; k < starts.length; k++) {
    const rest = slots.slice(starts[k]);
    const wordStart = slots[starts[k]! - 1]!.word !== rest[0]!.word;
    // A tail of one syllable inside a word ("v@" of "nova") is too short to matter.
    if (!wordStart && starts.length - k < 2) continue;
    const first = rest[0]!.word;
    add({ kind: 'partial', phonemes: fromSlots(rest.map((s) => ({ ...s, word: s.word - first }))), ...(wordStart && wordsMatch ? { text: textWords.slice(first).join(' ') } : {}) });
  }
  // Reversed word order.
  if (phonemeWords.length > 1) add({ kind: 'reorder', phonemes: [...phonemeWords].reverse().join(' '), ...(wordsMatch ? { text: [...textWords].reverse().join(' ') } : {}) });
  // Substitutions.
  const subs: string[] = [];
  slots.forEach((s, i) => {
    for (const near of NEAR_PHONEMES[s.symbol] ?? []) subs.push(fromSlots(slots.map((x, j) => (j === i ? { ...x, symbol: near } : x))));
  });
  addDrawn('substitution', subs, substitutions);
  // Deletions: a consonant, or a vowel whose word keeps another vowel.
  const vowelsInWord = (w: number) => slots.filter((s) => s.word === w && isVowel(s.symbol)).length;
  const dels: string[] = [];
  slots.forEach((s, i) => {
    if (isVowel(s.symbol) && vowelsInWord(s.word) < 2) return;
    const next = slots[i + 1];
    dels.push(fromSlots(slots.flatMap((x, j) => (j === i ? [] : j === i + 1 && next && next.word === s.word && s.stress ? [{ ...x, stress: x.stress || s.stress }] : [x]))));
  });
  addDrawn('deletion', dels, deletions);
  // Insertions.
  const ins: string[] = [];
  const wordCount = phonemeWords.length;
  for (let w = 0; w < wordCount; w++) {
    const first = slots.findIndex((s) => s.word === w);
    let last = -1;
    slots.forEach((s, j) => {
      if (s.word === w) last = j;
    });
    if (first < 0) continue;
    const onset = slots[first]!.symbol;
    const insertAt = (at: number, symbol: string) => ins.push(fromSlots([...slots.slice(0, at), { word: w, symbol, stress: '' }, ...slots.slice(at)]));
    if (isVowel(onset)) for (const c of ONSET_INSERTIONS) insertAt(first, c);
    // Only English-like clusters before a consonant: s + stop/nasal/l/w, stop/f + l/r.
    if (S_CLUSTER_ONSETS.includes(onset)) insertAt(first, 's');
    if (LIQUID_CLUSTER_ONSETS.includes(onset)) for (const c of ['l', 'r']) insertAt(first + 1, c);
    for (const c of CODA_INSERTIONS) {
      if (slots[last]!.symbol !== c && !(isVowel(c) && isVowel(slots[last]!.symbol))) ins.push(fromSlots([...slots.slice(0, last + 1), { word: w, symbol: c, stress: '' }, ...slots.slice(last + 1)]));
    }
    for (let j = first; j < last; j++) {
      if (!isVowel(slots[j]!.symbol) && !isVowel(slots[j + 1]!.symbol)) ins.push(fromSlots([...slots.slice(0, j + 1), { word: w, symbol: '@', stress: '' }, ...slots.slice(j + 1)]));
    }
  }
  addDrawn('insertion', ins, insertions);
  // Common words and phrases: half the closest, half drawn from the rest.
  const target = symbolsOf(phonemes);
  const ranked = OTHER_PHRASES.map((o, i) => ({ o, d: editDistance(symbolsOf(o.phonemes), target), i })).sort((a, b) => a.d - b.d || a.i - b.i);
  const closest = Math.ceil(others / 2);
  let kept = 0;
  for (const { o } of ranked) {
    if (kept >= closest) break;
    if (add({ kind: 'other', phonemes: o.phonemes, text: o.text })) kept++;
  }
  for (const { o } of rng.shuffle(ranked.slice(closest))) {
    if (kept >= others) break;
    if (add({ kind: 'other', phonemes: o.phonemes, text: o.text })) kept++;
  }
  return out;
}

/** Options of {@link synthesizeConfusables}. */
export interface ConfusableSynthOptions extends SpeechSynthOptions {
  /** Utterances of each confusable (1..1000). @default 1 */
  repeats?: number;
}

/** A spoken confusable. */
export interface SynthesizedConfusable extends SynthesizedUtterance {
  confusable: Confusable;
}

/**
 * Speaks confusables with the voice variety and speed of {@link synthesizeItems} (text when a
 * confusable has words, else its phonemes as `[[...]]`): `repeats` utterances of each, returned
 * in order (all repeats of the first confusable, then the second, ...) but spoken repeat by
 * repeat, so that one synthetic speaker says different confusables. `item` is the index in
 * that speaking order (repeat x confusables.length + confusable).
 * @throws ConfigError for a bad `repeats` or synthesis option
 */
export async function synthesizeConfusables(confusables: readonly Confusable[], options: ConfusableSynthOptions = {}): Promise<SynthesizedConfusable[]> {
  const { repeats = 1, ...synth } = options;
  if (!Number.isInteger(repeats) || repeats < 1 || repeats > 1000) throw new ConfigError('repeats', 'an integer in [1, 1000]', repeats);
  // Spoken repeat by repeat, so each synthetic speaker says different confusables.
  const n = confusables.length;
  const items = Array.from({ length: repeats }, () => confusables.map((c) => ({ ...(c.text !== undefined ? { text: c.text } : {}), phonemes: c.phonemes }))).flat();
  const spoken = await synthesizeItems(items, { ...synth, seed: `${synth.seed ?? 0}/confusables` });
  return confusables.flatMap((c, i) => Array.from({ length: repeats }, (_, r) => ({ ...spoken[r * n + i]!, confusable: c })));
}
