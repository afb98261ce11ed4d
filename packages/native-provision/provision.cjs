'use strict';
/**
 * keyspot native provisioning: makes `@tensorflow/tfjs-node` load with the native `tensorflow`
 * backend on machines where its own libtensorflow download fails (offline, proxy, blocked host).
 *
 * Runs as the `preinstall` of the `keyspot-native-provision` dependency: npm runs every
 * dependency's `preinstall` before any dependency's `install`, so the libraries are in
 * `@tensorflow/tfjs-node/deps/lib` before tfjs-node's own `scripts/install.js` looks for them
 * (it then skips its download and only builds or finds the binding). The `postinstall` checks
 * that the binding loads, caches it, and writes the status file that keyspot's backend module
 * and `keyspot doctor` read. Also used by `scripts/ensure-native.mjs` (`npm run provision`).
 *
 * Sources of the TensorFlow C library, in order:
 *  1. `KEYSPOT_LIBTENSORFLOW`: a directory holding `lib/` (libtensorflow*.so*) and `include/`,
 *     or a `tensorflow-cpu` wheel file;
 *  2. the per-version cache `~/.cache/keyspot/libtensorflow/<version>` (or `KEYSPOT_CACHE_DIR`);
 *  3. tfjs-node's own download, when its host answers (left to tfjs-node, unchanged);
 *  4. `pip download tensorflow-cpu==<version> --no-deps` (pip's configured index).
 *
 * Never fails the install: every failure is recorded in the status file with the reason and
 * the fix, and keyspot reports it once at run time.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const https = require('https');
const cp = require('child_process');

/** TensorFlow version whose C library keyspot provisions from the wheel. */
const TF_VERSION = process.env.KEYSPOT_TF_VERSION || '2.21.0';
/** The libtensorflow file name tfjs-node 4.x checks for before downloading. */
const TFJS_LIB_MARKER = 'libtensorflow.so.2.9.1';
/** Status file, in the project's node_modules so it outlives a removed optional tfjs-node. */
const STATUS_FILE = '.keyspot-native.json';

function log(msg) {
  process.stderr.write(`keyspot-native: ${msg}\n`);
}

/** Directory of the keyspot cache (libraries per TensorFlow version, built bindings). */
function cacheRoot() {
  if (process.env.KEYSPOT_CACHE_DIR) return path.resolve(process.env.KEYSPOT_CACHE_DIR);
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'keyspot');
}

