/**
 * Makes `assets/negatives/`, the real negative speech shipped with keyspot for `train wakeword`:
 * the LibriSpeech train-clean-100 utterances (CC BY 4.0) and the OpenVoiceOS non-wake-word
 * utterances (public domain) of a wakeword_dev-style folder whose file-name hash falls in the
 * pack's share. The same hash rule (`packShare`, src/wakeword/negative-audio.ts hashFraction)
 * tells bench/wakeword.ts which files it must never test on.
 *
 *   npx tsx scripts/make-negatives-pack.ts [../shared/datasets/wakeword_dev]
 */
import fs from 'node:fs';
import path from 'node:path';
import { isInNegativesPack, NEGATIVES_PACK_SOURCES } from '../src/wakeword/negatives-pack.ts';

const src = path.resolve(process.argv[2] ?? '../shared/datasets/wakeword_dev');
const out = path.resolve('assets/negatives');
fs.rmSync(out, { recursive: true, force: true });
let total = 0;
for (const s of NEGATIVES_PACK_SOURCES) {
  const dir = path.join(src, s.folder);
  const dst = path.join(out, s.name);
  fs.mkdirSync(dst, { recursive: true });
  const files = fs.readdirSync(dir).filter((f) => /\.(flac|wav)$/i.test(f)).sort().filter((f) => isInNegativesPack(f, s.share));
  for (const f of files) fs.copyFileSync(path.join(dir, f), path.join(dst, f));
  if (s.licenceFile) fs.copyFileSync(path.join(src, s.licenceFile), path.join(dst, path.basename(s.licenceFile)));
  console.log(`${s.name}: ${files.length} files`);
  total += files.length;
}
fs.writeFileSync(path.join(out, 'README.md'), [
  '# Negative speech shipped with keyspot',
  '',
  'Real speech that says no wake word, used by `keyspot train wakeword` as negatives (70%) and to',
  'calibrate the threshold in false accepts per hour (30%, by file-name hash). Made by',
  '`npx tsx scripts/make-negatives-pack.ts` from the folders below.',
  '',
  '| folder | what | licence |',
  '| --- | --- | --- |',
  ...NEGATIVES_PACK_SOURCES.map((s) => `| \`${s.name}/\` | ${s.description} | ${s.licence} |`),
  '',
  `${total} files.`,
  '',
].join('\n'));
