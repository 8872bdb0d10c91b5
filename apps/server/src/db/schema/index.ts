export * from './collaboration.ts';
export * from './core.ts';
export * from './entra.ts';
export * from './figures.ts';
export * from './ged.ts';
export * from './idp.ts';
export * from './mail.ts';
export * from './portfolio.ts';
