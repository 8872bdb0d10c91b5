import { type DragEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { UploadIcon } from '../../../../components/icons';
import { fr } from '../../../../i18n/fr';
import { ApiError } from '../../../../lib/api';
import { formatBytes } from '../../../../lib/format-bytes';
import type { FileOutcome } from '../../../../lib/upload';
import { useLanguage } from '../../../../lib/use-language';

interface Upload {
  id: number;
  file: File;
  state: 'queued' | 'uploading' | 'done' | 'failed';
  progress: number;
  code: string | null;
  message: string | null;
}

let nextId = 1;

/**
 * Drag and drop (or choose) files into the open folder: each file is its own request with its
 * own progress bar and result; a failed one can be sent again.
 */
export function UploadPanel({
  disabled,
  multiple = true,
  label,
  send,
  onUploaded,
}: {
  disabled: boolean;
  /** One file only (a new version): the chooser takes one, a drop keeps the first. */
  multiple?: boolean;
  /** The zone's name, e.g. "Ajout de documents". */
  label: string;
  send: (file: File, onProgress: (fraction: number) => void) => Promise<FileOutcome>;
  onUploaded: () => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [over, setOver] = useState(false);
  const inputId = useId();
  const busy = uploads.some((upload) => upload.state === 'uploading');
  const sendRef = useRef(send);
  sendRef.current = send;
  const onUploadedRef = useRef(onUploaded);
  onUploadedRef.current = onUploaded;

  const patch = useCallback(
    (id: number, change: Partial<Upload>) =>
      setUploads((all) => all.map((upload) => (upload.id === id ? { ...upload, ...change } : upload))),
    [],
  );

  useEffect(() => {
    if (busy) return;
    const next = uploads.find((upload) => upload.state === 'queued');
    if (!next) return;
    patch(next.id, { state: 'uploading', progress: 0 });
    sendRef
      .current(next.file, (progress) => patch(next.id, { progress }))
      .then(
        (outcome) => {
          patch(
            next.id,
            outcome.ok
              ? { state: 'done', progress: 1 }
              : { state: 'failed', code: outcome.code, message: outcome.message },
          );
          if (outcome.ok) onUploadedRef.current();
        },
        // A refusal arrives as an ApiError (4xx): keep the server's wording, which alone carries
        // a duplicate's date ("Déjà déposé le …"); `describe` decides when to show it.
        (error: unknown) =>
          patch(next.id, {
            state: 'failed',
            code: error instanceof ApiError ? error.code : 'INTERNAL',
            message: error instanceof ApiError ? error.message : null,
          }),
      );
  }, [uploads, busy, patch]);

  const add = (files: FileList | null) => {
    if (!files || files.length === 0) return;
    const added = [...files].slice(0, multiple ? files.length : 1).map((file) => ({
      id: nextId++,
      file,
      state: 'queued' as const,
      progress: 0,
      code: null,
      message: null,
    }));
    setUploads((all) => [...all.filter((upload) => upload.state !== 'done'), ...added]);
  };

  const describe = (upload: Upload) => {
    if (upload.state === 'queued') return t('firm.ged.upload.queued');
    if (upload.state === 'uploading')
      return t('firm.ged.upload.progress', { percent: Math.round(upload.progress * 100) });
    if (upload.state === 'done') return t('firm.ged.upload.done');
    if (upload.code && Object.hasOwn(fr.errors, upload.code)) {
      const base = t(`errors.${upload.code as keyof typeof fr.errors}`);
      // The duplicate's date is only in the server's French wording.
      return upload.code === 'DUPLICATE_DOCUMENT' && language === 'fr' && upload.message
        ? upload.message
        : base;
    }
    return language === 'fr' && upload.message ? upload.message : t('firm.ged.upload.failed');
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    if (!disabled) add(event.dataTransfer.files);
  };

  return (
    <section
      aria-label={label}
      className={`ged-drop${over ? ' ged-drop--over' : ''}`}
      onDragOver={(event) => {
        if (disabled) return;
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <div className="ged-drop__bar">
        <UploadIcon size={18} />
        <span className="ged-drop__text">
          {t(multiple ? 'firm.ged.upload.dropHint' : 'firm.ged.upload.dropHintOne')}
        </span>
        <input
          id={inputId}
          type="file"
          multiple={multiple}
          className="visually-hidden"
          disabled={disabled}
          onChange={(event) => {
            add(event.currentTarget.files);
            event.currentTarget.value = '';
          }}
        />
        <label
          htmlFor={inputId}
          className={`button button--small button--primary${disabled ? ' is-disabled' : ''}`}
        >
          {t(multiple ? 'firm.ged.upload.choose' : 'firm.ged.upload.chooseOne')}
        </label>
      </div>
      {uploads.length > 0 ? (
        <ul className="ged-uploads">
          {uploads.map((upload) => (
            <li key={upload.id} className={`ged-uploads__item ged-uploads__item--${upload.state}`}>
              <span className="ged-uploads__name">{upload.file.name}</span>
              <span className="ged-uploads__size">{formatBytes(upload.file.size, language)}</span>
              {upload.state === 'uploading' || upload.state === 'queued' ? (
                <progress
                  max={100}
                  value={Math.round(upload.progress * 100)}
                  aria-label={t('firm.ged.upload.progressLabel', { name: upload.file.name })}
                />
              ) : null}
              <span
                className="ged-uploads__status"
                role={upload.state === 'done' || upload.state === 'failed' ? 'status' : undefined}
              >
                {describe(upload)}
              </span>
              {upload.state === 'failed' && upload.code !== 'DUPLICATE_DOCUMENT' ? (
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => patch(upload.id, { state: 'queued', code: null, message: null })}
                >
                  {t('common.retry')}
                </button>
              ) : upload.state !== 'queued' && upload.state !== 'uploading' ? (
                <button
                  type="button"
                  className="button button--small button--ghost"
                  onClick={() => setUploads((all) => all.filter((item) => item.id !== upload.id))}
                  aria-label={t('firm.ged.upload.dismiss', { name: upload.file.name })}
                >
                  ×
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
