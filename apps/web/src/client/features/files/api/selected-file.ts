/**
 * The file the contact last looked at, remembered on this device so that the space reopens on it
 * (and can say so when the firm has withdrawn it since).
 */
export interface RememberedFile {
  /** Whose choice it is: another contact signing in on the same device starts afresh. */
  contactId: string;
  id: string;
  name: string;
}

const storageKey = 'passerelle.clientFile';

export function readRememberedFile(contactId: string): RememberedFile | null {
  const remembered = readStored();
  return remembered?.contactId === contactId ? remembered : null;
}

function readStored(): RememberedFile | null {
  try {
    const value: unknown = JSON.parse(window.localStorage.getItem(storageKey) ?? 'null');
    if (typeof value !== 'object' || value === null) return null;
    const { contactId, id, name } = value as Record<string, unknown>;
    return typeof contactId === 'string' && typeof id === 'string' && typeof name === 'string'
      ? { contactId, id, name }
      : null;
  } catch {
    return null;
  }
}

export function rememberFile(file: RememberedFile | null): void {
  try {
    if (file) window.localStorage.setItem(storageKey, JSON.stringify(file));
    else window.localStorage.removeItem(storageKey);
  } catch {
    // Storage disabled: the space opens on the first file next time.
  }
}
