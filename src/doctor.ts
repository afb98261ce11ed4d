/**
 * `keyspot doctor`: what keyspot runs on (backend, TensorFlow, threads, Node) and which data
 * folders exist, so a user sees at once whether training will be fast.
 */
import fs from 'node:fs';
import path from 'node:path';
import { getBackendInfo, type BackendInfo } from './backend.ts';
import { getGraphAddonStatus, type GraphAddonStatus } from './graph/addon.ts';

/** One data folder keyspot looks at, and what it holds. */
export interface DataFolderReport {
  path: string;
  exists: boolean;
  /** Sub-folders (word or class folders, model folders). */
  folders: number;
  /** Files directly inside or one level down (WAV, PNG, ...). */
  files: number;
}

/** Everything `keyspot doctor` reports. */
export interface DoctorReport extends BackendInfo {
  nodeVersion: string;
  platform: string;
  /** False when training would run on the pure-JavaScript backend. */
  trainingReady: boolean;
  /** The graph-mode addon (`native/graph`): loaded, or why not (training then runs eager). */
  graphAddon: GraphAddonStatus;
  dataFolders: Record<'speechCommands' | 'backgroundNoise' | 'models', DataFolderReport>;
}

function inspectFolder(dir: string): DataFolderReport {
  const report: DataFolderReport = { path: dir, exists: false, folders: 0, files: 0 };
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return report;
  report.exists = true;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'README.md' || entry.name === 'ABOUT.md') continue;
    if (entry.isDirectory()) {
      report.folders++;
      report.files += fs.readdirSync(path.join(dir, entry.name)).filter((f) => !f.startsWith('.')).length;
    } else {
      report.files++;
    }
  }
  return report;
}

/**
 * Collects the doctor report.
 * @param rootDir project folder holding `speech_commands/`, `background_noise/`, `models/`
 */
export function runDoctor(rootDir: string = process.cwd()): DoctorReport {
  const info = getBackendInfo();
  return {
    ...info,
    nodeVersion: process.version,
    platform: `${process.platform}-${process.arch}`,
    trainingReady: info.native,
    graphAddon: getGraphAddonStatus(),
    dataFolders: {
      speechCommands: inspectFolder(path.join(rootDir, 'speech_commands')),
      backgroundNoise: inspectFolder(path.join(rootDir, 'background_noise')),
      models: inspectFolder(path.join(rootDir, 'models')),
    },
  };
}

/** Human-readable lines of a doctor report. */
export function formatDoctor(r: DoctorReport): string {
  const folder = (name: string, f: DataFolderReport) =>
    `  ${name.padEnd(18)} ${f.exists ? `${f.folders} folders, ${f.files} files` : 'missing'}  (${f.path})`;
  return [
    `backend            ${r.backend}${r.native ? ' (native TensorFlow)' : ' (pure JavaScript: SLOW)'}`,
    `TensorFlow         ${r.tensorflowVersion ?? '-'}`,
    `tfjs               ${r.tfjsVersion}`,
    `threads            ${r.threads}`,
    `Node.js            ${r.nodeVersion} (${r.platform})`,
    `libraries from     ${r.librarySource ?? '-'}`,
    ...(r.fallbackReason ? [`fallback reason    ${r.fallbackReason}`] : []),
    `graph addon        ${r.graphAddon.ok ? `ok (TensorFlow ${r.graphAddon.tensorflowVersion}): graph-mode training` : `NOT available, training runs eager (3x slower): ${r.graphAddon.error}`}`,
    'data folders',
    folder('speech_commands/', r.dataFolders.speechCommands),
    folder('background_noise/', r.dataFolders.backgroundNoise),
    folder('models/', r.dataFolders.models),
    r.trainingReady ? 'ready to train on native TensorFlow'
      : 'NOT ready: training would run on the pure-JavaScript backend (see the fix above)',
  ].join('\n');
}
