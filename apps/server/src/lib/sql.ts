/** PostgreSQL's unique violation (23505), as node-postgres raises it or Drizzle wraps it. */
export const isUniqueViolation = (err: unknown) =>
  typeof err === 'object' &&
  err !== null &&
  ((err as { code?: string }).code === '23505' ||
    (err as { cause?: { code?: string } }).cause?.code === '23505');

/** `%`, `_` and `\` typed by a person are literal characters in a LIKE pattern, not wildcards. */
export const likeEscape = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);
