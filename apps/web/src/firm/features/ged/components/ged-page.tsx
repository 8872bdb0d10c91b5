import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { ChevronLeftIcon, PlusIcon, SearchIcon } from '../../../../components/icons';
import { ErrorNotice, Notice } from '../../../../components/notice';
import { errorMessage } from '../../../../lib/error-message';
import { formatDateTime } from '../../../../lib/format';
import { useDocumentTitle } from '../../../../lib/use-document-title';
import { useLanguage } from '../../../../lib/use-language';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { useFileDashboard } from '../../client-file/api/use-file-dashboard';
import { usePermissions } from '../../session/api/use-permissions';
import {
  type GedDocument,
  type GedFolder,
  type GedSearchFilters,
  uploadDocument,
  useBin,
  useCreateFolder,
  useDeleteDocument,
  useDeleteFolder,
  useDocuments,
  useFolders,
  useGedSearch,
  useRefreshGed,
  useRestoreDocument,
  useUpdateDocument,
  useUpdateFolder,
} from '../api/use-ged';
import { type DocumentAction, DocumentsTable } from './documents-table';
import { FolderTree } from './folder-tree';
import { MoveDialog, NameDialog, VersionsDialog } from './ged-dialogs';
import { UploadPanel } from './upload-panel';
import '../../../components/data-table.css';
import './ged.css';

type Open =
  | { kind: 'new-folder' }
  | { kind: 'rename-folder'; folder: GedFolder }
  | { kind: 'delete-folder'; folder: GedFolder }
  | { kind: DocumentAction; document: GedDocument }
  | null;

const searchKeys = ['q', 'folderId', 'mime', 'from', 'to', 'fiscalYear'] as const;

