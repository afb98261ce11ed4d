/**
 * `keyspot start` (what `npm start` runs): the whole keyword job. Checks the backend, synthesizes
 * the embedded default dataset into `speech_commands/` when that folder holds no audio (real data,
 * when present, is used as it is), trains the default recipe with a progress bar, evaluates the
 * test split, exports to `models/kws/`, and prints where the model, report and plots are and how
 * to use them. Parsing and printing only; the work is `synthesizeDataset` and `trainKws`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { synthesizeDataset } from '../data/synth.ts';
import { formatDoctor, runDoctor } from '../doctor.ts';
import { ConfigError } from '../errors.ts';
import { DEFAULT_KWS_RECIPE } from '../kws/recipe.ts';
import { defaultKwsCheckpointDir, trainKws } from '../kws/train-kws.ts';
import { autoProgressMode } from '../train/progress.ts';
import { exitOnInterrupt } from './interrupt.ts';
import { normalizePhrase, phraseLabel } from '../wakeword/phrase-phonemes.ts';
import { trainWakeword } from '../wakeword/train-wakeword.ts';
import { printJson, runAction } from './output.ts';
import { formatTrainWakeword, stageProgress, trainWakewordJson } from './train-wakeword.ts';
import { defaultNoiseDir, formatTrainKws, loadProgressPrinter, trainKwsJson } from './train-kws.ts';

/** Epochs `start` trains on the synthesized default dataset (about two minutes on 2 cores). */
export const START_SYNTH_EPOCHS = 80;
/** Batch size of `start` on the synthesized dataset (it holds ~200 clips: small batches give more steps). */
export const START_SYNTH_BATCH_SIZE = 32;

/** The default phrase of `npm start`'s wake-word job. */
export const START_PHRASE = 'hey nova';
/** Training budget of `npm start`'s wake-word job, minutes. */
export const START_WAKEWORD_MINUTES = 5;

/** True when `dir` has at least one word folder with a WAV file. */
export function hasSpeechData(dir: string): boolean {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return false;
  return fs.readdirSync(dir, { withFileTypes: true }).some((e) => e.isDirectory() && !e.name.startsWith('_') && !e.name.startsWith('.')
    && e.name !== 'background_noise' && fs.readdirSync(path.join(dir, e.name)).some((n) => n.toLowerCase().endsWith('.wav')));
}

/** True when `dir` was written by `synthesizeDataset` (its README.md says so). */
export function isSynthesized(dir: string): boolean {
  const readme = path.join(dir, 'README.md');
  return fs.existsSync(readme) && /synthe/i.test(fs.readFileSync(readme, 'utf8').slice(0, 2000));
}

