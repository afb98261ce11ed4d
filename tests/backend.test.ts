import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fallbackMessage, getBackendInfo, getTf, selectBackend } from '../src/backend.ts';
import { VERSION } from '../src/version.ts';
import { BIN, ROOT, runCli } from './helpers/cli.ts';

describe('backend selection', () => {
  it('loads the native TensorFlow backend after npm install', () => {
    const info = getBackendInfo();
    expect(info.backend).toBe('tensorflow');
    expect(info.native).toBe(true);
    expect(info.tensorflowVersion).toMatch(/^\d+\.\d+/);
    expect(info.fallbackReason).toBeNull();
    expect(getTf().getBackend()).toBe('tensorflow');
  });

  it('falls back to cpu with a message naming the module, the reason and the fix', () => {
    const warnings: string[] = [];
    const { tf, info } = selectBackend({ nativeModule: '/no/such/tfjs-node', warn: (m) => warnings.push(m) });
    expect(info.native).toBe(false);
    expect(info.backend).toBe('cpu');
    expect(info.fallbackReason).toMatch(/\/no\/such\/tfjs-node cannot be loaded: Cannot find module/);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('pure-JavaScript "cpu" backend');
    expect(warnings[0]).toContain('npm run provision');
    expect(warnings[0]).toContain('KEYSPOT_LIBTENSORFLOW');
    // The shared tfjs engine is global: put the native backend back for the other tests.
    tf.setBackend('tensorflow');
  });

  it('warns exactly once per process however often the backend is asked for', () => {
    const script = `
      import { getTf, getBackendInfo } from './src/backend.ts';
      getTf(); getTf(); getBackendInfo();
      console.log(getTf().getBackend());`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, KEYSPOT_TFJS_NODE_MODULE: '/no/such/module' },
    });
    expect(r.stdout.trim()).toBe('cpu');
    expect(r.stderr.split('the native TensorFlow backend is not available').length - 1).toBe(1);
  });

  it('stays quiet when the pure-JS backend is asked for on purpose', () => {
    const warnings: string[] = [];
    const { tf, info } = selectBackend({ prefer: 'cpu', warn: (m) => warnings.push(m) });
    expect(info.backend).toBe('cpu');
    expect(info.fallbackReason).toMatch(/KEYSPOT_BACKEND=cpu/);
    expect(warnings).toEqual([]);
    tf.setBackend('tensorflow');
  });

  it('fallbackMessage states the slowdown', () => {
    expect(fallbackMessage('x')).toMatch(/1000x slower/);
  });
});

