/** `keyspot export --model DIR --format onnx [--out FILE]`: converts a model folder for other runtimes. */
import path from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { Option } from '@commander-js/extra-typings';
import { loadModelDir } from '../export/model-dir.ts';
import { exportOnnx, ONNX_OPSET_VERSION } from '../export/onnx.ts';
import { readWakewordMetadata, WAKEWORD_METADATA_KEY } from '../wakeword/wakeword-metadata.ts';
import { printJson, runAction } from './output.ts';

/** Formats `keyspot export` writes. */
export const EXPORT_FORMATS = ['onnx'] as const;

/** Registers the `export` command. */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description('export a model folder to ONNX (opset 13; input keeps the tfjs layout [N, frames, bins, 1]; labels, input settings and a wake-word model\'s phrases and operating point stored as metadata)')
    .requiredOption('--model <dir>', 'model folder (model.json + weights.bin + metadata.json)')
    .addOption(new Option('--format <format>', 'output format').choices(EXPORT_FORMATS).default('onnx' as const))
    .option('--out <file>', 'output file [default: <model>/model.onnx]')
    .option('--json', 'print one JSON document')
    .action((opts) => runAction(opts.json, async () => {
      const { model, metadata } = await loadModelDir(opts.model);
      try {
        const wakeword = readWakewordMetadata(metadata, opts.model);
        const out = opts.out ?? path.join(opts.model, 'model.onnx');
        const bytes = exportOnnx(model, out, {
          metadata: {
            labels: JSON.stringify(metadata.labels),
            inputShape: JSON.stringify(metadata.inputShape),
            ...(metadata.input ? { input: JSON.stringify(metadata.input) } : {}),
            // Phrases, their labels and the calibrated threshold and smoothing (the DET points and provenance stay in metadata.json).
            ...(wakeword ? { [WAKEWORD_METADATA_KEY]: JSON.stringify({ phrases: wakeword.phrases, labels: wakeword.labels, operatingPoint: wakeword.operatingPoint }) } : {}),
            keyspotVersion: metadata.keyspotVersion,
          },
        });
        const result = { format: opts.format, file: out, bytes, opset: ONNX_OPSET_VERSION, inputName: 'input', outputName: 'output', inputShape: ['N', ...metadata.inputShape], labels: metadata.labels };
        if (opts.json) printJson(result);
        else process.stdout.write(`wrote ${out} (${(bytes / 1024).toFixed(1)} KiB, ONNX opset ${ONNX_OPSET_VERSION}, input "input" [N, ${metadata.inputShape.join(', ')}], output "output" [N, ${metadata.labels.length}])\n`);
      } finally {
        model.dispose();
      }
    }));
}
