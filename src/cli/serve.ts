/** `keyspot serve --model DIR [--port 8080]`: the browser demo page with a keyword model, locally. */
import type { Command } from '@commander-js/extra-typings';
import { startDemoServer } from '../../demo/server.ts';
import { readModelMetadata } from '../export/model-dir.ts';
import { readWakewordMetadata, type WakewordMetadata } from '../wakeword/wakeword-metadata.ts';
import { runAction } from './output.ts';

/** Registers the `serve` command. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the browser demo (upload a WAV or use the microphone; spectrogram and scores; a wake-word model\'s phrase detected at its calibrated threshold) with a keyword model folder')
    .requiredOption('--model <dir>', 'keyword model folder')
    .option('--port <n>', 'TCP port (0: any free port)', '8080')
    .option('--host <addr>', 'interface to listen on', '127.0.0.1')
    .action((opts) => runAction(false, async () => {
      const server = await startDemoServer({ modelDir: opts.model, port: Number(opts.port), host: opts.host });
      // The page reads the wake-word threshold from metadata.json itself; checked here so a malformed entry fails early.
      let wakeword: WakewordMetadata | undefined;
      try {
        wakeword = readWakewordMetadata(await readModelMetadata(opts.model), opts.model);
      } catch (err) {
        await server.close();
        throw err;
      }
      process.stdout.write(`keyspot demo: open ${server.url} (Ctrl+C to stop)\n`);
      if (wakeword) process.stdout.write(`wake word ${wakeword.phrases.map((p) => `"${p}"`).join(', ')}: detection threshold ${wakeword.operatingPoint.detectionThreshold} (from the model's calibration)\n`);
      await new Promise<void>((resolve) => {
        const stop = () => { void server.close().then(resolve); };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    }));
}
