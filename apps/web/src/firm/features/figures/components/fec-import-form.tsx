import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../../lib/error-message';
import { type FecUploadOutcome, useUploadFec } from '../api/use-fec';
import { fiscalYearFromFileName } from './figures-format';

/**
 * Importer un FEC: the file, the fiscal year (read from the name `…FECAAAAMMJJ.txt` when it
 * tells one, and editable), the upload's progress, then the outcome handed to the section.
 */
export function FecImportForm({
  fileId,
  onOutcome,
}: {
  fileId: string;
  onOutcome: (outcome: FecUploadOutcome) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const upload = useUploadFec(fileId);
  const [file, setFile] = useState<File | null>(null);
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [fromName, setFromName] = useState(false);
  const [missingFile, setMissingFile] = useState(false);
  const [progress, setProgress] = useState(0);
  const [inputKey, setInputKey] = useState(0);

  const chooseFile = (chosen: File | null) => {
    setFile(chosen);
    setMissingFile(false);
    upload.reset();
    const year = chosen ? fiscalYearFromFileName(chosen.name) : null;
    setFromName(year !== null);
    if (year) {
      setStart(year.start);
      setEnd(year.end);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!file) {
      setMissingFile(true);
      return;
    }
    setProgress(0);
    upload.mutate(
      { file, fiscalYear: { start: start || undefined, end: end || undefined }, onProgress: setProgress },
      {
        onSuccess: (outcome) => {
          onOutcome(outcome);
          setFile(null);
          setFromName(false);
          setStart('');
          setEnd('');
          // A new input: the same file can be chosen again after a fix.
          setInputKey((key) => key + 1);
        },
      },
    );
  };

  const percent = Math.round(progress * 100);
  return (
    <form className="fec-import" onSubmit={submit} aria-labelledby={`${id}-title`} noValidate>
      <h3 id={`${id}-title`} className="fec-section__subtitle">
        {t('firm.figures.import.title')}
      </h3>
      <div className="fec-import__fields">
        <div className="fec-import__file">
          <label className="field-label" htmlFor={`${id}-file`}>
            {t('firm.figures.import.file')}
          </label>
          <input
            key={inputKey}
            id={`${id}-file`}
            className="input"
            type="file"
            accept=".txt,.csv,text/plain,text/csv"
            aria-describedby={`${id}-file-hint`}
            aria-invalid={missingFile || undefined}
            disabled={upload.isPending}
            onChange={(event) => chooseFile(event.currentTarget.files?.[0] ?? null)}
          />
          <p id={`${id}-file-hint`} className="fec-import__hint">
            {missingFile ? (
              <span className="fec-import__error">{t('firm.figures.import.chooseFile')}</span>
            ) : fromName ? (
              t('firm.figures.import.fromName')
            ) : (
              t('firm.figures.import.fileHint')
            )}
          </p>
        </div>
        <div>
          <label className="field-label" htmlFor={`${id}-start`}>
            {t('firm.figures.import.start')}
          </label>
          <input
            id={`${id}-start`}
            className="input"
            type="date"
            value={start}
            disabled={upload.isPending}
            onChange={(event) => setStart(event.currentTarget.value)}
          />
        </div>
        <div>
          <label className="field-label" htmlFor={`${id}-end`}>
            {t('firm.figures.import.end')}
          </label>
          <input
            id={`${id}-end`}
            className="input"
            type="date"
            value={end}
            disabled={upload.isPending}
            onChange={(event) => setEnd(event.currentTarget.value)}
          />
        </div>
        <button
          type="submit"
          className="button button--primary fec-import__submit"
          disabled={upload.isPending}
        >
          {t('firm.figures.import.submit')}
        </button>
      </div>
      {upload.isPending ? (
        <div className="fec-import__progress" role="status">
          <progress max={100} value={percent} aria-label={t('firm.figures.import.progressLabel')} />
          <span>
            {percent < 100
              ? t('firm.figures.import.uploading', { percent })
              : t('firm.figures.import.checking')}
          </span>
        </div>
      ) : null}
      {upload.isError ? (
        <p className="fec-import__failure" role="alert">
          {errorMessage(t, upload.error)}
        </p>
      ) : null}
    </form>
  );
}
