import type { Plugin } from 'vite';

export function preloadDynamicStart(options?: { page?: string }): Plugin;
