/**
 * keyspot command line: argument parsing only; every command calls the library API.
 * Each command lives in its own file and is registered here.
 */
import { Command } from '@commander-js/extra-typings';
import { initAudioDecoders } from '../audio/decode-audio.ts';
import { TF_LOG_ENV } from '../backend.ts';
import { VERSION } from '../version.ts';
import { registerDoctor } from './doctor.ts';
import { registerStart } from './start.ts';
import { registerFeatures } from './features.ts';
import { registerData } from './data.ts';
import { registerTrainKws } from './train-kws.ts';
import { registerTrainWakeword } from './train-wakeword.ts';
import { registerTrainBackbone } from './train-backbone.ts';
import { registerTrainScratch } from './train-scratch.ts';
import { registerPredict } from './predict.ts';
import { registerListen } from './listen.ts';
import { registerEvalStream } from './eval-stream.ts';
import { registerExport } from './export.ts';
import { registerServe } from './serve.ts';
import { registerTrainImages } from './train-images.ts';
import { registerEval } from './eval.ts';
import { registerSweep } from './sweep.ts';

/** Builds the CLI program (exported for tests). */
export function buildProgram(): Command {
  const program = new Command()
    .name('keyspot')
    .description('Train small CNNs on spectrograms and images with TensorFlow.js: keyword spotting and image classifiers.')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .option('--verbose', "show TensorFlow's native log lines (the same as KEYSPOT_TF_LOG=1)")
    .hook('preAction', (command) => {
      if (command.opts().verbose) process.env[TF_LOG_ENV] = '1';
    })
    // FLAC decoding is synchronous after its WebAssembly decoder has started (once, ~50 ms).
    .hook('preAction', () => initAudioDecoders());
  registerDoctor(program);
  registerStart(program);
  registerFeatures(program);
  registerData(program);
  registerTrainKws(program);
  registerTrainWakeword(program);
  registerTrainBackbone(program);
  registerTrainScratch(program);
  registerPredict(program);
  registerListen(program);
  registerEvalStream(program);
  registerExport(program);
  registerServe(program);
  registerTrainImages(program);
  registerEval(program);
  registerSweep(program);
  return program;
}

/** Runs the CLI with `argv` (as process.argv). */
export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
