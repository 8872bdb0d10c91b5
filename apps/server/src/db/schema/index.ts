export * from './collaboration.ts';
export * from './core.ts';
export * from './idp.ts';
export * from './mail.ts';
export * from './portfolio.ts';
