// The embedded database's own process (docs/decisions/153): PGlite on a data directory, driven by
// the server over Node's IPC channel (`RemotePglite`, pglite-remote.ts). Plain JavaScript on
// purpose: started by Node itself, without the TypeScript loader.
//
// Messages in (each with a numeric `id`, answered once with { id, result } or { id, error }):
//   { op: 'query', sql, params, rowMode, parserTypes, tx? }  — tx: a transaction opened by 'begin'
//   { op: 'exec', sql, tx? }
//   { op: 'begin' }                 → result: the transaction's id, once PGlite has opened it
//   { op: 'end', tx, commit }       → answered when PGlite has committed (or rolled back)
//   { op: 'listen', channel } | { op: 'unlisten', channel } | { op: 'close' }
// Messages out, unasked: { op: 'ready' } once open; { op: 'notify', channel, payload }.
// The process ends when the server's channel closes (the server stopped, even by SIGKILL): PGlite
// is closed first, so its files are left clean.
import { readFile, unlink } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

if (typeof process.send !== 'function') throw new Error('pglite-process.mjs runs as a child process only');
const [dir, startParams] = process.argv.slice(2);

const pg = await PGlite.create({
  dataDir: dir,
  startParams: JSON.parse(startParams),
  extensions: { pg_trgm, btree_gin },
});

/** Open transactions by id: PGlite's handle, and how to end its callback. */
const transactions = new Map();
let nextTx = 1;
/** Channel → unlisten function. */
const listening = new Map();
let closing;

const send = (message) => {
  if (process.connected) process.send(message);
};

/** The identity parsers drizzle asks for (timestamps, dates and intervals stay strings). */
function queryOptions(message) {
  const options = {};
  if (message.rowMode) options.rowMode = message.rowMode;
  if (Array.isArray(message.parserTypes) && message.parserTypes.length > 0) {
    options.parsers = Object.fromEntries(message.parserTypes.map((type) => [type, (value) => value]));
  }
  return options;
}

function target(message) {
  if (message.tx === undefined) return pg;
  const open = transactions.get(message.tx);
  if (open === undefined) throw new Error('transaction not open');
  return open.handle;
}

/** What an error carries to the server: its message and PostgreSQL's fields (code, constraint…). */
function errorOf(err) {
  if (!(err instanceof Error)) return { message: String(err) };
  const fields = {};
  for (const [key, value] of Object.entries(err)) {
    if (value === undefined || typeof value === 'function' || typeof value === 'object') continue;
    fields[key] = value;
  }
  return { ...fields, name: err.name, message: err.message };
}

function begin(id) {
  const tx = nextTx++;
  let opened = false;
  pg.transaction(
    (handle) =>
      new Promise((resolve, reject) => {
        transactions.set(tx, { handle, resolve, reject });
        opened = true;
        send({ id, result: tx });
      }),
  ).then(
    () => {
      const end = transactions.get(tx);
      transactions.delete(tx);
      if (end?.endId !== undefined) send({ id: end.endId, result: null });
    },
    (err) => {
      const end = transactions.get(tx);
      transactions.delete(tx);
      if (!opened) send({ id, error: errorOf(err) });
      else if (end?.endId !== undefined) send({ id: end.endId, error: errorOf(err) });
    },
  );
}

async function handle(message) {
  switch (message.op) {
    case 'query':
      return target(message).query(message.sql, message.params ?? [], queryOptions(message));
    case 'exec':
      return target(message).exec(message.sql);
    case 'listen':
      if (!listening.has(message.channel)) {
        const unlisten = await pg.listen(message.channel, (payload) =>
          send({ op: 'notify', channel: message.channel, payload }),
        );
        listening.set(message.channel, unlisten);
      }
      return null;
    case 'unlisten': {
      const unlisten = listening.get(message.channel);
      listening.delete(message.channel);
      await unlisten?.();
      return null;
    }
    case 'close':
      await shutdown();
      return null;
    default:
      throw new Error(`unknown operation ${String(message.op)}`);
  }
}

process.on('message', (message) => {
  const { id } = message;
  if (message.op === 'begin') return begin(id);
  if (message.op === 'end') {
    const open = transactions.get(message.tx);
    if (open === undefined) return send({ id, error: { message: 'transaction not open' } });
    open.endId = id;
    // Resolving lets PGlite commit; rejecting makes it roll back. Either way it answers `id`.
    if (message.commit) open.resolve();
    else open.reject(new Error('rolled back by the server'));
    return;
  }
  handle(message).then(
    (result) => send({ id, result }),
    (err) => send({ id, error: errorOf(err) }),
  );
});

async function shutdown() {
  closing ??= (async () => {
    for (const open of transactions.values()) open.reject(new Error('database closing'));
    await pg.close();
    // The server handed this process the directory's lock (pglite-lock.ts): give it back, unless
    // the server already did. A server killed by SIGKILL cannot, so this process does.
    const lock = `${dir}.lock`;
    const holder = await readFile(lock, 'utf8').catch(() => '');
    if (holder === String(process.pid)) await unlink(lock).catch(() => undefined);
  })();
  return closing;
}

// The server is gone (stopped, crashed or killed): close the files cleanly, then end.
process.on('disconnect', () => {
  shutdown().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => {});

send({ op: 'ready' });
