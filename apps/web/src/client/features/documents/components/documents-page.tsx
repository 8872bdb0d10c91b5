import { type FormEvent, type MouseEvent, type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ChevronRightIcon, FolderIcon, SearchIcon } from '../../../../components/icons';
import { ErrorNotice, Notice } from '../../../../components/notice';
import { useDocumentTitle } from '../../../../lib/use-document-title';
import { useLoad } from '../../../../lib/use-load';
import { useMorePages } from '../../../../lib/use-more-pages';
import type { ClientPageProps } from '../../../app/client-page';
import { type ClientFolder, fetchDocuments, fetchFolders, searchDocuments } from '../api/client-ged';
import { useSearchParams } from '../api/use-search-params';
import { DocumentRow } from './document-row';
import './documents.css';

/** Documents: the folders the firm shares, their documents, and a search across them. */
export function DocumentsPage(props: ClientPageProps) {
  const { session } = props;
  const { t } = useTranslation();
  useDocumentTitle(t('client.title', { page: t('client.documents.title'), firm: session.firm.name }));
  const fileId: string | null = props.file.id;
  const [params, setParams] = useSearchParams();
  const folderId = params.get('dossier');
  const q = params.get('q') ?? '';
  const folders = useLoad(fileId, (signal) => fetchFolders(fileId ?? '', signal));

  const all = folders.data?.items ?? [];
  const folder = folderId ? (all.find((item) => item.id === folderId) ?? null) : null;
  const path: ClientFolder[] = [];
  for (let at = folder; at; at = all.find((item) => item.id === at?.parentId) ?? null) path.unshift(at);
  const children = all.filter((item) => item.parentId === (folder?.id ?? null));

  return (
    <Page title={t('client.documents.title')}>
      <SearchBox initial={q} onSearch={(value) => setParams({ q: value || null })} />
      {q ? (
        <SearchResults fileId={fileId} q={q} onClear={() => setParams({ q: null })} />
      ) : folders.error ? (
        <ErrorNotice error={folders.error} onRetry={folders.reload} />
      ) : !folders.data ? (
        <p className="space-muted" role="status">
          {t('common.loading')}
        </p>
      ) : (
        <>
          <nav className="doc-path" aria-label={t('client.documents.path')}>
            <ol>
              <li>
                {folder ? (
                  <a href="/espace/documents" onClick={linkTo(() => setParams({ dossier: null }))}>
                    {t('client.documents.allFolders')}
                  </a>
                ) : (
                  <span aria-current="page">{t('client.documents.allFolders')}</span>
                )}
              </li>
              {path.map((item) => (
                <li key={item.id}>
                  <ChevronRightIcon size={14} />
                  {item.id === folder?.id ? (
                    <span aria-current="page">{item.name}</span>
                  ) : (
                    <a href={`?dossier=${item.id}`} onClick={linkTo(() => setParams({ dossier: item.id }))}>
                      {item.name}
                    </a>
                  )}
                </li>
              ))}
            </ol>
          </nav>
          {children.length > 0 ? (
            <ul className="folder-list">
              {children.map((item) => (
                <li key={item.id}>
                  <a
                    className="folder-list__link"
                    href={`?dossier=${item.id}`}
                    onClick={linkTo(() => setParams({ dossier: item.id }))}
                  >
                    <span className="folder-list__icon" aria-hidden="true">
                      <FolderIcon size={20} />
                    </span>
                    <span className="folder-list__name">{item.name}</span>
                    <span className="folder-list__count">
                      {t('client.documents.count', { count: item.documentCount })}
                    </span>
                    <ChevronRightIcon size={18} />
                  </a>
                </li>
              ))}
            </ul>
          ) : null}
          {folder ? (
            <FolderDocuments key={folder.id} folderId={folder.id} hasSubfolders={children.length > 0} />
          ) : children.length === 0 ? (
            <Notice title={t('client.documents.noFolders')}>{t('client.documents.noFoldersText')}</Notice>
          ) : null}
          {folderId && !folder ? (
            <Notice title={t('client.documents.folderGone')}>{t('client.documents.folderGoneText')}</Notice>
          ) : null}
        </>
      )}
    </Page>
  );
}

