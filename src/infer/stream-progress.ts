/**
 * Progress of long stream runs (listen, eval-stream, data stream) on stderr: a cli-progress bar
 * on a terminal, nothing otherwise (scripts read the result from stdout).
 */
import cliProgress from 'cli-progress';

/** A progress reporter over a known total (seconds of audio). */
export interface StreamProgress {
  update(doneSec: number): void;
  stop(): void;
}

/**
 * A bar titled `title` over `totalSec` seconds of audio, drawn only when stderr is a terminal
 * and `quiet` is false.
 */
export function createStreamProgress(title: string, totalSec: number, quiet = false): StreamProgress {
  if (quiet || !process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar({
    format: `${title} [{bar}] {percentage}% | {value}/{total} s audio | ETA {eta_formatted}`,
    stream: process.stderr,
    hideCursor: true,
  }, cliProgress.Presets.shades_classic);
  bar.start(Math.max(1, Math.round(totalSec)), 0);
  return {
    update: (doneSec) => bar.update(Math.round(doneSec)),
    stop: () => bar.stop(),
  };
}
