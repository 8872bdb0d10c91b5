import type { Plugin } from 'vite';

export function precompress(options?: { minBytes?: number; minSaving?: number }): Plugin;
