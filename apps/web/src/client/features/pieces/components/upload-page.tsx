import { type ChangeEvent, useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice, Notice } from '../../../../components/notice';
import { fr } from '../../../../i18n/fr';
import { ApiError } from '../../../../lib/api';
import { useDocumentTitle } from '../../../../lib/use-document-title';
import { useLanguage } from '../../../../lib/use-language';
import { useLoad } from '../../../../lib/use-load';
import { useMorePages } from '../../../../lib/use-more-pages';
import type { ClientPageProps } from '../../../app/client-page';
import { currentMonth, depositPiece, duplicateDate, fetchMonthPieces } from '../api/client-pieces';
import { MonthPieces } from './month-pieces';
import { type QueueItem, queueReducer } from './upload-queue';
import { UploadRow } from './upload-row';
import './pieces.css';

const accept = 'image/*,application/pdf';

/** Déposer des pièces: from the phone's camera or from files, each file sent and reported alone. */
export function UploadPage(props: ClientPageProps) {
  const { session } = props;
  const { t } = useTranslation();
  const language = useLanguage();
  useDocumentTitle(t('client.title', { page: t('client.upload.title'), firm: session.firm.name }));
  const fileId: string | null = props.file.id;
  const [queue, dispatch] = useReducer(queueReducer, []);
  const [announcement, setAnnouncement] = useState('');
  const month = currentMonth();
  const pieces = useLoad(fileId ? `${fileId}:${month}` : null, (signal) =>
    fetchMonthPieces(fileId ?? '', month, null, signal),
  );
  const monthPieces = useMorePages(pieces.data, (cursor) => fetchMonthPieces(fileId ?? '', month, cursor));
  const reloadPieces = pieces.reload;
  const busy = queue.some((item) => item.status === 'uploading');
  const finishedCount = queue.filter(
    (item) => item.status !== 'queued' && item.status !== 'uploading',
  ).length;

  const describe = useCallback(
    (item: QueueItem): string => {
      switch (item.status) {
        case 'queued':
          return t('client.upload.status.queued');
        case 'uploading':
          return t('client.upload.status.uploading', { percent: Math.round(item.progress * 100) });
        case 'sent':
          return t('client.upload.status.sent');
        case 'duplicate':
          return item.duplicateOn
            ? t('client.upload.status.duplicate', { date: item.duplicateOn })
            : t('client.upload.status.duplicateNoDate');
        case 'interrupted':
          return t('client.upload.status.interrupted');
        case 'refused': {
          if (item.code && Object.hasOwn(fr.errors, item.code))
            return t(`errors.${item.code as keyof typeof fr.errors}`);
          // The server words its refusals in French; in English, say it plainly.
          return language === 'fr' && item.message ? item.message : t('client.upload.status.refused');
        }
      }
    },
    [t, language],
  );

  // One file at a time: on a mobile network, parallel uploads only slow each other down.
  useEffect(() => {
    if (!fileId || busy) return;
    const next = queue.find((item) => item.status === 'queued');
    if (!next) return;
    dispatch({ type: 'start', id: next.id });
    depositPiece(fileId, next.file, (progress) => dispatch({ type: 'progress', id: next.id, progress })).then(
      (outcome) => {
        const duplicateOn = outcome.code === 'DUPLICATE_PIECE' ? duplicateDate(outcome) : null;
        dispatch({ type: 'outcome', id: next.id, outcome, duplicateOn });
      },
      (error: unknown) => {
        dispatch({ type: 'failed', id: next.id, code: error instanceof ApiError ? error.code : 'INTERNAL' });
      },
    );
  }, [queue, busy, fileId]);

  // Say each result once, and refresh the month's list when a batch is over.
  const announced = useRef(new Set<string>());
  useEffect(() => {
    const lines: string[] = [];
    for (const item of queue) {
      if (item.status === 'queued' || item.status === 'uploading') continue;
      const key = `${item.id}:${item.status}:${item.code ?? ''}`;
      if (announced.current.has(key)) continue;
      announced.current.add(key);
      lines.push(`${item.file.name}\u00a0: ${describe(item)}`);
    }
    if (lines.length > 0) setAnnouncement(lines.join(' '));
  }, [queue, describe]);

  const allDone = queue.length > 0 && !queue.some((i) => i.status === 'queued' || i.status === 'uploading');
  useEffect(() => {
    if (allDone && finishedCount > 0) reloadPieces();
  }, [allDone, finishedCount, reloadPieces]);

  const onFiles = (event: ChangeEvent<HTMLInputElement>) => {
    const files = event.currentTarget.files ? [...event.currentTarget.files] : [];
    if (files.length > 0) dispatch({ type: 'add', files });
    // The same photo can be chosen again after a refusal.
    event.currentTarget.value = '';
  };

  return (
    <div className="space-page">
      <header className="space-page__header">
        <h1>{t('client.upload.title')}</h1>
        <p>{t('client.upload.intro', { file: props.file.name })}</p>
      </header>

      {
        <>
          <div className="upload-pickers">
            <input
              id="upload-camera"
              className="visually-hidden upload-pickers__input"
              type="file"
              accept={accept}
              capture="environment"
              disabled={!fileId}
              onChange={onFiles}
            />
            <label htmlFor="upload-camera" className="upload-pickers__button upload-pickers__button--primary">
              <CameraIcon />
              {t('client.upload.takePhoto')}
            </label>
            <input
              id="upload-files"
              className="visually-hidden upload-pickers__input"
              type="file"
              accept={accept}
              multiple
              disabled={!fileId}
              onChange={onFiles}
            />
            <label htmlFor="upload-files" className="upload-pickers__button">
              <FilesIcon />
              {t('client.upload.chooseFiles')}
            </label>
            <p className="upload-pickers__hint">{t('client.upload.hint')}</p>
          </div>

          <p className="visually-hidden" role="status" aria-live="polite">
            {announcement}
          </p>

          {queue.length > 0 ? (
            <section className="upload-queue" aria-labelledby="upload-queue-title">
              <h2 id="upload-queue-title" className="space-section-title">
                {t('client.upload.queueTitle')}
              </h2>
              <ul className="upload-queue__list">
                {queue.map((item) => (
                  <UploadRow
                    key={item.id}
                    item={item}
                    label={describe(item)}
                    onRetry={() => dispatch({ type: 'retry', id: item.id })}
                    onRemove={() => dispatch({ type: 'remove', id: item.id })}
                  />
                ))}
              </ul>
            </section>
          ) : null}

          <section className="upload-month" aria-labelledby="upload-month-title">
            <h2 id="upload-month-title" className="space-section-title">
              {t('client.upload.monthTitle')}
            </h2>
            {pieces.error ? (
              <ErrorNotice error={pieces.error} onRetry={pieces.reload} />
            ) : pieces.data ? (
              monthPieces.items.length > 0 ? (
                <>
                  <MonthPieces pieces={monthPieces.items} />
                  {monthPieces.moreError ? (
                    <ErrorNotice error={monthPieces.moreError} onRetry={monthPieces.loadMore} />
                  ) : null}
                  {monthPieces.hasMore ? (
                    <p className="piece-list__more">
                      <button
                        type="button"
                        className="button"
                        onClick={monthPieces.loadMore}
                        disabled={monthPieces.loadingMore}
                      >
                        {monthPieces.loadingMore ? t('common.loading') : t('client.upload.loadMore')}
                      </button>
                    </p>
                  ) : null}
                </>
              ) : (
                <Notice title={t('client.upload.monthEmpty')} />
              )
            ) : (
              <p className="space-muted">{t('common.loading')}</p>
            )}
          </section>
        </>
      }
    </div>
  );
}

const CameraIcon = () => (
  <svg
    width="24"
    height="24"
    viewBox="0 0 24 24"
    fill="none"
    stroke="currentColor"
    strokeWidth="1.8"
    aria-hidden="true"
  >
    <path d="M4 8h3l2-3h6l2 3h3a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V9a1 1 0 0 1 1-1Z" />
    <circle cx="12" cy="13.5" r="3.5" />
  </svg>
);

const FilesIcon = () => (
  <svg
    width="24"
    height="24"
    viewBox="0 0 24 24"
    fill="none"
    stroke="currentColor"
    strokeWidth="1.8"
    aria-hidden="true"
  >
    <path d="M8 3h7l4 4v11a1 1 0 0 1-1 1H8a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1Z" />
    <path d="M15 3v4h4M4 7v13a1 1 0 0 0 1 1h10" />
  </svg>
);
