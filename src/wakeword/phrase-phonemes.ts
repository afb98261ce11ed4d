/**
 * The phonemes of a wake phrase: eSpeak NG's phoneme mnemonics (`espeak-ng -q -x`, the
 * Kirshenbaum-like ASCII form that eSpeak speaks back as `[[...]]`), and the checks and
 * normal form of a typed phrase (`keyspot train wakeword --phrase "hey nova"`).
 */
import { runEspeak } from '../data/espeak.ts';
import { ConfigError } from '../errors.ts';

/** Longest wake phrase accepted, characters (after {@link normalizePhrase}). */
export const MAX_PHRASE_CHARS = 40;
/** eSpeak NG language voice whose pronunciation is used by default. */
export const DEFAULT_PHONEME_VOICE = 'en-us';
/** Stress and syllable marks of eSpeak's mnemonics: primary, secondary, unstressed, stress-previous. */
export const STRESS_MARKS_RE = /['",%=]/g;

/** eSpeak NG's English vowel mnemonics (including r-coloured vowels and diphthongs). */
export const ESPEAK_VOWELS: readonly string[] = Object.freeze([
  'i:', 'i', 'I', 'I2', 'I#', 'E', 'E2', 'a', 'aa', 'a#', 'A:', 'A', '0', 'O:', 'O', 'O2', 'V', 'U', 'u:', 'u', '@', '@2', '@5', '3:', '3', '@L',
  'eI', 'aI', 'OI', 'aU', 'oU', 'oU#', 'e@', 'i@', 'i@3', 'U@', 'A@', 'O@', 'o@', 'aI@', 'aI3', 'aU@', 'aU3',
]);
/** eSpeak NG's English consonant mnemonics. */
export const ESPEAK_CONSONANTS: readonly string[] = Object.freeze([
  'p', 'b', 't', 'd', 't#', 'd#', 'k', 'g', 'f', 'v', 'T', 'D', 's', 'z', 'S', 'Z', 'tS', 'dZ', 'h', 'm', 'n', 'N', 'l', 'r', 'r-', 'j', 'w',
  'n-', 'l-', 'm-', 'x', 'C', '?',
]);
const SYMBOLS_BY_LENGTH = [...ESPEAK_VOWELS, ...ESPEAK_CONSONANTS, "'", ','].sort((a, b) => b.length - a.length);
const VOWEL_SET = new Set(ESPEAK_VOWELS);

/** True for a vowel mnemonic of {@link ESPEAK_VOWELS}. */
export function isVowel(symbol: string): boolean {
  return VOWEL_SET.has(symbol);
}

/**
 * Splits one word of eSpeak mnemonics into symbols, longest match first: `n'oUv@` ->
 * `['n', "'", 'oU', 'v', '@']` (stress marks are symbols of their own; characters that are no
 * known mnemonic become one-character symbols).
 */
export function splitPhonemes(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; ) {
    const sym = SYMBOLS_BY_LENGTH.find((t) => word.startsWith(t, i)) ?? word[i]!;
    out.push(sym);
    i += sym.length;
  }
  return out;
}

/** Characters of a phrase: Latin letters (with accents), digits, apostrophes, hyphens, spaces. */
const PHRASE_CHARS_RE = /^[\p{Script=Latin}0-9' -]+$/u;
const LETTER_OR_DIGIT_RE = /[\p{Script=Latin}0-9]/u;

/** Options of {@link phonemesOf} and {@link checkPhrase}. */
export interface PhonemesOfOptions {
  /** eSpeak NG voice whose pronunciation rules are used. @default DEFAULT_PHONEME_VOICE */
  voice?: string;
}

/** A checked phrase: its normal form, label and phonemes. */
export interface CheckedPhrase {
  /** {@link normalizePhrase} of the input. */
  phrase: string;
  /** {@link phraseLabel} of the phrase. */
  label: string;
  /** eSpeak mnemonics, words separated by single spaces, e.g. `h'eI n'oUv@`. */
  phonemes: string;
}

/** Trims, lower-cases and collapses runs of white space to one space: `"  Hey   NOVA "` -> `"hey nova"`. */
export function normalizePhrase(phrase: string): string {
  return phrase.normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ');
}

/**
 * A label and folder-safe slug of a phrase: accents dropped, every run of characters other
 * than `a-z`/`0-9` becomes one `_`: `"Hey Nova"` -> `hey_nova`, `"o'clock"` -> `o_clock`.
 */
export function phraseLabel(phrase: string): string {
  return normalizePhrase(phrase)
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * Checks the characters and length of a phrase without running eSpeak, and returns its
 * normal form.
 * @throws ConfigError `phrase` for an empty phrase, one longer than {@link MAX_PHRASE_CHARS},
 * or one with characters other than Latin letters, digits, apostrophes, hyphens and spaces
 */
export function checkPhraseText(phrase: string): string {
  if (typeof phrase !== 'string') throw new ConfigError('phrase', 'a string', phrase);
  const p = normalizePhrase(phrase);
  if (p.length === 0) throw new ConfigError('phrase', 'a non-empty wake phrase such as "hey nova"', phrase);
  if (p.length > MAX_PHRASE_CHARS) throw new ConfigError('phrase', `at most ${MAX_PHRASE_CHARS} characters long (${p.length} after normalising)`, phrase);
  if (!PHRASE_CHARS_RE.test(p) || !LETTER_OR_DIGIT_RE.test(p)) {
    throw new ConfigError('phrase', 'English words: Latin letters, digits, apostrophes, hyphens and spaces, with at least one letter or digit', phrase);
  }
  return p;
}

/**
 * eSpeak NG's phoneme mnemonics of `phrase` as spoken by `voice`: words separated by one space,
 * stress marks (`'` primary, `,` secondary) before the stressed vowel, e.g. `hey nova` ->
 * `h'eI n'oUv@`. The phrase is used as given (not checked); clauses are joined by a space.
 */
export async function phonemesOf(phrase: string, options: PhonemesOfOptions = {}): Promise<string> {
  const { voice = DEFAULT_PHONEME_VOICE } = options;
  if (!/^[a-z]{2,3}(-[a-z0-9]+)*$/i.test(voice)) throw new ConfigError('voice', 'an espeak-ng voice name like en-us', voice);
  // `--` keeps a phrase starting with '-' from being read as an option.
  const run = await runEspeak(['-q', '-x', '-v', voice, '--', phrase]);
  return run.stdout.join(' ').replace(/_[:!]?/g, ' ').trim().replace(/\s+/g, ' ');
}

/** Phonemes with stress marks and word boundaries removed: what two pronunciations must share to sound the same. */
export function phonemeKey(phonemes: string): string {
  return phonemes.replace(STRESS_MARKS_RE, '').replace(/\s+/g, '');
}

/**
 * Checks a wake phrase ({@link checkPhraseText}) and that eSpeak produces phonemes for it.
 * @throws ConfigError `phrase` as {@link checkPhraseText}, or when eSpeak finds no phonemes
 */
export async function checkPhrase(phrase: string, options: PhonemesOfOptions = {}): Promise<CheckedPhrase> {
  const p = checkPhraseText(phrase);
  const phonemes = await phonemesOf(p, options);
  if (phonemeKey(phonemes).length === 0) throw new ConfigError('phrase', 'a phrase eSpeak NG can pronounce (it produced no phonemes)', phrase);
  return { phrase: p, label: phraseLabel(p), phonemes };
}
