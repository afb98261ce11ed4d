/** `keyspot features <file.wav> [--json] [feature options] [--png out.png]` */
import { Option, type Command } from '@commander-js/extra-typings';
import { ConfigError } from '../errors.ts';
import { computeFileFeatures, toRows } from '../features/file-features.ts';
import { DEFAULT_FEATURE_OPTIONS, type FeatureOptions } from '../features/settings.ts';
import { writeSpectrogramPng } from '../report/spectrogram-png.ts';
import { printJson, runAction } from './output.ts';

function num(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v)) throw new ConfigError(flag, 'a number', value);
  return v;
}

/** Registers the `features` command. */
export function registerFeatures(program: Command): void {
  const d = DEFAULT_FEATURE_OPTIONS;
  program
    .command('features')
    .description('compute the log-mel spectrogram (or MFCC) of a WAV file, after resampling; print a summary or JSON, optionally write a PNG')
    .argument('<file>', 'WAV file (PCM 8/16/24/32-bit or float, any rate and channel count)')
    .option('--json', 'print {"sampleRateHz","numFrames","numBins","data":[[frame 0], ...]} (values: ln(mel power + log offset), or MFCC)')
    .option('--sample-rate <hz>', 'resample to this rate before analysis', String(d.sampleRateHz))
    .option('--window-ms <ms>', 'analysis window', String(d.windowMs))
    .option('--stride-ms <ms>', 'hop between frames', String(d.strideMs))
    .option('--n-fft <n>', 'FFT length, a power of two (default: next power of two of the window)')
    .option('--n-mels <n>', 'number of mel bands', String(d.nMels))
    .option('--fmin <hz>', 'lowest mel edge', String(d.fMinHz))
    .option('--fmax <hz>', 'highest mel edge (default: sample rate / 2)')
    .addOption(new Option('--mel-scale <scale>', 'mel formula').choices(['htk', 'slaney'] as const).default(d.melScale))
    .addOption(new Option('--mel-norm <norm>', 'filter normalisation').choices(['none', 'slaney'] as const).default(d.melNorm))
    .addOption(new Option('--mel-filters <domain>', 'triangles linear in hz (librosa) or mel (tf.signal)').choices(['hz', 'mel'] as const).default(d.melTriangleDomain))
    .addOption(new Option('--power <p>', '1 magnitude, 2 power').choices(['1', '2'] as const).default(String(d.power) as '1' | '2'))
    .option('--log-offset <x>', 'added before the log', String(d.logOffset))
    .option('--db', 'use 10 log10 instead of ln')
    .option('--center', 'centre frames on t * hop (librosa center=True)')
    .option('--no-center', 'frames start at t * hop (TensorFlow; the default)')
    .option('--mfcc <n>', 'number of MFCC coefficients (0: log-mel)', String(d.mfcc))
    .option('--png <out.png>', 'write a spectrogram image')
    .action((file, opts) => runAction(opts.json, () => {
      const options: Partial<FeatureOptions> = {
        sampleRateHz: num('--sample-rate', opts.sampleRate),
        windowMs: num('--window-ms', opts.windowMs),
        strideMs: num('--stride-ms', opts.strideMs),
        nFft: num('--n-fft', opts.nFft),
        nMels: num('--n-mels', opts.nMels),
        fMinHz: num('--fmin', opts.fmin),
        fMaxHz: num('--fmax', opts.fmax),
        melScale: opts.melScale,
        melNorm: opts.melNorm,
        melTriangleDomain: opts.melFilters,
        power: Number(opts.power) as 1 | 2,
        logOffset: num('--log-offset', opts.logOffset),
        logScale: opts.db ? 'db' : 'natural',
        center: opts.center ?? d.center,
        mfcc: num('--mfcc', opts.mfcc),
      };
      const f = computeFileFeatures(file, options);
      let image: { width: number; height: number } | undefined;
      if (opts.png) image = writeSpectrogramPng(opts.png, f.data, f.numFrames, f.numBins);
      if (opts.json) {
        printJson({ sampleRateHz: f.settings.sampleRateHz, numFrames: f.numFrames, numBins: f.numBins, data: toRows(f) });
        return;
      }
      let lo = Infinity;
      let hi = -Infinity;
      let sum = 0;
      for (const v of f.data) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
        sum += v;
      }
      const s = f.settings;
      const resampled = f.sourceSampleRateHz !== s.sampleRateHz ? ` (resampled from ${f.sourceSampleRateHz} Hz)` : '';
      const kind = s.mfcc > 0 ? `MFCC (${s.mfcc} coefficients of ${s.nMels} mel bands)` : `log-mel (${s.logScale === 'db' ? 'dB' : 'ln'})`;
      const lines = [
        `${file}: ${f.durationSec.toFixed(3)} s at ${s.sampleRateHz} Hz${resampled}`,
        `${kind}: ${f.numFrames} frames x ${f.numBins} bins; window ${s.windowSamples}, hop ${s.hopSamples}, nFft ${s.nFft}, ${s.melScale} scale, ${s.fMinHz}-${s.fMaxHz} Hz, centre ${s.center ? 'on' : 'off'}`,
        `values: min ${lo.toFixed(3)}, mean ${(sum / f.data.length).toFixed(3)}, max ${hi.toFixed(3)}`,
      ];
      if (image && opts.png) lines.push(`wrote ${opts.png} (${image.width} x ${image.height} px)`);
      process.stdout.write(`${lines.join('\n')}\n`);
    }));
}