/** GED du dossier: folder tree, documents, upload, visibility, versions, bin and search. */
export function GedPage() {
  const { t } = useTranslation();
  const { id: fileId = '' } = useParams();
  const { canWrite } = usePermissions();
  const dashboard = useFileDashboard(fileId);
  const file = dashboard.data?.file;
  useDocumentTitle(
    t('firm.title', { page: file ? `${t('firm.ged.title')} – ${file.name}` : t('firm.ged.title') }),
  );
  const [params, setParams] = useSearchParams();
  const folders = useFolders(fileId);
  const all = folders.data?.items ?? [];
  const view = params.get('vue') === 'corbeille' ? 'bin' : params.get('q') ? 'search' : 'folder';
  const requested = params.get('dossier');
  const folder =
    all.find((item) => item.id === requested) ??
    all.find((item) => item.isInbox) ??
    all.find((item) => !item.parentId) ??
    null;
  const filters: GedSearchFilters = {
    q: params.get('q') ?? '',
    folderId: params.get('folderId') ?? '',
    mime: params.get('mime') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    fiscalYear: params.get('fiscalYear') ?? '',
  };
  const [open, setOpen] = useState<Open>(null);
  const createFolder = useCreateFolder(fileId);
  const updateFolder = useUpdateFolder(fileId);
  const deleteFolder = useDeleteFolder(fileId);
  const updateDocument = useUpdateDocument(fileId);
  const deleteDocument = useDeleteDocument(fileId);
  const [announcement, setAnnouncement] = useState('');
  const close = () => {
    setOpen(null);
    createFolder.reset();
    updateFolder.reset();
    deleteFolder.reset();
    updateDocument.reset();
    deleteDocument.reset();
  };

  const openFolder = (folderId: string) => setParams({ dossier: folderId });
  const toggleVisible = (document: GedDocument, visibleToClient: boolean) =>
    updateDocument.mutate(
      { documentId: document.id, update: { visibleToClient } },
      {
        onSuccess: () =>
          setAnnouncement(
            t(visibleToClient ? 'firm.ged.nowVisible' : 'firm.ged.nowHidden', { name: document.name }),
          ),
      },
    );

  return (
    <div className="page ged-page">
      <p className="file-dashboard__back">
        <Link to={`/dossiers/${fileId}`} className="button button--ghost">
          <ChevronLeftIcon />
          {file ? file.name : t('firm.ged.backToFile')}
        </Link>
      </p>
      <header className="page-header">
        <div>
          <p className="page-header__eyebrow">
            {file ? `${file.code} – ${file.name}` : t('firm.clientFile.title')}
          </p>
          <h1>{t('firm.ged.title')}</h1>
        </div>
      </header>

      <SearchForm
        filters={filters}
        folders={all}
        onSearch={(next) => {
          const query = new URLSearchParams();
          for (const key of searchKeys) if (next[key]) query.set(key, next[key]);
          setParams(query);
        }}
      />

      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {updateDocument.isError && !open ? (
        <p className="toast" role="alert">
          {errorMessage(t, updateDocument.error)}
        </p>
      ) : null}

      {folders.isError ? (
        <ErrorNotice error={folders.error} onRetry={() => void folders.refetch()} />
      ) : !folders.data ? (
        <p role="status">{t('common.loading')}</p>
      ) : (
        <div className="ged-layout">
          <aside className="ged-layout__side">
            <FolderTree
              folders={all}
              currentId={view === 'folder' ? (folder?.id ?? null) : null}
              onOpen={openFolder}
            />
            <div className="ged-layout__side-actions">
              {canWrite ? (
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => setOpen({ kind: 'new-folder' })}
                >
                  <PlusIcon size={14} />
                  {t('firm.ged.newFolder')}
                </button>
              ) : null}
              <button
                type="button"
                className="button button--small"
                aria-pressed={view === 'bin'}
                onClick={() => setParams(view === 'bin' ? {} : { vue: 'corbeille' })}
              >
                {t('firm.ged.bin')}
              </button>
            </div>
          </aside>
          <section className="ged-layout__main" aria-label={t('firm.ged.documents')}>
            {view === 'bin' ? (
              <BinView fileId={fileId} canWrite={canWrite} />
            ) : view === 'search' ? (
              <SearchView
                fileId={fileId}
                filters={filters}
                canWrite={canWrite}
                busy={updateDocument.isPending}
                onToggleVisible={toggleVisible}
                onAction={(document, action) => setOpen({ kind: action, document })}
                onClear={() => setParams({})}
              />
            ) : folder ? (
              <FolderView
                key={folder.id}
                fileId={fileId}
                folder={folder}
                canWrite={canWrite}
                busy={updateDocument.isPending}
                onToggleVisible={toggleVisible}
                onToggleFolderVisible={(visibleToClient) =>
                  updateFolder.mutate({ folderId: folder.id, update: { visibleToClient } })
                }
                onRenameFolder={() => setOpen({ kind: 'rename-folder', folder })}
                onDeleteFolder={() => setOpen({ kind: 'delete-folder', folder })}
                onAction={(document, action) => setOpen({ kind: action, document })}
              />
            ) : (
              <Notice title={t('firm.ged.noFolder')} />
            )}
          </section>
        </div>
      )}

      {open?.kind === 'new-folder' ? (
        <NameDialog
          title={folder ? t('firm.ged.newFolderIn', { folder: folder.name }) : t('firm.ged.newFolder')}
          label={t('firm.ged.folderName')}
          initial=""
          busy={createFolder.isPending}
          error={createFolder.error}
          onClose={close}
          onSubmit={(name) =>
            createFolder.mutate(
              { parentId: folder?.id ?? null, name },
              {
                onSuccess: (created) => {
                  close();
                  openFolder(created.id);
                },
              },
            )
          }
        />
      ) : null}
      {open?.kind === 'rename-folder' ? (
        <NameDialog
          title={t('firm.ged.renameFolder')}
          label={t('firm.ged.folderName')}
          initial={open.folder.name}
          busy={updateFolder.isPending}
          error={updateFolder.error}
          onClose={close}
          onSubmit={(name) =>
            updateFolder.mutate({ folderId: open.folder.id, update: { name } }, { onSuccess: close })
          }
        />
      ) : null}
      {open?.kind === 'delete-folder' ? (
        <ConfirmDialog
          title={t('firm.ged.deleteFolder')}
          subtitle={open.folder.name}
          confirmLabel={t('firm.ged.delete')}
          danger
          busy={deleteFolder.isPending}
          error={deleteFolder.isError ? errorMessage(t, deleteFolder.error) : null}
          onCancel={close}
          onConfirm={() =>
            deleteFolder.mutate(open.folder.id, {
              onSuccess: () => {
                close();
                setParams({});
              },
            })
          }
        >
          {t('firm.ged.deleteFolderText')}
        </ConfirmDialog>
      ) : null}
      {open?.kind === 'rename' ? (
        <NameDialog
          title={t('firm.ged.renameDocument')}
          label={t('firm.ged.documentName')}
          initial={open.document.name}
          busy={updateDocument.isPending}
          error={updateDocument.error}
          onClose={close}
          onSubmit={(name) =>
            updateDocument.mutate({ documentId: open.document.id, update: { name } }, { onSuccess: close })
          }
        />
      ) : null}
      {open?.kind === 'move' ? (
        <MoveDialog
          document={open.document}
          folders={all}
          busy={updateDocument.isPending}
          error={updateDocument.error}
          onClose={close}
          onSubmit={(folderId) =>
            updateDocument.mutate(
              { documentId: open.document.id, update: { folderId } },
              { onSuccess: close },
            )
          }
        />
      ) : null}
      {open?.kind === 'versions' ? (
        <VersionsDialog fileId={fileId} document={open.document} canWrite={canWrite} onClose={close} />
      ) : null}
      {open?.kind === 'delete' ? (
        <ConfirmDialog
          title={t('firm.ged.deleteDocument')}
          subtitle={open.document.name}
          confirmLabel={t('firm.ged.delete')}
          danger
          busy={deleteDocument.isPending}
          error={deleteDocument.isError ? errorMessage(t, deleteDocument.error) : null}
          onCancel={close}
          onConfirm={() =>
            deleteDocument.mutate(open.document.id, {
              onSuccess: () => {
                setAnnouncement(t('firm.ged.deleted', { name: open.document.name }));
                close();
              },
            })
          }
        >
          {t('firm.ged.deleteDocumentText')}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

function FolderView({
  fileId,
  folder,
  canWrite,
  busy,
  onToggleVisible,
  onToggleFolderVisible,
  onRenameFolder,
  onDeleteFolder,
  onAction,
}: {
  fileId: string;
  folder: GedFolder;
  canWrite: boolean;
  busy: boolean;
  onToggleVisible: (document: GedDocument, visible: boolean) => void;
  onToggleFolderVisible: (visible: boolean) => void;
  onRenameFolder: () => void;
  onDeleteFolder: () => void;
  onAction: (document: GedDocument, action: DocumentAction) => void;
}) {
  const { t } = useTranslation();
  const documents = useDocuments(fileId, folder.id);
  const refresh = useRefreshGed(fileId);
  const items = documents.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div className="data-card">
      <div className="data-card__toolbar ged-folder-bar">
        <h2 className="ged-folder-bar__title">{folder.name}</h2>
        <label className="ged-toggle ged-toggle--folder">
          <input
            type="checkbox"
            checked={folder.visibleToClient}
            disabled={!canWrite}
            onChange={(event) => onToggleFolderVisible(event.currentTarget.checked)}
          />
          {t('firm.ged.visibleToClient')}
        </label>
        {canWrite && !folder.isInbox ? (
          <>
            <button type="button" className="button button--small" onClick={onRenameFolder}>
              {t('firm.ged.rename')}
            </button>
            <button type="button" className="button button--small" onClick={onDeleteFolder}>
              {t('firm.ged.delete')}
            </button>
          </>
        ) : null}
      </div>
      {canWrite ? (
        <UploadPanel
          disabled={false}
          label={t('firm.ged.upload.zone')}
          send={(file, onProgress) => uploadDocument(folder.id, file, onProgress)}
          onUploaded={() => void refresh()}
        />
      ) : null}
      {documents.isError ? (
        <div className="data-card__message">
          <ErrorNotice error={documents.error} onRetry={() => void documents.refetch()} />
        </div>
      ) : documents.isPending ? (
        <p className="data-card__message" role="status">
          {t('common.loading')}
        </p>
      ) : items.length === 0 ? (
        <div className="data-card__message">
          <Notice title={t('firm.ged.emptyFolder')} />
        </div>
      ) : (
        <>
          <DocumentsTable
            documents={items}
            canWrite={canWrite}
            busy={busy || documents.isFetching}
            onToggleVisible={onToggleVisible}
            onAction={onAction}
          />
          <div className="data-card__footer">
            <p>{t('firm.ged.count', { count: items.length })}</p>
            {documents.hasNextPage ? (
              <button
                type="button"
                className="button"
                disabled={documents.isFetchingNextPage}
                onClick={() => void documents.fetchNextPage()}
              >
                {documents.isFetchingNextPage ? t('common.loading') : t('firm.ged.more')}
              </button>
            ) : null}
          </div>
        </>
      )}
    </div>
  );
}

function SearchForm({
  filters,
  folders,
  onSearch,
}: {
  filters: GedSearchFilters;
  folders: GedFolder[];
  onSearch: (filters: GedSearchFilters) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [draft, setDraft] = useState(filters);
  const [showFilters, setShowFilters] = useState(
    Boolean(filters.folderId || filters.mime || filters.from || filters.to || filters.fiscalYear),
  );
  // Read the value now: React empties `currentTarget` once the event is handled, and the
  // updater may run later (a select fires input and change: the second one crashed the page).
  const set = (key: keyof GedSearchFilters) => (event: { currentTarget: { value: string } }) => {
    const value = event.currentTarget.value;
    setDraft((current) => ({ ...current, [key]: value }));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch(draft);
  };
  return (
    <search className="ged-search">
      <form onSubmit={submit}>
        <div className="ged-search__row">
          <label htmlFor={`${id}-q`} className="visually-hidden">
            {t('firm.ged.searchLabel')}
          </label>
          <div className="ged-search__box">
            <SearchIcon size={16} />
            <input
              id={`${id}-q`}
              type="search"
              className="input"
              placeholder={t('firm.ged.searchPlaceholder')}
              value={draft.q}
              onChange={set('q')}
            />
          </div>
          <button type="submit" className="button button--primary">
            {t('firm.ged.search')}
          </button>
          <button
            type="button"
            className="button"
            aria-expanded={showFilters}
            onClick={() => setShowFilters((shown) => !shown)}
          >
            {t('firm.ged.filters')}
          </button>
        </div>
        {showFilters ? (
          <div className="ged-search__filters">
            <div>
              <label className="field-label" htmlFor={`${id}-folder`}>
                {t('firm.ged.filterFolder')}
              </label>
              <select
                id={`${id}-folder`}
                className="select"
                value={draft.folderId}
                onChange={set('folderId')}
              >
                <option value="">{t('firm.ged.allFolders')}</option>
                {folders.map((folder) => (
                  <option key={folder.id} value={folder.id}>
                    {folder.name}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label className="field-label" htmlFor={`${id}-mime`}>
                {t('firm.ged.filterType')}
              </label>
              <select id={`${id}-mime`} className="select" value={draft.mime} onChange={set('mime')}>
                <option value="">{t('firm.ged.allTypes')}</option>
                <option value="application/pdf">PDF</option>
                <option value="image/jpeg">JPEG</option>
                <option value="image/png">PNG</option>
                <option value="text/csv">CSV</option>
              </select>
            </div>
            <div>
              <label className="field-label" htmlFor={`${id}-from`}>
                {t('firm.ged.filterFrom')}
              </label>
              <input
                id={`${id}-from`}
                type="date"
                className="input"
                value={draft.from}
                onChange={set('from')}
              />
            </div>
            <div>
              <label className="field-label" htmlFor={`${id}-to`}>
                {t('firm.ged.filterTo')}
              </label>
              <input id={`${id}-to`} type="date" className="input" value={draft.to} onChange={set('to')} />
            </div>
            <div>
              <label className="field-label" htmlFor={`${id}-year`}>
                {t('firm.ged.filterFiscalYear')}
              </label>
              <input
                id={`${id}-year`}
                type="number"
                inputMode="numeric"
                min={1900}
                max={2200}
                className="input ged-search__year"
                value={draft.fiscalYear}
                onChange={set('fiscalYear')}
              />
            </div>
          </div>
        ) : null}
      </form>
    </search>
  );
}

function SearchView({
  fileId,
  filters,
  canWrite,
  busy,
  onToggleVisible,
  onAction,
  onClear,
}: {
  fileId: string;
  filters: GedSearchFilters;
  canWrite: boolean;
  busy: boolean;
  onToggleVisible: (document: GedDocument, visible: boolean) => void;
  onAction: (document: GedDocument, action: DocumentAction) => void;
  onClear: () => void;
}) {
  const { t } = useTranslation();
  const results = useGedSearch(fileId, filters);
  return (
    <div className="data-card">
      <div className="data-card__toolbar ged-folder-bar">
        <h2 className="ged-folder-bar__title">{t('firm.ged.resultsFor', { q: filters.q })}</h2>
        <button type="button" className="button button--small" onClick={onClear}>
          {t('firm.ged.clearSearch')}
        </button>
      </div>
      {results.isError ? (
        <div className="data-card__message">
          <ErrorNotice error={results.error} onRetry={() => void results.refetch()} />
        </div>
      ) : results.isPending ? (
        <p className="data-card__message" role="status">
          {t('common.searching')}
        </p>
      ) : results.data.items.length === 0 ? (
        <div className="data-card__message">
          <Notice title={t('firm.ged.noResults')} />
        </div>
      ) : (
        <>
          <DocumentsTable
            documents={results.data.items}
            canWrite={canWrite}
            busy={busy || results.isFetching}
            showFolder
            onToggleVisible={onToggleVisible}
            onAction={onAction}
          />
          <div className="data-card__footer">
            <p role="status">{t('firm.ged.resultCount', { count: results.data.items.length })}</p>
          </div>
        </>
      )}
    </div>
  );
}

function BinView({ fileId, canWrite }: { fileId: string; canWrite: boolean }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const bin = useBin(fileId, true);
  const restore = useRestoreDocument(fileId);
  const [announcement, setAnnouncement] = useState('');
  return (
    <div className="data-card">
      <div className="data-card__toolbar ged-folder-bar">
        <h2 className="ged-folder-bar__title">{t('firm.ged.bin')}</h2>
        <p className="ged-folder-bar__hint">{t('firm.ged.binHint')}</p>
      </div>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {restore.isError ? (
        <p className="toast" role="alert">
          {errorMessage(t, restore.error)}
        </p>
      ) : null}
      {bin.isError ? (
        <div className="data-card__message">
          <ErrorNotice error={bin.error} onRetry={() => void bin.refetch()} />
        </div>
      ) : bin.isPending ? (
        <p className="data-card__message" role="status">
          {t('common.loading')}
        </p>
      ) : bin.data.items.length === 0 ? (
        <div className="data-card__message">
          <Notice title={t('firm.ged.binEmpty')} />
        </div>
      ) : (
        <div className="data-table-scroll">
          <table className="data-table" aria-busy={bin.isFetching}>
            <caption className="visually-hidden">{t('firm.ged.bin')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('firm.ged.columns.name')}</th>
                <th scope="col">{t('firm.ged.columns.folder')}</th>
                <th scope="col">{t('firm.ged.columns.deletedAt')}</th>
                <th scope="col" className="is-end">
                  <span className="visually-hidden">{t('firm.ged.columns.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {bin.data.items.map((item) => (
                <tr key={item.id}>
                  <td className="is-strong">{item.name}</td>
                  <td className="is-muted">{item.folderName}</td>
                  <td className="is-nowrap">{formatDateTime(item.deletedAt, language)}</td>
                  <td>
                    <div className="data-table__actions">
                      {canWrite ? (
                        <button
                          type="button"
                          className="button button--small"
                          disabled={restore.isPending}
                          aria-label={t('firm.ged.restoreOf', { name: item.name })}
                          onClick={() =>
                            restore.mutate(item.id, {
                              onSuccess: () => setAnnouncement(t('firm.ged.restored', { name: item.name })),
                            })
                          }
                        >
                          {t('firm.ged.restore')}
                        </button>
                      ) : null}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
