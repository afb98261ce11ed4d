/**
 * Training progress for people: a cli-progress bar with ETA, loss and accuracy on a terminal,
 * plain lines otherwise (not a TTY, or `--json` where stdout carries the JSON result).
 * Everything goes to stderr.
 */
import cliProgress from 'cli-progress';
import type { EpochMetrics } from './trainer-types.ts';

/** `bar`: live bar; `lines`: a line per epoch (and every 30 s within long epochs); `none`: silent. */
export type ProgressMode = 'bar' | 'lines' | 'none';

/** The mode for a command: bar on a TTY without `--json`, else lines. */
export function autoProgressMode(json: boolean, stream: NodeJS.WriteStream = process.stderr): ProgressMode {
  return !json && stream.isTTY ? 'bar' : 'lines';
}

/** Receives training events. */
export interface TrainProgress {
  /** An epoch starts (`epoch` 1-based). */
  startEpoch(epoch: number, epochs: number, steps: number): void;
  /** After each step: steps done in this epoch and running means. */
  step(done: number, loss: number, accuracy: number): void;
  /** An epoch ended (validation included). */
  endEpoch(metrics: EpochMetrics, epochs: number): void;
  /** A free-form note (resume, early stop). */
  note(message: string): void;
  /** Stops the bar. */
  stop(): void;
}

/** Formats a metrics line: `epoch 3/10 loss 0.2113 acc 0.9381 val_loss 0.1502 val_acc 0.9550 lr 1.0e-3 41.2s`. */
export function formatEpochLine(m: EpochMetrics, epochs: number): string {
  const parts = [`epoch ${m.epoch}/${epochs}`, `loss ${m.loss.toFixed(4)}`, `acc ${m.accuracy.toFixed(4)}`];
  if (m.valLoss !== undefined) parts.push(`val_loss ${m.valLoss.toFixed(4)}`);
  if (m.valAccuracy !== undefined) parts.push(`val_acc ${m.valAccuracy.toFixed(4)}`);
  parts.push(`lr ${m.learningRate.toExponential(1)}`, `${m.durationSec.toFixed(1)}s`, `${Math.round(m.examplesPerSec)} ex/s`);
  return parts.join('  ');
}

/** Creates a progress reporter writing to `stream`. */
export function createProgress(mode: ProgressMode, stream: NodeJS.WritableStream = process.stderr): TrainProgress {
  if (mode === 'none') {
    return { startEpoch() {}, step() {}, endEpoch() {}, note() {}, stop() {} };
  }
  if (mode === 'lines') {
    let epochLabel = '';
    let total = 0;
    let lastLine = 0;
    return {
      startEpoch(epoch, epochs, steps) {
        epochLabel = `epoch ${epoch}/${epochs}`;
        total = steps;
        lastLine = Date.now();
      },
      step(done, loss, accuracy) {
        if (Date.now() - lastLine >= 30_000) {
          lastLine = Date.now();
          stream.write(`${epochLabel}  step ${done}/${total}  loss ${loss.toFixed(4)}  acc ${accuracy.toFixed(4)}\n`);
        }
      },
      endEpoch(m, epochs) { stream.write(`${formatEpochLine(m, epochs)}\n`); },
      note(message) { stream.write(`${message}\n`); },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar({
    format: 'epoch {epoch} [{bar}] {value}/{total} | ETA {eta_formatted} | loss {loss} | acc {acc}',
    stream,
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 50,
  }, cliProgress.Presets.shades_classic);
  let active = false;
  return {
    startEpoch(epoch, epochs, steps) {
      bar.start(steps, 0, { epoch: `${epoch}/${epochs}`, loss: '-', acc: '-' });
      active = true;
    },
    step(done, loss, accuracy) { bar.update(done, { loss: loss.toFixed(4), acc: accuracy.toFixed(4) }); },
    endEpoch(m, epochs) {
      if (active) bar.stop();
      active = false;
      stream.write(`${formatEpochLine(m, epochs)}\n`);
    },
    note(message) {
      stream.write(`${message}\n`);
    },
    stop() {
      if (active) bar.stop();
      active = false;
    },
  };
}
