#!/usr/bin/env node
// `npm start`: builds the web assets when missing or older than their sources, compiles the server to JavaScript when its
// sources changed, then runs it with plain `node` (docs/decisions/150-run-the-server-compiled.md).
//
//   node scripts/start.mjs               build what is stale, then run the server
//   node scripts/start.mjs --build-only  build what is stale, then exit
//
// buildServer() is also what the benchmarks call, so they measure the server as it runs here.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webDist = path.join(root, 'apps/web/dist');
const thisScript = fileURLToPath(import.meta.url);

/**
 * V8 flags the server runs with (docs/decisions/152). The server's heap is small (≈ 24 MB live), so
 * V8's old-generation limit after a full collection leaves little headroom, and V8 counts the
 * external memory allocated since then (the HTTP parser's 64 KiB body chunks, freed only by the
 * next scavenge) against it: during an upload, V8 could fall into starting a full mark-compact
 * every ~20 MB received, for the rest of the process's life (about half the processes in the upload
 * benchmark, 0.95 → 0.5 GiB/s). `--initial-old-space-size=64` makes 64 MB the limit's floor;
 * `--max-semi-space-size=8` keeps the young generation (and what V8 reserves for it) at 8 MiB per
 * semi-space. The benchmarks run the server with the same flags.
 */
export const serverNodeFlags = ['--max-semi-space-size=8', '--initial-old-space-size=64'];

/** Where `npm start` puts the compiled server (git-ignored, like every `dist/`). */
export const serverOutdir = path.join(root, 'apps/server/dist/server');

/**
 * Compiles entry points (TypeScript, default the server's main.ts) with esbuild: one ES module per
 * entry plus shared chunks (code loaded by a dynamic `import()` stays lazy). The project's own
 * code, the workspace packages included, is bundled; the npm packages are not: they load from
 * node_modules as they do under tsx. `import.meta.url` in a source file keeps pointing at that
 * source file, so the paths built from it (migrations, assets, the hash worker, the web app's
 * dist) are the same as under tsx.
 *
 * Each build goes to a folder of its own beside `outdir` (`<outdir>-<time>-<pid>`), and
 * `<outdir>.json` names the current one; it is replaced atomically, so a start running at the same
 * time never sees half a build, and a server still running from the previous build keeps its files.
 * Skipped when the current build's inputs (and this script) are all older than it. Returns the
 * path of each entry's compiled file, in order.
 */
export async function buildServer({
  entryPoints = [path.join(root, 'apps/server/src/main.ts')],
  outdir = serverOutdir,
} = {}) {
  const parent = path.dirname(outdir);
  const pointerFile = `${outdir}.json`;
  const outputsIn = (dir) => entryPoints.map((entry) => path.join(dir, `${path.basename(entry, '.ts')}.mjs`));
  const current = readCurrent(pointerFile, parent);
  if (current && isFresh(path.join(current, 'build.json'), entryPoints)) return outputsIn(current);

  const esbuild = await import('esbuild');
  // Inputs are compared with the time the build began: a file saved during it is seen as newer.
  const startedAt = Date.now();
  const dir = path.join(parent, `${path.basename(outdir)}-${startedAt}-${process.pid}`);
  const result = await esbuild.build({
    entryPoints,
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    entryNames: '[name]',
    // Chunks beside the entries: the rewritten import.meta.url is relative to this folder.
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    plugins: [externalPackages(), sourceImportMetaUrl(dir)],
  });
  if (result.errors.length > 0) throw new Error('the server build failed');
  const inputs = Object.keys(result.metafile.inputs).map((input) => path.resolve(process.cwd(), input));
  writeFileSync(
    path.join(dir, 'build.json'),
    `${JSON.stringify({ esbuild: esbuild.version, startedAt, entryPoints, inputs }, null, 2)}\n`,
  );
  const pointerTemp = `${pointerFile}.${process.pid}.tmp`;
  writeFileSync(pointerTemp, `${JSON.stringify({ dir: path.basename(dir) })}\n`);
  renameSync(pointerTemp, pointerFile);
  removeOldBuilds(outdir, [dir, current]);
  return outputsIn(dir);
}

/** The folder `<outdir>.json` names, if it still exists. */
function readCurrent(pointerFile, parent) {
  try {
    const { dir } = JSON.parse(readFileSync(pointerFile, 'utf8'));
    const full = path.join(parent, dir);
    return existsSync(full) ? full : null;
  } catch {
    return null;
  }
}

