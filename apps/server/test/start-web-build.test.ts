import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ES module script without type declarations
import { webBuildIsStale } from '../../../scripts/start.mjs';

/**
 * `npm start` rebuilds the web pages when there is no finished build (apps/web's last build step
 * writes dist/build.json) or a source changed since the build began.
 */
describe('npm start: when the web app is rebuilt', () => {
  let dir: string;
  let dist: string;
  let sources: string;
  const at = (seconds: number) => new Date(1_800_000_000_000 + seconds * 1000);

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'passerelle-web-build-'));
    dist = path.join(dir, 'dist');
    sources = path.join(dir, 'src');
    const page = path.join(sources, 'client', 'features', 'page.tsx');
    await mkdir(path.dirname(page), { recursive: true });
    await mkdir(dist);
    await writeFile(page, 'export {};');
    for (const entry of [page, path.dirname(page), path.join(sources, 'client'), sources])
      await utimes(entry, at(0), at(0));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** What a build leaves: its pages, and the stamp when it got to its last step. */
  async function build(startedAtSeconds: number, { finished = true } = {}) {
    for (const page of ['firm.html', 'client.html'])
      await writeFile(path.join(dist, page), '<!doctype html>');
    if (finished)
      await writeFile(
        path.join(dist, 'build.json'),
        JSON.stringify({
          startedAt: at(startedAtSeconds).getTime(),
          finishedAt: at(startedAtSeconds + 5).getTime(),
        }),
      );
  }

  it('builds at the first start', () => {
    expect(webBuildIsStale(dist, [sources])).toBe('first start');
  });

  it('builds again after a build cut short (pages written, last step not reached)', async () => {
    await build(10, { finished: false });
    expect(webBuildIsStale(dist, [sources])).toBe('unfinished build');
    await writeFile(path.join(dist, 'build.json'), '{"startedAt":');
    expect(webBuildIsStale(dist, [sources])).toBe('unfinished build');
  });

  it('keeps a finished build that began after every source changed', async () => {
    await build(10);
    expect(webBuildIsStale(dist, [sources, path.join(dir, 'missing.json')])).toBeUndefined();
  });

  it('builds again when a source deep in the tree changed since (an update)', async () => {
    await build(10);
    await utimes(path.join(sources, 'client', 'features', 'page.tsx'), at(20), at(20));
    expect(webBuildIsStale(dist, [sources])).toBe('sources changed');
  });

  it('builds again when a source changed while the build ran', async () => {
    await build(10);
    await utimes(path.join(sources, 'client', 'features', 'page.tsx'), at(12), at(12));
    expect(webBuildIsStale(dist, [sources])).toBe('sources changed');
  });

  it('builds again when a file was added or removed (its folder changed)', async () => {
    await build(10);
    await utimes(path.join(sources, 'client'), at(20), at(20));
    expect(webBuildIsStale(dist, [sources])).toBe('sources changed');
  });
});
