/**
 * Loads a CommonJS bundle with a V8 code cache: compiling the 750 KB full bundle is most of a
 * short command's start-up, and Node 20 has no built-in compile cache. The cache lives in a
 * machine-local folder of the user's (never a shared temp folder: another user could plant bytecode
 * there), named for the bundle's path, size and mtime and node's version. V8 checks the source
 * itself too; a stale or rejected cache is simply made again.
 */
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import Module from 'node:module';

/**
 * `shared`: the folder holds other bundles' caches too (the user's cache folder), so only this
 * file's earlier ones are cleared; else (a project's state folder, the hook's alone) every other one.
 */
export function loadWithCodeCache<T>(file: string, cacheDir: string | undefined, { shared = true } = {}): T {
  const stat = fs.statSync(file);
  const owner = fnv(file);
  const cacheFile = cacheDir
    ? path.join(cacheDir, `${owner}-${stat.size}-${Math.trunc(stat.mtimeMs)}-${process.version}.bin`)
    : undefined;
  let source = fs.readFileSync(file, 'utf8');
  if (source.startsWith('#!')) source = `//${source.slice(2)}`;
  let cachedData: Buffer | undefined;
  try {
    if (cacheFile) cachedData = fs.readFileSync(cacheFile);
  } catch {
    // first run with this bundle
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const wrapper = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: { exports: unknown },
    filename: string,
    dirname: string,
  ) => void;
  const mod = { exports: {} as T };
  wrapper.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  // Made at exit, so the cache also holds every function this run compiled on first call (the
  // command's own code), not only the bundle's start-up: the next run compiles none of them.
  if (cacheFile && (!cachedData || script.cachedDataRejected))
    process.once('exit', () => saveCache(script, cacheFile, owner, shared));
  return mod.exports;
}

function saveCache(script: vm.Script, cacheFile: string, owner: string, shared: boolean): void {
  try {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    const temp = `${cacheFile}.${process.pid}`;
    fs.writeFileSync(temp, script.createCachedData());
    fs.renameSync(temp, cacheFile);
    // Caches of this file's earlier builds are of no more use, nor those named as 0.1 named them
    // (size-mtime-node.bin); other bundles' are left alone.
    for (const old of fs.readdirSync(path.dirname(cacheFile)))
      if (
        old !== path.basename(cacheFile) &&
        old.endsWith('.bin') &&
        (!shared || old.startsWith(`${owner}-`) || UNOWNED.test(old))
      )
        fs.rmSync(path.join(path.dirname(cacheFile), old), { force: true });
  } catch {
    // no cache this time: the next run tries again
  }
}

const UNOWNED = /^\d+-\d+-v[\d.]+\.bin$/;

/** A short stable name for a path (FNV-1a, hex). */
function fnv(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}