/**
 * Keeps the new build and the one it replaces (a server may still be running from it, and load a
 * chunk later); removes the builds older than both. Builds newer than the one replaced may be in
 * progress in another process: they stay too.
 */
function removeOldBuilds(outdir, keep) {
  const parent = path.dirname(outdir);
  const prefix = `${path.basename(outdir)}-`;
  /** The start time in a build folder's name (`<outdir>-<time>-<pid>`), or NaN. */
  const timeOf = (name) =>
    name.startsWith(prefix) ? Number(/^(\d+)-\d+$/.exec(name.slice(prefix.length))?.[1]) : Number.NaN;
  const kept = keep.filter(Boolean).map((dir) => path.basename(dir));
  const oldestKept = Math.min(...kept.map(timeOf));
  for (const name of readdirSync(parent)) {
    if (timeOf(name) < oldestKept && !kept.includes(name))
      rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

/** The build is fresh when it exists for these entries and nothing it was made from is newer. */
function isFresh(stampFile, entryPoints) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    return false;
  }
  const builtAt = stamp.startedAt;
  if (typeof builtAt !== 'number' || JSON.stringify(stamp.entryPoints) !== JSON.stringify(entryPoints))
    return false;
  // A file that appears only matters once an existing input imports it, and that input changes.
  for (const file of [thisScript, ...stamp.inputs]) {
    try {
      if (statSync(file).mtimeMs >= builtAt) return false;
    } catch {
      return false; // an input was deleted or moved
    }
  }
  return true;
}

/** npm packages stay imports from node_modules; the workspace packages (TypeScript) are bundled. */
function externalPackages() {
  return {
    name: 'external-packages',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith('@passerelle/')) return undefined;
        return { path: args.path, external: true };
      });
    },
  };
}

/**
 * `import.meta.url` in a bundled source means the bundle, not the source: rewrite it to the
 * source's URL, relative to the output so the build does not depend on where the repository is.
 */
function sourceImportMetaUrl(outdir) {
  return {
    name: 'source-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return { contents: source, loader: 'ts' };
        const relative = path.relative(outdir, args.path).split(path.sep).join('/');
        return {
          contents: source.replaceAll(
            'import.meta.url',
            `new URL(${JSON.stringify(relative)}, import.meta.url).href`,
          ),
          loader: 'ts',
        };
      });
    },
  };
}

/** What the web build is made from: its sources, its configuration, the shared contracts, the lockfile. */
const webInputs = [
  'apps/web/src',
  'apps/web/public',
  'apps/web/scripts',
  'apps/web/client.html',
  'apps/web/firm.html',
  'apps/web/vite.config.ts',
  'apps/web/package.json',
  'packages/contracts/src',
  'package-lock.json',
].map((input) => path.join(root, input));

/** The newest modification time under these files and folders (0 when none exists). */
function newestMtime(paths) {
  let newest = 0;
  for (const entry of paths) {
    let stat;
    try {
      stat = statSync(entry);
    } catch {
      continue;
    }
    newest = Math.max(newest, stat.mtimeMs);
    if (stat.isDirectory())
      newest = Math.max(newest, newestMtime(readdirSync(entry).map((name) => path.join(entry, name))));
  }
  return newest;
}

/**
 * Why the web build must be made again, or undefined when it is current: no build yet, a build cut
 * short (its pages may exist without the service worker or the compressed copies: only a finished
 * build writes `build.json`, apps/web/vite.config.ts), or a source changed since the build began
 * (an update, a `git pull`): `npm start` must not serve the previous version's pages.
 */
export function webBuildIsStale(dist = webDist, inputs = webInputs) {
  let startedAt;
  try {
    startedAt = JSON.parse(readFileSync(path.join(dist, 'build.json'), 'utf8')).startedAt;
  } catch {
    return existsSync(path.join(dist, 'client.html')) ? 'unfinished build' : 'first start';
  }
  if (typeof startedAt !== 'number') return 'unfinished build';
  return newestMtime(inputs) >= startedAt ? 'sources changed' : undefined;
}

async function main() {
  const stale = webBuildIsStale();
  if (stale) {
    const why = {
      'first start': 'first start',
      'unfinished build': 'the last build did not finish',
      'sources changed': 'its sources changed',
    };
    console.log(`Building the web app (${why[stale]})…`);
    const build = spawnSync('npm', ['run', 'build', '-w', 'apps/web'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  const [serverMain] = await buildServer();
  if (process.argv.includes('--build-only')) return;

  const server = spawn(process.execPath, [...serverNodeFlags, serverMain], { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
  server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

// Imported (by a benchmark, for buildServer) it does nothing else.
if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) await main();
