// Writes dist/sw.js after the build: the worker of src/client/pwa/sw.js with the list of files
// client.html loads (hashed scripts, styles, the manifest and its icons) and a version that
// changes whenever one of them does, so that a deploy installs a new worker and drops old caches.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** @returns {import('vite').Plugin} */
export function serviceWorker({ source, page = 'client.html', output = 'sw.js' }) {
  let outDir = 'dist';
  return {
    name: 'passerelle-service-worker',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const html = readFileSync(path.join(outDir, page), 'utf8');
      const files = new Set([...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]));
      for (const file of [...files]) {
        if (!file.endsWith('.webmanifest')) continue;
        const manifest = JSON.parse(readFileSync(path.join(outDir, file), 'utf8'));
        for (const icon of manifest.icons ?? []) files.add(icon.src);
      }
      const precache = [...files].sort();
      const version = createHash('sha256').update(precache.join('\n')).digest('hex').slice(0, 12);
      const worker = readFileSync(source, 'utf8')
        .replace("'__PASSERELLE_VERSION__'", JSON.stringify(version))
        .replace('__PASSERELLE_PRECACHE__', JSON.stringify(precache));
      writeFileSync(path.join(outDir, output), worker);
    },
  };
}
