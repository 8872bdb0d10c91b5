import { useTranslation } from 'react-i18next';
import { FolderIcon } from '../../../../components/icons';
import type { GedFolder } from '../api/use-ged';

/** Folders as nested lists; the current one is marked, hidden-from-client ones say so. */
export function FolderTree({
  folders,
  currentId,
  onOpen,
}: {
  folders: GedFolder[];
  currentId: string | null;
  onOpen: (folderId: string) => void;
}) {
  const { t } = useTranslation();
  const renderLevel = (parentId: string | null) => {
    const children = folders
      .filter((folder) => folder.parentId === parentId)
      .sort((a, b) => Number(b.isInbox) - Number(a.isInbox) || a.name.localeCompare(b.name, 'fr'));
    if (children.length === 0) return null;
    return (
      <ul className="ged-tree__list">
        {children.map((folder) => (
          <li key={folder.id}>
            <button
              type="button"
              className="ged-tree__item"
              aria-current={folder.id === currentId ? 'true' : undefined}
              onClick={() => onOpen(folder.id)}
            >
              <FolderIcon size={16} />
              <span className="ged-tree__name">{folder.name}</span>
              {folder.visibleToClient ? null : (
                <span className="ged-tree__hidden" title={t('firm.ged.hiddenFromClient')}>
                  <EyeOffIcon />
                  <span className="visually-hidden">{t('firm.ged.hiddenFromClient')}</span>
                </span>
              )}
              <span className="ged-tree__count">{folder.documentCount}</span>
            </button>
            {renderLevel(folder.id)}
          </li>
        ))}
      </ul>
    );
  };
  return (
    <nav className="ged-tree" aria-label={t('firm.ged.folders')}>
      {renderLevel(null)}
    </nav>
  );
}

export const EyeOffIcon = () => (
  <svg
    width="14"
    height="14"
    viewBox="0 0 24 24"
    fill="none"
    stroke="currentColor"
    strokeWidth="2"
    aria-hidden="true"
  >
    <path d="M3 3l18 18M10.6 6.1A9.7 9.7 0 0 1 12 6c5 0 9 4.5 10 6-.4.6-1.3 1.8-2.6 3M6.6 6.6C4.4 8 2.8 10 2 12c1 1.5 5 6 10 6 1.8 0 3.4-.5 4.8-1.3M9.9 9.9a3 3 0 0 0 4.2 4.2" />
  </svg>
);
