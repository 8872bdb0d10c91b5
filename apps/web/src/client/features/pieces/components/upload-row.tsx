import { useTranslation } from 'react-i18next';
import { formatBytes } from '../../../../lib/format-bytes';
import { useLanguage } from '../../../../lib/use-language';
import type { QueueItem } from './upload-queue';

/** One chosen file: its own progress bar, then its own result. */
export function UploadRow({
  item,
  label,
  onRetry,
  onRemove,
}: {
  item: QueueItem;
  label: string;
  onRetry: () => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const percent = Math.round(item.progress * 100);
  const failed = item.status === 'refused' || item.status === 'interrupted';
  const finished = item.status !== 'queued' && item.status !== 'uploading';
  return (
    <li className={`upload-row upload-row--${item.status}`}>
      <div className="upload-row__head">
        <span className="upload-row__name">{item.file.name}</span>
        <span className="upload-row__size">{formatBytes(item.file.size, language)}</span>
      </div>
      {item.status === 'uploading' || item.status === 'queued' ? (
        <progress
          className="upload-row__progress"
          max={100}
          value={item.status === 'queued' ? 0 : percent}
          aria-label={t('client.upload.progressLabel', { name: item.file.name })}
        />
      ) : null}
      <div className="upload-row__foot">
        <span className="upload-row__status">
          {item.status === 'sent' ? <span aria-hidden="true">✓ </span> : null}
          {label}
        </span>
        {failed ? (
          <span className="upload-row__actions">
            <button type="button" className="button upload-row__button" onClick={onRetry}>
              {t('common.retry')}
              <span className="visually-hidden"> ({item.file.name})</span>
            </button>
          </span>
        ) : null}
        {finished && !failed ? (
          <button
            type="button"
            className="button button--ghost upload-row__button"
            onClick={onRemove}
            aria-label={t('client.upload.remove', { name: item.file.name })}
          >
            {t('client.upload.hide')}
          </button>
        ) : null}
      </div>
    </li>
  );
}
