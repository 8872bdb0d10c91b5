import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin, type ProxyOptions } from 'vite';
import { precompress } from './scripts/precompress-plugin.mjs';
import { preloadDynamicStart } from './scripts/preload-start-plugin.mjs';
import { serviceWorker } from './scripts/service-worker-plugin.mjs';

const apiServer = 'http://localhost:3000';
const fromHere = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/**
 * The dev server mirrors what the API server does in production (apps/server web.routes.ts):
 * the firm's routes get firm.html, the client space gets client.html.
 */
function multiPageFallback(): Plugin {
  const firmPaths = /^\/(?:$|portefeuille|clients|dossiers|parametres|pieces)(?:[/?#]|$)/;
  const clientPaths = /^\/espace(?:[/?#]|$)/;
  return {
    name: 'passerelle-multi-page-fallback',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        const url = req.url ?? '/';
        const accept = req.headers.accept ?? '';
        if (req.method === 'GET' && accept.includes('text/html')) {
          if (clientPaths.test(url)) req.url = '/client.html';
          else if (firmPaths.test(url)) req.url = '/firm.html';
        }
        next();
      });
    },
  };
}

/**
 * The very last step of a build: `dist/build.json` records when the build began. `npm start`
 * (scripts/start.mjs) rebuilds when it is missing (no build, or one cut short: its pages may be
 * there without the service worker or the compressed copies) or older than a source.
 */
function buildStamp(): Plugin {
  let outDir = 'dist';
  let startedAt = 0;
  return {
    name: 'passerelle-build-stamp',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    buildStart() {
      startedAt = Date.now();
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      handler() {
        writeFileSync(
          path.join(outDir, 'build.json'),
          `${JSON.stringify({ startedAt, finishedAt: Date.now() })}\n`,
        );
      },
    },
  };
}

const proxyToApi: ProxyOptions = {
  target: apiServer,
  // The API refuses a state-changing request whose Origin is not its own; in development the
  // page comes from Vite's port, so the proxied request presents the API's origin instead.
  configure: (proxy) => {
    proxy.on('proxyReq', (proxyReq) => {
      if (proxyReq.getHeader('origin')) proxyReq.setHeader('origin', apiServer);
    });
  },
};

export default defineConfig(({ command }) => {
  // A build is what `npm start` serves: always the production build, even when the environment says
  // NODE_ENV=development. Vite and the React plugin would otherwise take it from there and ship
  // React's development build and the development JSX runtime (~60 KB more gzipped, several times
  // slower; a first `npm start` from such a shell built that).
  if (command === 'build') process.env.NODE_ENV = 'production';
  return {
    base: '/',
    plugins: [
      react(),
      multiPageFallback(),
      preloadDynamicStart(),
      serviceWorker({ source: fromHere('./src/client/pwa/sw.js') }),
      // Last: compresses what the others wrote, the service worker included (docs/decisions/110).
      precompress(),
      // After it: the build is complete (scripts/start.mjs reads it).
      buildStamp(),
    ],
    server: {
      proxy: { '/api': proxyToApi, '/auth': proxyToApi, '/idp': proxyToApi, '/mailbox': proxyToApi },
    },
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      assetsDir: 'assets',
      target: 'es2022',
      // Every browser we target preloads modules natively; the polyfill would be one more request.
      modulePreload: { polyfill: false },
      rolldownOptions: {
        input: { firm: fromHere('./firm.html'), client: fromHere('./client.html') },
        output: {
          // Long-lived vendor chunks, cached across deploys; the firm's libraries never reach the
          // client space, whose initial download must stay small (see docs/decisions/040).
          codeSplitting: {
            groups: [
              { name: 'react', test: /node_modules[\\/](?:react|react-dom|scheduler)[\\/]/, priority: 3 },
              {
                name: 'i18n',
                test: /node_modules[\\/](?:i18next|react-i18next|html-parse-stringify|void-elements|use-sync-external-store)[\\/]/,
                priority: 2,
              },
              // The application code both spaces share: API client, translations, common components.
              // Not the style sheets: an entry importing one would otherwise load this whole chunk
              // (and React with it) before it could run; the client entry must stay tiny.
              {
                name: 'shared',
                test: /[\\/]src[\\/](?:lib|i18n|components|styles|assets)[\\/].*(?<!\.css)$/,
                priority: 0,
              },
              {
                name: 'firm-vendor',
                test: /node_modules[\\/](?:react-router|@tanstack|cookie|set-cookie-parser)[\\/]/,
                priority: 1,
              },
            ],
          },
        },
      },
    },
  };
});
