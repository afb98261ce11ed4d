/**
 * `keyspot eval`: accuracy and confusion matrix of a saved image model (or an ensemble of
 * several, averaging their probabilities) on a dataset folder. Parsing only.
 */
import type { Command } from '@commander-js/extra-typings';
import { ConfigError } from '../errors.ts';
import { EVAL_SPLITS, evaluateModelDirs, type EvalSplit } from '../train/evaluate-dir.ts';
import { confusionTable } from '../report/training-report.ts';
import { printJson, runAction } from './output.ts';
import { evaluateKeywordModel } from '../kws/evaluate-kws.ts';
import { formatKeywordEvaluation } from '../kws/class-metrics.ts';
import { isKeywordModel } from '../kws/keyword-input.ts';
import { readModelMetadata } from '../export/model-dir.ts';

/** Registers `eval`. */
export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('evaluate a saved image model (or an ensemble: several --model folders) and print accuracy and the confusion matrix')
    .requiredOption('--model <dirs...>', 'model folder(s); several are averaged as an ensemble')
    .requiredOption('--data <dir>', 'dataset folder')
    .option('--dataset <kind>', 'dataset kind (default: the one the model was trained on)')
    .option('--split <split>', `test: the training run's test split; all: every image in --data (default test)`, 'test')
    .option('--json', 'print {"accuracy", "confusion", "labels", ...} as JSON')
    .action((opts) => runAction(opts.json, async () => {
      if (!(EVAL_SPLITS as readonly string[]).includes(opts.split)) throw new ConfigError('--split', `one of ${EVAL_SPLITS.join(', ')}`, opts.split);
      // Keyword models (metadata input.kind 'keyword-audio'): training layout (test split) or the
      // official 12-class test layout, features through the saved settings (src/kws/evaluate-kws.ts).
      const kwsDirs = opts.model.flatMap((m) => m.split(',')).filter(Boolean);
      if (kwsDirs.length === 1 && isKeywordModel(await readModelMetadata(kwsDirs[0]!))) {
        const k = await evaluateKeywordModel(kwsDirs[0]!, opts.data);
        if (opts.json) printJson({ ...k, skippedFiles: k.skipped.length, model: kwsDirs[0] });
        else process.stdout.write(`${kwsDirs[0]} on ${k.dataDir} (${k.layout === 'test12' ? '12-class test layout' : 'test split'})${k.skipped.length ? `, ${k.skipped.length} unreadable files skipped` : ''}\n${formatKeywordEvaluation(k)}\n`);
        return;
      }
      const r = await evaluateModelDirs({
        modelDirs: opts.model.flatMap((m) => m.split(',')).filter(Boolean),
        dataDir: opts.data,
        split: opts.split as EvalSplit,
        ...(opts.dataset ? { dataset: opts.dataset } : {}),
      });
      if (opts.json) {
        printJson({ accuracy: r.accuracy, confusion: r.confusion, labels: r.labels, count: r.count, loss: r.loss, split: r.split, models: r.models, skippedFiles: r.skipped });
      } else {
        process.stdout.write([
          `${r.models.length > 1 ? `ensemble of ${r.models.length} models` : r.models[0]}, split ${r.split}: accuracy ${(100 * r.accuracy).toFixed(2)}% on ${r.count} images (loss ${r.loss.toFixed(4)})`,
          r.skipped.length ? `${r.skipped.length} unreadable files skipped` : '',
          '',
          confusionTable(r.confusion, r.labels),
          '',
        ].filter((l, i) => l !== '' || i > 1).join('\n'));
      }
    }));
}
