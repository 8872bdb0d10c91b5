import type { Plugin } from 'vite';

export function serviceWorker(options: { source: string; page?: string; output?: string }): Plugin;
