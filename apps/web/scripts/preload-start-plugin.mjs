// The client space's entry script is tiny: it sends the first API requests, then imports the app
// (React, the pages) dynamically. Left alone, the browser would discover those modules only once
// the entry had run; this adds them to the page as <link rel="modulepreload"> (and their styles
// as stylesheets), so they download in parallel with the entry from the first byte of HTML.
// `npm run size` counts every preloaded module in the page's initial JavaScript.
import path from 'node:path';

/** @returns {import('vite').Plugin} */
export function preloadDynamicStart({ page = 'client.html' } = {}) {
  let base = '/';
  return {
    name: 'passerelle-preload-dynamic-start',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        if (path.basename(ctx.filename) !== page || !ctx.bundle || !ctx.chunk) return html;
        const modules = new Set();
        const styles = new Set();
        const visit = (file) => {
          const chunk = ctx.bundle[file];
          if (chunk?.type !== 'chunk' || modules.has(file)) return;
          modules.add(file);
          // A chunk's styles after those of the chunks it imports, as Vite orders them.
          for (const imported of chunk.imports) visit(imported);
          for (const css of chunk.viteMetadata?.importedCss ?? []) styles.add(css);
        };
        for (const file of ctx.chunk.dynamicImports) visit(file);
        const absent = (file) => !html.includes(`"${base}${file}"`);
        const tags = [
          ...[...modules].filter(absent).map((file) => ({
            tag: 'link',
            attrs: { rel: 'modulepreload', crossorigin: true, href: `${base}${file}` },
            injectTo: 'head',
          })),
          ...[...styles].filter(absent).map((file) => ({
            tag: 'link',
            attrs: { rel: 'stylesheet', crossorigin: true, href: `${base}${file}` },
            injectTo: 'head',
          })),
        ];
        return { html, tags };
      },
    },
  };
}
