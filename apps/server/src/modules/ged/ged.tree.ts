import type { FolderRow } from './ged.repository.ts';

/** The default tree of a new GED; only the inbox is shared until the firm decides otherwise. */
export const defaultFolders = [
  { name: 'Pièces déposées', isInbox: true, visibleToClient: true },
  { name: 'Comptabilité', isInbox: false, visibleToClient: false },
  { name: 'Fiscal', isInbox: false, visibleToClient: false },
  { name: 'Juridique', isInbox: false, visibleToClient: false },
  { name: 'Social', isInbox: false, visibleToClient: false },
  { name: 'Paie', isInbox: false, visibleToClient: false },
  { name: 'Bilans', isInbox: false, visibleToClient: false },
] as const;

const same = (a: string, b: string) => a.localeCompare(b, 'fr', { sensitivity: 'accent' }) === 0;

/**
 * The folders a client contact may see: shared (the folder and all its ancestors), and when the
 * contact is "Limité à" some top-level folders, only under those.
 */
export function clientVisibleFolders(folders: FolderRow[], limitedTo: string[] | null): FolderRow[] {
  const byId = new Map(folders.map((f) => [f.id, f]));
  const visible = new Map<string, boolean>();
  const isVisible = (folder: FolderRow, depth = 0): boolean => {
    const known = visible.get(folder.id);
    if (known !== undefined) return known;
    let result = folder.visibleToClient && depth < 100;
    if (result && folder.parentId !== null) {
      const parent = byId.get(folder.parentId);
      result = parent !== undefined && isVisible(parent, depth + 1);
    }
    if (result && folder.parentId === null && limitedTo !== null) {
      result = limitedTo.some((name) => same(name, folder.name));
    }
    visible.set(folder.id, result);
    return result;
  };
  return folders.filter((f) => isVisible(f));
}

/** Would moving `folderId` under `newParentId` put it inside itself? */
export function wouldCycle(folders: FolderRow[], folderId: string, newParentId: string): boolean {
  const byId = new Map(folders.map((f) => [f.id, f]));
  let cursor: string | null = newParentId;
  for (let i = 0; cursor !== null && i < 1000; i++) {
    if (cursor === folderId) return true;
    cursor = byId.get(cursor)?.parentId ?? null;
  }
  return false;
}