/** Registers the `start` command. */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description(`the main job (npm start): train a wake-word model for a phrase from its text (default "${START_PHRASE}", --phrase to change it) in a few minutes, calibrated in false accepts per hour, into models/<phrase>/, and print how to listen for it; --job kws: the keyword job (synthesize speech_commands/ if empty, train, evaluate, export to models/kws/)`)
    .option('--job <job>', 'wakeword (a wake word from text) or kws (the 12-class keyword job)', 'wakeword')
    .option('--phrase <text>', 'wake phrase of the wakeword job', START_PHRASE)
    .option('--minutes <m>', 'training budget of the wakeword job, minutes', String(START_WAKEWORD_MINUTES))
    .option('--root <dir>', 'project folder holding speech_commands/, background_noise/, models/', '.')
    .option('--epochs <n>', `epochs (default: ${START_SYNTH_EPOCHS} on synthesized data, ${DEFAULT_KWS_RECIPE.epochs} on real data)`)
    .option('--resume', 'continue a killed or interrupted training from its last checkpoint (models/.kws.checkpoints; same flags); Ctrl-C prints this command')
    .option('--json', 'print the result as one JSON document')
    .action((opts) => runAction(opts.json, async () => {
      const log = (text: string) => { if (!opts.json) process.stdout.write(`${text}\n`); };
      const report = runDoctor(opts.root);
      log(formatDoctor(report));
      log('');
      if (opts.job !== 'wakeword' && opts.job !== 'kws') throw new ConfigError('--job', 'wakeword or kws', opts.job);
      if (opts.job === 'wakeword') {
        const minutes = Number(opts.minutes);
        if (!(Number.isFinite(minutes) && minutes >= 0.5 && minutes <= 600)) throw new ConfigError('--minutes', 'a number in [0.5, 600]', opts.minutes);
        const label = phraseLabel(normalizePhrase(opts.phrase));
        const wwOut = path.resolve(opts.root, 'models', label.replace(/_/g, '-'));
        log(`training a wake-word model for "${opts.phrase}" from its text (synthetic voices over the shipped speech backbone; about ${minutes} minutes)...`);
        const stages = stageProgress(Boolean(opts.json));
        const uninstall = exitOnInterrupt({ checkpointDir: defaultKwsCheckpointDir(wwOut) });
        const ww = await trainWakeword({
          phrases: [opts.phrase], outDir: wwOut, minutes, resume: Boolean(opts.resume),
          progress: autoProgressMode(Boolean(opts.json)), onStage: stages.onStage,
        }).finally(() => { stages.stop(); uninstall(); });
        if (opts.json) {
          printJson({ job: 'wakeword', ...trainWakewordJson(ww) });
          return 0;
        }
        const rel = path.relative(process.cwd(), ww.outDir) || '.';
        log(formatTrainWakeword(ww));
        log([
          'Better on real voices: record yourself saying it 5-10 times (any WAV/FLAC) and run',
          `  npx keyspot train wakeword --phrase "${ww.phrases[0]}" --recordings my-recordings/ --out ${rel}`,
        ].join('\n'));
        return 0;
      }
      const dataDir = path.join(opts.root, 'speech_commands');
      const outDir = path.join(opts.root, 'models', 'kws');
      let synthesized = false;
      if (!hasSpeechData(dataDir)) {
        log(`${dataDir}/ holds no audio: synthesizing the default dataset with eSpeak NG (synthetic speech, not real recordings)...`);
        const synth = await synthesizeDataset({
          outDir: dataDir,
          onProgress: (done, total) => { if (!opts.json) process.stderr.write(`synthesizing: ${done}/${total}${done === total ? '\n' : process.stderr.isTTY ? '\r' : '\n'}`); },
        });
        synthesized = true;
        log(`wrote ${synth.clips} clips and ${synth.noiseFiles.length} noise files to ${dataDir}/ in ${synth.elapsedSec.toFixed(0)} s`);
      } else {
        synthesized = isSynthesized(dataDir);
        log(`using the ${synthesized ? 'synthesized ' : ''}data in ${dataDir}/`);
      }
      let epochs = synthesized ? START_SYNTH_EPOCHS : DEFAULT_KWS_RECIPE.epochs;
      if (opts.epochs !== undefined) {
        epochs = Number(opts.epochs);
        if (!Number.isInteger(epochs) || epochs < 1) throw new ConfigError('--epochs', 'an integer >= 1', opts.epochs);
      }
      log(`training ${DEFAULT_KWS_RECIPE.model} for ${epochs} epochs (the default recipe of \`keyspot train kws\`)...`);
      const uninstall = exitOnInterrupt({ checkpointDir: defaultKwsCheckpointDir(outDir) });
      const result = await trainKws({
        dataDir,
        noiseDir: defaultNoiseDir(dataDir),
        outDir,
        recipe: synthesized ? { epochs, batchSize: START_SYNTH_BATCH_SIZE } : { epochs },
        progress: autoProgressMode(Boolean(opts.json)),
        onLoadProgress: opts.json ? undefined : loadProgressPrinter(),
        resume: Boolean(opts.resume),
      }).finally(uninstall);
      if (opts.json) {
        printJson({ synthesized, dataDir: path.resolve(dataDir), ...trainKwsJson(result) });
        return 0;
      }
      log(formatTrainKws(result));
      const rel = path.relative(process.cwd(), result.outDir) || '.';
      log([
        '',
        'Use it:',
        `  npx keyspot predict --model ${rel} some.wav --top 3`,
        `  npx keyspot eval --model ${rel} --data <folder>      # test split, or the official 12-class test layout`,
        `  import { loadRecognizer } from 'keyspot'; (await loadRecognizer('${rel}')).classify(samples, sampleRateHz)`,
        `  in a browser: tf.loadLayersModel('${rel}/model.json') with the features of ${rel}/metadata.json`,
        synthesized ? '\nThis model was trained on synthesized speech; put real recordings in speech_commands/<word>/ (Speech Commands layout) and run npm start again.' : '',
      ].join('\n'));
      return 0;
    }));
}