function Page({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="space-page">
      <header className="space-page__header">
        <h1>{title}</h1>
      </header>
      {children}
    </div>
  );
}

/** A real link for middle-click and "open in new tab"; a plain click stays in the page. */
function linkTo(go: () => void) {
  return (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    go();
  };
}

function SearchBox({ initial, onSearch }: { initial: string; onSearch: (q: string) => void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState(initial);
  useEffect(() => setValue(initial), [initial]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch(value.trim());
  };
  return (
    <search className="doc-search">
      <form onSubmit={submit} className="doc-search__form">
        <label htmlFor="doc-search" className="visually-hidden">
          {t('client.documents.searchLabel')}
        </label>
        <SearchIcon size={18} />
        <input
          id="doc-search"
          className="doc-search__input"
          type="search"
          enterKeyHint="search"
          placeholder={t('client.documents.searchPlaceholder')}
          value={value}
          onChange={(event) => setValue(event.currentTarget.value)}
        />
        <button type="submit" className="button button--primary doc-search__submit">
          {t('client.documents.search')}
        </button>
      </form>
    </search>
  );
}

function SearchResults({ fileId, q, onClear }: { fileId: string | null; q: string; onClear: () => void }) {
  const { t } = useTranslation();
  const results = useLoad(fileId ? `${fileId}:${q}` : null, (signal) =>
    searchDocuments(fileId ?? '', q, signal),
  );
  return (
    <section aria-labelledby="doc-results-title">
      <div className="doc-results__head">
        <h2 id="doc-results-title" className="space-section-title">
          {t('client.documents.resultsTitle', { q })}
        </h2>
        <button type="button" className="button" onClick={onClear}>
          {t('client.documents.clearSearch')}
        </button>
      </div>
      {results.error ? (
        <ErrorNotice error={results.error} onRetry={results.reload} />
      ) : !results.data || results.loading ? (
        <p className="space-muted" role="status">
          {t('common.searching')}
        </p>
      ) : results.data.items.length === 0 ? (
        <Notice title={t('client.documents.noResults')} />
      ) : (
        <>
          <p className="visually-hidden" role="status">
            {t('client.documents.resultCount', { count: results.data.items.length })}
          </p>
          <ul className="doc-list">
            {results.data.items.map((hit) => (
              <DocumentRow key={hit.id} document={hit} folderName={hit.folderName} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function FolderDocuments({ folderId, hasSubfolders }: { folderId: string; hasSubfolders: boolean }) {
  const { t } = useTranslation();
  const first = useLoad(folderId, (signal) => fetchDocuments(folderId, null, signal));
  const {
    items: documents,
    hasMore,
    loadMore,
    loadingMore,
    moreError,
  } = useMorePages(first.data, (cursor) => fetchDocuments(folderId, cursor));

  if (first.error) return <ErrorNotice error={first.error} onRetry={first.reload} />;
  if (!first.data)
    return (
      <p className="space-muted" role="status">
        {t('common.loading')}
      </p>
    );
  if (documents.length === 0)
    return hasSubfolders ? null : <Notice title={t('client.documents.emptyFolder')} />;

  return (
    <section aria-label={t('client.documents.listLabel')}>
      <ul className="doc-list">
        {documents.map((document) => (
          <DocumentRow key={document.id} document={document} />
        ))}
      </ul>
      {moreError ? <ErrorNotice error={moreError} onRetry={loadMore} /> : null}
      {hasMore ? (
        <p className="doc-list__more">
          <button type="button" className="button" onClick={loadMore} disabled={loadingMore}>
            {loadingMore ? t('common.loading') : t('client.documents.loadMore')}
          </button>
        </p>
      ) : null}
    </section>
  );
}
