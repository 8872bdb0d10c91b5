// Writes a Brotli (`.br`) and a gzip (`.gz`) copy next to every text file of the build (scripts,
// styles, HTML pages, the service worker, the manifest, SVG), once, at the highest levels: the
// server picks the copy the browser accepts (apps/server web.routes.ts, @fastify/static
// `preCompressed`) and never compresses on the fly. A copy that would not save at least
// `minSaving` of the file is not written, so the server sends the file itself.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const compressible = /\.(?:js|mjs|css|html|svg|webmanifest|json|txt)$/;

/** Every file under `dir`, recursively. */
function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

/**
 * @param {{ minBytes?: number, minSaving?: number }} [options]
 * @returns {import('vite').Plugin}
 */
export function precompress({ minBytes = 512, minSaving = 0.1 } = {}) {
  let outDir = 'dist';
  return {
    name: 'passerelle-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    // After every other plugin has written its files (the service worker comes from closeBundle).
    closeBundle: {
      order: 'post',
      sequential: true,
      handler() {
        for (const file of filesUnder(outDir)) {
          if (!compressible.test(file) || statSync(file).size < minBytes) continue;
          const content = readFileSync(file);
          const brotli = brotliCompressSync(content, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
              [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
              [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
            },
          });
          const gzip = gzipSync(content, { level: 9 });
          const worth = (copy) => copy.length <= content.length * (1 - minSaving);
          if (worth(brotli)) writeFileSync(`${file}.br`, brotli);
          if (worth(gzip)) writeFileSync(`${file}.gz`, gzip);
        }
      },
    },
  };
}