/** Finds `@tensorflow/tfjs-node` from a starting directory (walks up node_modules). */
function findTfjsNode(startDir) {
  let dir = path.resolve(startDir);
  for (;;) {
    const candidate = path.join(dir, 'node_modules', '@tensorflow', 'tfjs-node');
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    // Inside node_modules/<pkg>: the sibling.
    const sibling = path.join(dir, '..', '@tensorflow', 'tfjs-node');
    if (path.basename(path.dirname(dir)) === 'node_modules' &&
        fs.existsSync(path.join(sibling, 'package.json'))) {
      return path.resolve(sibling);
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function statusPath(tfjsDir) {
  // tfjsDir is <node_modules>/@tensorflow/tfjs-node, present or not.
  return path.join(tfjsDir, '..', '..', STATUS_FILE);
}

/** Reads the provisioning status written beside the libraries, or null. */
function readStatus(tfjsDir) {
  try {
    return JSON.parse(fs.readFileSync(statusPath(tfjsDir), 'utf8'));
  } catch {
    return null;
  }
}

function writeStatus(tfjsDir, status) {
  const file = statusPath(tfjsDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ ...status, writtenAt: new Date().toISOString() }, null, 2));
  fs.renameSync(tmp, file);
}

/** True when a HEAD request to `url` answers 200 within `timeoutMs`. */
function urlAnswers(url, timeoutMs) {
  return new Promise((resolve) => {
    let done = false;
    const finish = (ok) => { if (!done) { done = true; resolve(ok); } };
    try {
      const req = https.request(url, { method: 'HEAD', timeout: timeoutMs }, (res) => {
        res.resume();
        finish(res.statusCode === 200);
      });
      req.on('timeout', () => { req.destroy(); finish(false); });
      req.on('error', () => finish(false));
      req.end();
    } catch {
      finish(false);
    }
  });
}

/** The URL tfjs-node's install script would download libtensorflow from (linux x64 cpu). */
function tfjsDownloadUrl() {
  const host = process.env.TFJS_NODE_CDN_STORAGE || process.env.CDN_STORAGE ||
    'https://storage.googleapis.com/';
  const base = process.env.TFJS_NODE_BASE_URI || `${host}tensorflow/libtensorflow/libtensorflow-`;
  return `${base}cpu-linux-x86_64-2.9.1.tar.gz`;
}

function pythonCommand() {
  for (const cmd of ['python3', 'python']) {
    const r = cp.spawnSync(cmd, ['--version'], { encoding: 'utf8' });
    if (r.status === 0) return cmd;
  }
  return null;
}

/** Downloads the tensorflow-cpu wheel with pip into `dir`; returns the wheel path. */
function pipDownloadWheel(dir) {
  const py = pythonCommand();
  if (!py) throw new Error('no python3 on PATH, so pip cannot fetch the tensorflow-cpu wheel');
  const args = ['-m', 'pip', 'download', `tensorflow-cpu==${TF_VERSION}`, '--no-deps',
    '--only-binary=:all:', '--retries', '1', '--timeout', '15', '-d', dir];
  log(`fetching tensorflow-cpu ${TF_VERSION} wheel with pip (the C library ships inside it)`);
  const r = cp.spawnSync(py, args, { encoding: 'utf8', timeout: 15 * 60 * 1000 });
  if (r.status !== 0) {
    const tail = `${r.stdout || ''}${r.stderr || ''}`.trim().split('\n').slice(-3).join(' | ');
    throw new Error(`pip download tensorflow-cpu==${TF_VERSION} failed: ${tail || r.error}`);
  }
  const wheel = fs.readdirSync(dir).find((f) => /^tensorflow_cpu-.*\.whl$/.test(f));
  if (!wheel) throw new Error(`pip download left no tensorflow_cpu wheel in ${dir}`);
  return path.join(dir, wheel);
}

/**
 * Extracts `lib/` and `include/` from a tensorflow-cpu wheel into `destDir` (created atomically).
 */
function extractWheel(wheelPath, destDir) {
  const py = pythonCommand();
  if (!py) throw new Error('no python3 on PATH to unpack the wheel');
  const tmp = `${destDir}.partial-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const script = `
import sys, zipfile, os, shutil
whl, out = sys.argv[1], sys.argv[2]
keep_inc = ('tensorflow/include/tensorflow/c/', 'tensorflow/include/tensorflow/core/platform/',
            'tensorflow/include/tsl/', 'tensorflow/include/xla/')
libs = {'tensorflow/libtensorflow_cc.so.2': 'libtensorflow_cc.so.2',
        'tensorflow/libtensorflow_framework.so.2': 'libtensorflow_framework.so.2'}
os.makedirs(os.path.join(out, 'lib'), exist_ok=True)
n = 0
with zipfile.ZipFile(whl) as z:
    for info in z.infolist():
        name = info.filename
        if name in libs:
            dst = os.path.join(out, 'lib', libs[name])
        elif name.startswith(keep_inc) and not name.endswith('/'):
            dst = os.path.join(out, 'include', name[len('tensorflow/include/'):])
        else:
            continue
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with z.open(info) as src, open(dst, 'wb') as f:
            shutil.copyfileobj(src, f, 1 << 20)
        n += 1
if not all(os.path.exists(os.path.join(out, 'lib', v)) for v in libs.values()):
    sys.exit('the wheel holds no libtensorflow_cc.so.2 / libtensorflow_framework.so.2')
print(n)
`;
  log(`unpacking the TensorFlow C library from ${path.basename(wheelPath)}`);
  const r = cp.spawnSync(py, ['-c', script, wheelPath, tmp], { encoding: 'utf8' });
  if (r.status !== 0) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new Error(`cannot unpack ${wheelPath}: ${(r.stderr || '').trim().split('\n').pop()}`);
  }
  fs.rmSync(destDir, { recursive: true, force: true });
  fs.renameSync(tmp, destDir);
}

/** Checks that `dir` holds a usable libtensorflow (lib + include); returns the lib file names. */
function checkLibDir(dir) {
  const lib = path.join(dir, 'lib');
  const inc = path.join(dir, 'include', 'tensorflow', 'c', 'c_api.h');
  const files = fs.existsSync(lib) ? fs.readdirSync(lib) : [];
  const main = files.find((f) => /^libtensorflow_cc\.so\.\d+$/.test(f)) ||
    files.find((f) => /^libtensorflow\.so\.\d+$/.test(f));
  const framework = files.find((f) => /^libtensorflow_framework\.so\.\d+$/.test(f));
  if (!main || !framework) {
    throw new Error(`${lib} must hold libtensorflow_cc.so.N (or libtensorflow.so.N) and ` +
      `libtensorflow_framework.so.N; found: ${files.join(', ') || 'nothing'}`);
  }
  if (!fs.existsSync(inc)) throw new Error(`${inc} is missing (the C API headers)`);
  return { main, framework };
}

/** Hard-links `src` to `dst` (same file system), else copies. */
function linkOrCopy(src, dst) {
  fs.rmSync(dst, { force: true });
  try {
    fs.linkSync(src, dst);
  } catch {
    fs.copyFileSync(src, dst);
  }
}

/** Puts the libraries of `libDir` where tfjs-node's build and loader expect them. */
function installIntoTfjs(libDir, tfjsDir) {
  const { main, framework } = checkLibDir(libDir);
  const deps = path.join(tfjsDir, 'deps');
  const lib = path.join(deps, 'lib');
  fs.mkdirSync(lib, { recursive: true });
  linkOrCopy(path.join(libDir, 'lib', main), path.join(lib, main));
  linkOrCopy(path.join(libDir, 'lib', framework), path.join(lib, framework));
  const links = {
    'libtensorflow.so': main,
    [TFJS_LIB_MARKER]: main,
    'libtensorflow_framework.so': framework,
  };
  for (const [name, target] of Object.entries(links)) {
    if (name === target) continue;
    fs.rmSync(path.join(lib, name), { force: true });
    fs.symlinkSync(target, path.join(lib, name));
  }
  const inc = path.join(deps, 'include');
  fs.rmSync(inc, { recursive: true, force: true });
  fs.symlinkSync(path.join(libDir, 'include'), inc, 'dir');
}

function tfjsVersion(tfjsDir) {
  return JSON.parse(fs.readFileSync(path.join(tfjsDir, 'package.json'), 'utf8')).version;
}

/** Where node-pre-gyp puts the binding for this Node (highest N-API version tfjs-node lists). */
function bindingPath(tfjsDir) {
  const pkg = JSON.parse(fs.readFileSync(path.join(tfjsDir, 'package.json'), 'utf8'));
  const supported = (pkg.binary.napi_versions || []).filter((v) => v <= Number(process.versions.napi));
  const napi = Math.max(...supported);
  return path.join(tfjsDir, 'lib', `napi-v${napi}`, 'tfjs_binding.node');
}

function bindingCachePath(tfjsDir, tag) {
  const napiDir = path.basename(path.dirname(bindingPath(tfjsDir)));
  return path.join(cacheRoot(), 'bindings',
    `tfjs-node-${tfjsVersion(tfjsDir)}-${tag}-${os.platform()}-${os.arch()}-${napiDir}`, 'tfjs_binding.node');
}

/** Resolves the libtensorflow directory to use, provisioning it if needed. */
function resolveLibDir() {
  const env = process.env.KEYSPOT_LIBTENSORFLOW;
  if (env) {
    const p = path.resolve(env);
    if (!fs.existsSync(p)) throw new Error(`KEYSPOT_LIBTENSORFLOW=${env}: no such file or directory`);
    if (fs.statSync(p).isDirectory()) {
      checkLibDir(p);
      return { dir: p, source: 'KEYSPOT_LIBTENSORFLOW directory', tag: `dir-${path.basename(p)}` };
    }
    const m = /tensorflow(?:_cpu)?-([\d.]+)-/.exec(path.basename(p));
    const version = m ? m[1] : 'custom';
    const dir = path.join(cacheRoot(), 'libtensorflow', version);
    try { checkLibDir(dir); } catch { extractWheel(p, dir); }
    return { dir, source: `KEYSPOT_LIBTENSORFLOW wheel ${p}`, tag: `tf-${version}` };
  }
  const dir = path.join(cacheRoot(), 'libtensorflow', TF_VERSION);
  try {
    checkLibDir(dir);
    return { dir, source: `cache ${dir} (from the tensorflow-cpu ${TF_VERSION} wheel)`, tag: `tf-${TF_VERSION}`, cached: true };
  } catch { /* not cached yet */ }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keyspot-wheel-'));
  try {
    const wheel = pipDownloadWheel(tmp);
    extractWheel(wheel, dir);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return { dir, source: `tensorflow-cpu ${TF_VERSION} wheel via pip, cached in ${dir}`, tag: `tf-${TF_VERSION}` };
}

/**
 * Before tfjs-node's install script: put the libraries in place (and a cached binding),
 * unless tfjs-node's own download works. Never throws.
 */
async function preinstall(startDir) {
  const tfjsDir = findTfjsNode(startDir);
  if (!tfjsDir) {
    log('@tensorflow/tfjs-node is not installed here; nothing to provision');
    return;
  }
  try {
    const forced = process.env.KEYSPOT_LIBTENSORFLOW || process.env.KEYSPOT_TF_SOURCE === 'wheel';
    if (!forced && process.env.KEYSPOT_TF_SOURCE !== 'skip-probe') {
      if (await urlAnswers(tfjsDownloadUrl(), 5000)) {
        log('tfjs-node\'s own libtensorflow download is reachable: using it unchanged');
        writeStatus(tfjsDir, { ok: null, source: `tfjs-node download ${tfjsDownloadUrl()}` });
        return;
      }
      log('tfjs-node\'s libtensorflow host is unreachable: provisioning from the tensorflow-cpu wheel');
    }
    const lib = resolveLibDir();
    installIntoTfjs(lib.dir, tfjsDir);
    const cachedBinding = bindingCachePath(tfjsDir, lib.tag);
    if (fs.existsSync(cachedBinding)) {
      const dst = bindingPath(tfjsDir);
      fs.mkdirSync(path.dirname(dst), { recursive: true });
      fs.copyFileSync(cachedBinding, dst);
      log(`reusing the binding built before (${cachedBinding})`);
    }
    writeStatus(tfjsDir, { ok: null, source: lib.source, libDir: lib.dir, tag: lib.tag });
  } catch (err) {
    writeStatus(tfjsDir, { ok: false, stage: 'provision', error: String(err.message || err) });
    log(`could not provision the TensorFlow C library: ${err.message || err}`);
  }
}

/** Loads tfjs-node in a child process; returns {ok, backend, tfVersion, error}. */
function probeLoad(tfjsDir) {
  const code = `
    const tf = require(${JSON.stringify(tfjsDir)});
    process.stdout.write(JSON.stringify({ backend: tf.getBackend(), tfVersion: tf.version.tfjs,
      nativeVersion: tf.backend().binding ? tf.backend().binding.TF_Version : null }));`;
  const r = cp.spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', timeout: 120000 });
  if (r.status !== 0) {
    const msg = (r.stderr || String(r.error || '')).trim().split('\n').filter(Boolean);
    return { ok: false, error: msg.find((l) => /Error/.test(l)) || msg.pop() || 'unknown error' };
  }
  try {
    const info = JSON.parse(r.stdout.trim().split('\n').pop());
    return { ok: info.backend === 'tensorflow', ...info };
  } catch {
    return { ok: false, error: `unexpected output: ${r.stdout}` };
  }
}

/** After tfjs-node's install script: check the binding loads, cache it, record the status. */
function postinstall(startDir, opts = {}) {
  const tfjsDir = findTfjsNode(startDir);
  if (!tfjsDir) return;
  const before = readStatus(tfjsDir) || {};
  if (before.ok === false) return;
  const probe = probeLoad(tfjsDir);
  if (probe.ok) {
    if (before.tag) {
      const cached = bindingCachePath(tfjsDir, before.tag);
      if (!fs.existsSync(cached)) {
        fs.mkdirSync(path.dirname(cached), { recursive: true });
        fs.copyFileSync(bindingPath(tfjsDir), `${cached}.tmp`);
        fs.renameSync(`${cached}.tmp`, cached);
      }
    }
    writeStatus(tfjsDir, { ...before, ok: true, nativeVersion: probe.nativeVersion });
    log(`native TensorFlow backend ready (libtensorflow ${probe.nativeVersion}; ${before.source})`);
    recordGraphAddon(tfjsDir, opts);
  } else {
    writeStatus(tfjsDir, { ...before, ok: false, stage: 'load', error: probe.error });
    log(`tfjs-node does not load: ${probe.error}`);
  }
}

/** Builds the tfjs-node binding with node-gyp (used by `npm run provision`). */
function buildBinding(tfjsDir) {
  const dst = bindingPath(tfjsDir);
  const napi = /napi-v(\d+)/.exec(dst)[1];
  const args = [nodeGypPath(), 'rebuild', ...nodedirArgs(), '--', `-Dnapi_build_version=${napi}`,
    '-Dmodule_name=tfjs_binding', `-Dmodule_path=lib/napi-v${napi}`];
  log('building the tfjs-node binding with node-gyp');
  const r = cp.spawnSync(process.execPath, args, { cwd: tfjsDir, encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`node-gyp failed: ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}`);
  }
  fs.mkdirSync(path.dirname(dst), { recursive: true });
  const built = path.join(tfjsDir, 'build', 'Release', 'tfjs_binding.node');
  if (fs.existsSync(built) && !fs.existsSync(dst)) fs.copyFileSync(built, dst);
}

/** The node-gyp that ships with npm. */
function nodeGypPath() {
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules',
      'node-gyp', 'bin', 'node-gyp.js'),
  ].filter(Boolean);
  const gyp = candidates.find((c) => fs.existsSync(c));
  if (!gyp) throw new Error('node-gyp not found (it ships with npm)');
  return gyp;
}

/** `--nodedir=<dir>` when npm is configured with Node's headers (no header download needed). */
function nodedirArgs() {
  const nodedir = cp.spawnSync('npm', ['config', 'get', 'nodedir'], { encoding: 'utf8' }).stdout.trim();
  return nodedir && nodedir !== 'undefined' && nodedir !== 'null' ? [`--nodedir=${nodedir}`] : [];
}

/**
 * Folder of keyspot's graph addon sources (`native/graph`, with binding.gyp). The sources stay
 * in the keyspot project (not in this package): the project that holds node_modules (keyspot
 * itself), or node_modules/keyspot when keyspot is a dependency; KEYSPOT_GRAPH_ADDON_SRC overrides.
 */
function graphAddonSource(tfjsDir) {
  const nodeModules = path.resolve(tfjsDir, '..', '..');
  const candidates = [
    process.env.KEYSPOT_GRAPH_ADDON_SRC,
    process.env.INIT_CWD && path.join(process.env.INIT_CWD, 'native', 'graph'),
    path.join(path.dirname(nodeModules), 'native', 'graph'),
    path.join(nodeModules, 'keyspot', 'native', 'graph'),
  ].filter(Boolean);
  return candidates.find((d) => fs.existsSync(path.join(d, 'binding.gyp'))) || null;
}

/** Cache file of a built graph addon: keyed by TensorFlow tag, platform and a hash of the sources. */
function graphAddonCachePath(src, tag) {
  const hash = require('crypto').createHash('sha256');
  for (const f of fs.readdirSync(src).filter((n) => /\.(cc|h|gyp)$/.test(n)).sort()) {
    hash.update(f).update(fs.readFileSync(path.join(src, f)));
  }
  return path.join(cacheRoot(), 'bindings',
    `keyspot-graph-${tag}-${os.platform()}-${os.arch()}-${hash.digest('hex').slice(0, 12)}`, 'keyspot_graph.node');
}

/**
 * Builds keyspot's graph addon (native/graph) against tfjs-node's deps (headers + libraries),
 * or copies it from the cache, then checks that it loads. Never throws: returns {ok, error}.
 * @param {string} tfjsDir @tensorflow/tfjs-node folder (deps/include, deps/lib in place)
 * @param {{force?: boolean, tag?: string, libDir?: string}} [opts]
 */
function buildGraphAddon(tfjsDir, opts = {}) {
  try {
    const src = graphAddonSource(tfjsDir);
    if (!src) return { ok: false, error: 'the graph addon sources (native/graph/binding.gyp) were not found' };
    const out = path.join(src, 'build', 'Release', 'keyspot_graph.node');
    const cached = graphAddonCachePath(src, opts.tag || 'tfjs-deps');
    let builtFrom;
    if (!opts.force && fs.existsSync(cached)) {
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.copyFileSync(cached, out);
      builtFrom = `cache ${cached}`;
    } else {
      const deps = path.join(tfjsDir, 'deps');
      const args = [nodeGypPath(), 'rebuild', ...nodedirArgs()];
      args.push('--', `-Dtf_dir=${deps}`, `-Dtf_runtime_lib_dir=${opts.libDir ? path.join(opts.libDir, 'lib') : path.join(deps, 'lib')}`);
      log('building the graph addon (native/graph) with node-gyp');
      const r = cp.spawnSync(process.execPath, args, { cwd: src, encoding: 'utf8' });
      if (r.status !== 0) {
        const tail = `${r.stdout || ''}${r.stderr || ''}`.trim().split('\n').filter((l) => /error|Error/.test(l)).slice(-3).join(' | ');
        return { ok: false, error: `node-gyp failed in ${src}: ${tail || r.error || `exit ${r.status}`}` };
      }
      fs.mkdirSync(path.dirname(cached), { recursive: true });
      fs.copyFileSync(out, `${cached}.tmp`);
      fs.renameSync(`${cached}.tmp`, cached);
      builtFrom = `node-gyp in ${src} (cached in ${cached})`;
    }
    const code = `require(${JSON.stringify(tfjsDir)}); process.stdout.write(require(${JSON.stringify(out)}).TF_Version);`;
    const probe = cp.spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', timeout: 120000 });
    if (probe.status !== 0) {
      const msg = (probe.stderr || String(probe.error || '')).trim().split('\n').filter(Boolean);
      return { ok: false, error: `built ${out} but it does not load: ${msg.find((l) => /Error/.test(l)) || msg.pop()}` };
    }
    return { ok: true, path: out, tensorflowVersion: probe.stdout.trim(), builtFrom };
  } catch (err) {
    return { ok: false, error: String(err.message || err) };
  }
}

/** Builds the graph addon and records the outcome as `graphAddon` in the status file. */
function recordGraphAddon(tfjsDir, opts) {
  const status = readStatus(tfjsDir) || {};
  const graphAddon = buildGraphAddon(tfjsDir, { force: opts.force, tag: status.tag, libDir: status.libDir });
  writeStatus(tfjsDir, { ...status, graphAddon });
  if (graphAddon.ok) log(`graph addon ready (${graphAddon.builtFrom})`);
  else log(`graph addon NOT built, training will run eager (3x slower): ${graphAddon.error}`);
}

/**
 * Full provisioning outside `npm install`: libraries, binding, load check. Returns the status.
 * @param {string} startDir directory to find node_modules from
 * @param {{force?: boolean}} [opts]
 */
async function ensure(startDir, opts = {}) {
  let tfjsDir = findTfjsNode(startDir);
  if (!tfjsDir) {
    // tfjs-node is an optional dependency: npm removes it when its install script fails.
    // Put its files back without scripts; the libraries and binding are provisioned below.
    let spec = '@tensorflow/tfjs-node';
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(startDir, 'package.json'), 'utf8'));
      const v = (pkg.optionalDependencies || {})[spec] || (pkg.dependencies || {})[spec];
      if (v) spec = `${spec}@${v}`;
    } catch { /* no package.json: latest */ }
    log(`${spec} is missing; installing its files (without scripts)`);
    const r = cp.spawnSync('npm', ['install', '--no-save', '--ignore-scripts', spec],
      { cwd: startDir, encoding: 'utf8' });
    tfjsDir = findTfjsNode(startDir);
    if (r.status !== 0 || !tfjsDir) {
      return { ok: false, error: `@tensorflow/tfjs-node is not installed and npm install ${spec} failed: ${(r.stderr || '').trim().split('\n').pop()}` };
    }
  }
  const status = readStatus(tfjsDir);
  if (!opts.force && status && status.ok === true && fs.existsSync(bindingPath(tfjsDir))) {
    const src = graphAddonSource(tfjsDir);
    const built = src && fs.existsSync(path.join(src, 'build', 'Release', 'keyspot_graph.node'));
    if (!(status.graphAddon && status.graphAddon.ok && built)) recordGraphAddon(tfjsDir, {});
    return readStatus(tfjsDir);
  }
  try {
    const lib = resolveLibDir();
    installIntoTfjs(lib.dir, tfjsDir);
    const cached = bindingCachePath(tfjsDir, lib.tag);
    const dst = bindingPath(tfjsDir);
    if (!opts.force && fs.existsSync(cached)) {
      fs.mkdirSync(path.dirname(dst), { recursive: true });
      fs.copyFileSync(cached, dst);
    } else {
      buildBinding(tfjsDir);
    }
    writeStatus(tfjsDir, { ok: null, source: lib.source, libDir: lib.dir, tag: lib.tag });
  } catch (err) {
    writeStatus(tfjsDir, { ok: false, stage: 'provision', error: String(err.message || err) });
    return readStatus(tfjsDir);
  }
  postinstall(startDir, { force: opts.force });
  return readStatus(tfjsDir);
}

module.exports = {
  TF_VERSION, STATUS_FILE, cacheRoot, findTfjsNode, readStatus, preinstall, postinstall, ensure,
  probeLoad, bindingPath, buildGraphAddon, graphAddonSource,
};

if (require.main === module) {
  const cmd = process.argv[2];
  // Run from node_modules/keyspot-native-provision: start from the project that installs us.
  const start = process.env.INIT_CWD || process.cwd();
  const from = findTfjsNode(__dirname) ? __dirname : start;
  const run = cmd === 'preinstall' ? preinstall(from)
    : cmd === 'postinstall' ? Promise.resolve(postinstall(from))
      : ensure(from, { force: process.argv.includes('--force') });
  run.then(() => process.exit(0), (err) => { log(String(err)); process.exit(0); });
}
