/**
 * Loads the full library bundle (spec-session.cjs, beside the hook) for the events that need it,
 * with a V8 code cache: compiling the 750 KB bundle is most of its start-up cost, and Node 20 has
 * no built-in compile cache. The cache lives in the project's machine-local state folder (never a
 * shared temp folder: another user could plant bytecode there), keyed by the bundle's size and
 * mtime; a stale or rejected cache is simply rebuilt.
 */
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import Module from 'node:module';

export function loadLibrary<T>(): T {
  const file = path.join(__dirname, 'spec-session.cjs');
  const stat = fs.statSync(file);
  const project = process.env.CLAUDE_PROJECT_DIR;
  const cacheFile = project
    ? path.join(
        project,
        '.claude',
        'spec-session',
        'state',
        'code-cache',
        `${stat.size}-${Math.trunc(stat.mtimeMs)}-${process.version}.bin`,
      )
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
  if (cacheFile && (!cachedData || script.cachedDataRejected)) {
    try {
      fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
      const temp = `${cacheFile}.${process.pid}`;
      fs.writeFileSync(temp, script.createCachedData());
      fs.renameSync(temp, cacheFile);
      // Caches of earlier bundles are of no more use.
      for (const old of fs.readdirSync(path.dirname(cacheFile)))
        if (old !== path.basename(cacheFile) && old.endsWith('.bin'))
          fs.rmSync(path.join(path.dirname(cacheFile), old), { force: true });
    } catch {
      // no cache this time
    }
  }
  return mod.exports;
}