describe('keyspot doctor', () => {
  it('--json reports the native backend and exits 0', () => {
    const r = runCli(['doctor', '--json']);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.backend).toBe('tensorflow');
    expect(report.trainingReady).toBe(true);
    expect(report.nodeVersion).toBe(process.version);
    expect(report.threads).toBeGreaterThan(0);
    expect(typeof report.librarySource).toBe('string');
    expect(Object.keys(report.dataFolders).sort()).toEqual(['backgroundNoise', 'models', 'speechCommands']);
  });

  it('exits non-zero and explains when training would run on the pure-JS backend', () => {
    const r = runCli(['doctor', '--json'], { KEYSPOT_TFJS_NODE_MODULE: '/no/such/module' });
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.backend).toBe('cpu');
    expect(report.trainingReady).toBe(false);
    expect(report.fallbackReason).toContain('/no/such/module');
    expect(r.stderr).toContain('npm run provision');
  });

  it('reports which data folders exist', () => {
    const dir = fs.mkdtempSync(path.join(ROOT, 'tests', '.tmp-doctor-'));
    try {
      fs.mkdirSync(path.join(dir, 'speech_commands', 'yes'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'speech_commands', 'yes', 'a_nohash_0.wav'), '');
      const r = runCli(['doctor', '--json', '--root', dir]);
      const report = JSON.parse(r.stdout);
      expect(report.dataFolders.speechCommands).toMatchObject({ exists: true, folders: 1, files: 1 });
      expect(report.dataFolders.backgroundNoise.exists).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('TensorFlow native log lines', () => {
  /** Lines TensorFlow's C library prints: absl's pre-init notice, oneDNN, `I/W tensorflow/...`, `I0000 ... file.cc:N]`. */
  const TF_LINE = /absl::InitializeLog|oneDNN|^[IW] tensorflow\/|^[IWE]\d{4} [\d:. ]+\d+ \w+\.cc:\d+\]/m;

  /**
   * Runs node with `args` and returns its stderr read through a real pipe (`2>&1 >/dev/null | cat`):
   * the stderr of a terminal or a shell pipeline, not the socket child_process gives a child.
   */
  function stderrThroughPipe(args: string[], env: NodeJS.ProcessEnv): { status: number | null; stderr: string } {
    const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
    const statusFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-pipe-')), 'status');
    const command = `(${[process.execPath, ...args].map(quote).join(' ')} 2>&1 >/dev/null; echo $? > ${quote(statusFile)}) | cat`;
    const r = spawnSync('/bin/sh', ['-c', command], { cwd: ROOT, encoding: 'utf8', env });
    const status = Number(fs.readFileSync(statusFile, 'utf8'));
    fs.rmSync(path.dirname(statusFile), { recursive: true, force: true });
    return { status: r.status === 0 ? status : r.status, stderr: r.stdout };
  }
  const envWithout = (drop: string[], add: Record<string, string> = {}): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...add };
    for (const k of drop) delete env[k];
    return env;
  };

  it.skipIf(process.platform !== 'linux')('keyspot doctor prints none of them by default', () => {
    const r = stderrThroughPipe([BIN, 'doctor'], envWithout(['TF_CPP_MIN_LOG_LEVEL', 'KEYSPOT_TF_LOG']));
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(TF_LINE);
    expect(r.stderr).not.toMatch(/absl|oneDNN|I tensorflow\/|W tensorflow\//);
    expect(r.stderr).toBe('');
  });

  it.skipIf(process.platform !== 'linux')('stderr works after the quiet load: only the program\'s own lines, in order', () => {
    const script = `
      import { getTf } from './src/backend.ts';
      process.stderr.write('before\\n');
      const tf = getTf();
      tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)).dataSync());
      process.stderr.write('after ' + tf.getBackend() + '\\n');
      console.error('console.error works');`;
    const r = stderrThroughPipe(['--import', 'tsx', '--input-type=module', '-e', script], envWithout(['TF_CPP_MIN_LOG_LEVEL', 'KEYSPOT_TF_LOG']));
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('before\nafter tensorflow\nconsole.error works\n');
  });

  it('KEYSPOT_TF_LOG=1 lets them through', () => {
    // On this x86 machine the library logs at least the oneDNN or CPU-feature notice at level 0.
    const r = stderrThroughPipe([BIN, 'doctor'], envWithout(['TF_CPP_MIN_LOG_LEVEL'], { KEYSPOT_TF_LOG: '1' }));
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(TF_LINE);
    expect(r.stderr).toMatch(/absl::InitializeLog/);
  });

  it('keyspot --verbose lets them through too', () => {
    const r = stderrThroughPipe([BIN, '--verbose', 'doctor'], envWithout(['TF_CPP_MIN_LOG_LEVEL', 'KEYSPOT_TF_LOG']));
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(TF_LINE);
  });
});

describe('package', () => {
  it('VERSION equals package.json', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(VERSION).toBe(pkg.version);
  });

  it('the provisioning tarball holds the current provision.cjs', () => {
    const dir = path.join(ROOT, 'packages', 'native-provision');
    const r = spawnSync('tar', ['-xzOf', path.join(dir, 'keyspot-native-provision-1.0.0.tgz'), 'package/provision.cjs'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(fs.readFileSync(path.join(dir, 'provision.cjs'), 'utf8'));
  });

  it('nothing outside src/backend.ts imports tfjs-node', () => {
    const offenders: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.ts$/.test(e.name) && p !== path.join(ROOT, 'src', 'backend.ts')
          && /from ['"]@tensorflow\/tfjs-node['"]|require\(['"]@tensorflow\/tfjs-node['"]\)/.test(fs.readFileSync(p, 'utf8'))) {
          offenders.push(p);
        }
      }
    };
    walk(path.join(ROOT, 'src'));
    expect(offenders).toEqual([]);
  });
});

describe('install helper packaging', () => {
  it('package-lock.json records the checksum of the provisioning tarball (else npm ci fails)', async () => {
    const crypto = await import('node:crypto');
    const tarball = path.join(ROOT, 'packages', 'native-provision', 'keyspot-native-provision-1.0.0.tgz');
    const integrity = `sha512-${crypto.createHash('sha512').update(fs.readFileSync(tarball)).digest('base64')}`;
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
    expect(lock.packages['node_modules/keyspot-native-provision'].integrity).toBe(integrity);
  });
});
