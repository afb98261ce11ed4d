/**
 * Atomic file and folder writes: content goes to a temporary sibling, is flushed, then renamed
 * into place, so a crash never leaves a half-written model or checkpoint behind.
 */
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

let counter = 0;

function tmpSibling(target: string, tag: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${tag}-${process.pid}-${Date.now()}-${counter++}`);
}

/** Writes `data` to `file` and flushes it to disk before returning. */
export async function writeFileSynced(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await fs.open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes a file atomically: temporary sibling, flush, rename over `file`. Creates the parent folder. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = tmpSibling(file, 'tmp');
  try {
    await writeFileSynced(tmp, data);
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/** Synchronous {@link writeFileAtomic} (temporary sibling, flush, rename; creates the parent folder). */
export function writeFileAtomicSync(file: string, data: string | Uint8Array): void {
  fsSync.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = tmpSibling(file, 'tmp');
  try {
    const fd = fsSync.openSync(tmp, 'w');
    try {
      fsSync.writeFileSync(fd, data);
      fsSync.fsyncSync(fd);
    } finally {
      fsSync.closeSync(fd);
    }
    fsSync.renameSync(tmp, file);
  } catch (err) {
    fsSync.rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * Creates or replaces folder `dir` atomically: `fill(tmpDir)` writes the content into a fresh
 * temporary sibling folder, which is then renamed to `dir`. An existing `dir` is first renamed
 * aside and removed after the swap (readers see either the old or the new folder complete;
 * between the two renames, for a moment, none). With `keepOtherEntries`, entries of the old
 * folder that the new content does not have (reports, checkpoints) are moved over first.
 */
export async function writeDirAtomic(dir: string, fill: (tmpDir: string) => Promise<void>, options: { keepOtherEntries?: boolean } = {}): Promise<void> {
  await fs.mkdir(path.dirname(path.resolve(dir)), { recursive: true });
  const tmp = tmpSibling(dir, 'tmp');
  await fs.mkdir(tmp);
  try {
    await fill(tmp);
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw err;
  }
  let old: string | undefined;
  try {
    await fs.rename(tmp, dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EISDIR' && code !== 'ENOTDIR') {
      await fs.rm(tmp, { recursive: true, force: true });
      throw err;
    }
    if (options.keepOtherEntries) {
      const fresh = new Set(await fs.readdir(tmp));
      for (const entry of await fs.readdir(dir)) {
        if (!fresh.has(entry)) await fs.rename(path.join(dir, entry), path.join(tmp, entry));
      }
    }
    old = tmpSibling(dir, 'old');
    await fs.rename(dir, old);
    await fs.rename(tmp, dir);
  }
  if (old) await fs.rm(old, { recursive: true, force: true });
}
