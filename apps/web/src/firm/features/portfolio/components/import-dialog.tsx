import type { ImportReport } from '@passerelle/contracts/collaboration';
import type { TFunction } from 'i18next';
import { type FormEvent, Fragment, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DownloadIcon } from '../../../../components/icons';
import { ApiError } from '../../../../lib/api';
import { errorMessage } from '../../../../lib/error-message';
import { formatCount } from '../../../../lib/format';
import { useLanguage } from '../../../../lib/use-language';
import { Dialog } from '../../../components/dialog';
import { FormAlert } from '../../../components/form-field';
import { useImportFiles } from '../api/use-file-mutations';

const columns = ['code', 'name', 'siren', 'legalForm', 'fiscalYearEnd', 'responsible'] as const;
/** Lines shown in the preview; the counts always cover the whole file. */
const previewLimit = 200;
const template =
  '\uFEFFCode;Raison sociale;SIREN;Forme juridique;Date de clôture;Responsable\r\n' +
  'CLI0100;Exemple SARL;552100554;SARL;31/12/2026;\r\n';

interface Props {
  onClose: () => void;
  onDone: (count: number) => void;
}

type Column = (typeof columns)[number];
const fieldOf = (field: string): Column => columns.find((column) => column === field) ?? 'code';

function reportOf(error: unknown): ImportReport | null {
  if (!(error instanceof ApiError)) return null;
  const report = error.details.report;
  return typeof report === 'object' && report !== null ? (report as ImportReport) : null;
}

/**
 * Importer: choose a CSV file, read the server's check of every line (nothing written yet),
 * then import all lines at once; a file with any error imports nothing.
 */
export function ImportDialog({ onClose, onDone }: Props) {
  const { t } = useTranslation();
  const language = useLanguage();
  const inputId = useId();
  const hintId = useId();
  const preview = useImportFiles();
  const commit = useImportFiles();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [onlyErrors, setOnlyErrors] = useState(false);
  const [templateUrl, setTemplateUrl] = useState<string | null>(null);

  useEffect(() => {
    const url = URL.createObjectURL(new Blob([template], { type: 'text/csv;charset=utf-8' }));
    setTemplateUrl(url);
    return () => URL.revokeObjectURL(url);
  }, []);

  const choose = (chosen: File | null) => {
    setFile(chosen);
    setReport(null);
    commit.reset();
    if (!chosen) return;
    preview.mutate({ file: chosen, commit: false }, { onSuccess: setReport });
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!file || !report || report.valid !== report.total) return;
    commit.mutate(
      { file, commit: true },
      {
        onSuccess: (done) => onDone(done.valid),
        onError: (error) => {
          const refused = reportOf(error);
          if (refused) setReport(refused);
        },
      },
    );
  };

  const invalid = report ? report.total - report.valid : 0;
  const lines = report ? report.lines.filter((line) => !onlyErrors || line.errors.length > 0) : [];
  const loadError = preview.isError
    ? preview.error
    : commit.isError && !reportOf(commit.error)
      ? commit.error
      : null;
  const unreadable =
    loadError instanceof ApiError && loadError.code === 'IMPORT_INVALID'
      ? loadError.fields[0]?.message
      : undefined;

  return (
    <Dialog
      title={t('firm.portfolio.import.title')}
      size="large"
      onClose={onClose}
      onSubmit={onSubmit}
      footer={
        <>
          {templateUrl ? (
            <a
              className="button button--ghost dialog__footer-start"
              href={templateUrl}
              download="modele-dossiers.csv"
            >
              <DownloadIcon size={16} />
              {t('firm.portfolio.import.template')}
            </a>
          ) : null}
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            className="button button--primary"
            disabled={!report || report.total === 0 || invalid > 0 || commit.isPending}
          >
            {commit.isPending
              ? t('firm.portfolio.import.importing')
              : report
                ? t('firm.portfolio.import.commit', { count: report.valid })
                : t('firm.portfolio.importButton')}
          </button>
        </>
      }
    >
      <p className="dialog-intro">{t('firm.portfolio.import.intro')}</p>
      <div className="form-field">
        <label htmlFor={inputId} className="field-label">
          {t('firm.portfolio.import.file')}
        </label>
        <input
          id={inputId}
          type="file"
          className="import-file-input"
          accept=".csv,text/csv"
          aria-describedby={hintId}
          onChange={(event) => choose(event.target.files?.[0] ?? null)}
        />
        <p id={hintId} className="form-field__hint">
          {t('firm.portfolio.import.columnsHint')}
        </p>
      </div>

      {preview.isPending ? <p role="status">{t('firm.portfolio.import.reading')}</p> : null}
      <FormAlert>
        {loadError
          ? unreadable
            ? `${t('firm.portfolio.import.unreadable')} ${unreadable}`
            : errorMessage(t, loadError)
          : null}
      </FormAlert>

      {report ? (
        <>
          <dl className="import-summary" aria-live="polite">
            <div>
              <dt>{t('firm.portfolio.import.encoding')}</dt>
              <dd>{report.encoding}</dd>
            </div>
            <div>
              <dt>{t('firm.portfolio.import.separator')}</dt>
              <dd>{separatorName(t, report.separator)}</dd>
            </div>
            <div>
              <dt>{t('firm.portfolio.import.lines')}</dt>
              <dd>{formatCount(report.total, language)}</dd>
            </div>
            <div>
              <dt>{t('firm.portfolio.import.valid')}</dt>
              <dd>{formatCount(report.valid, language)}</dd>
            </div>
            <div className={invalid > 0 ? 'import-summary__bad' : undefined}>
              <dt>{t('firm.portfolio.import.invalid')}</dt>
              <dd>{formatCount(invalid, language)}</dd>
            </div>
          </dl>
          {invalid > 0 ? (
            <FormAlert>{t('firm.portfolio.import.fixFirst', { count: invalid })}</FormAlert>
          ) : null}
          {invalid > 0 ? (
            <label className="import-only-errors">
              <input
                type="checkbox"
                checked={onlyErrors}
                onChange={(event) => setOnlyErrors(event.target.checked)}
              />
              {t('firm.portfolio.import.onlyErrors')}
            </label>
          ) : null}
          <div className="import-preview data-table-scroll">
            <table className="data-table">
              <caption className="visually-hidden">{t('firm.portfolio.import.previewCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col" className="is-end">
                    {t('firm.portfolio.import.line')}
                  </th>
                  {columns.map((column) => (
                    <th key={column} scope="col">
                      {t(`firm.portfolio.import.columns.${column}`)}
                    </th>
                  ))}
                  <th scope="col">{t('firm.portfolio.import.state')}</th>
                </tr>
              </thead>
              <tbody>
                {lines.slice(0, previewLimit).map((line) => {
                  const bad = new Set(line.errors.map((error) => error.field));
                  const rowClass = line.errors.length > 0 ? 'import-preview__row--error' : undefined;
                  return (
                    <Fragment key={line.line}>
                      <tr className={rowClass}>
                        <td className="is-end is-muted">{line.line}</td>
                        {columns.map((column) => (
                          <td
                            key={column}
                            className={bad.has(column) ? 'import-preview__cell--error' : 'is-nowrap'}
                            aria-invalid={bad.has(column) || undefined}
                          >
                            {line.values[column] ?? ''}
                          </td>
                        ))}
                        <td className="is-nowrap">
                          {line.errors.length > 0 ? (
                            <span className="import-preview__bad">
                              {t('firm.portfolio.import.errorCount', { count: line.errors.length })}
                            </span>
                          ) : (
                            <span className="import-preview__ok">{t('firm.portfolio.import.ok')}</span>
                          )}
                        </td>
                      </tr>
                      {line.errors.length > 0 ? (
                        <tr className="import-preview__row--error import-preview__messages">
                          <td />
                          <td colSpan={columns.length + 1}>
                            <ul>
                              {line.errors.map((error) => (
                                <li key={`${error.field}-${error.message}`}>
                                  <strong>
                                    {t(`firm.portfolio.import.columns.${fieldOf(error.field)}`)}
                                  </strong>
                                  {'\u00a0'}: {error.message}
                                </li>
                              ))}
                            </ul>
                          </td>
                        </tr>
                      ) : null}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
          {lines.length > previewLimit ? (
            <p className="form-field__hint">
              {t('firm.portfolio.import.truncated', {
                shown: formatCount(previewLimit, language),
                total: formatCount(lines.length, language),
              })}
            </p>
          ) : null}
        </>
      ) : null}
    </Dialog>
  );
}

function separatorName(t: TFunction, separator: string): string {
  switch (separator) {
    case ';':
      return t('firm.portfolio.import.separators.semicolon');
    case ',':
      return t('firm.portfolio.import.separators.comma');
    case '\t':
      return t('firm.portfolio.import.separators.tab');
    case '|':
      return t('firm.portfolio.import.separators.pipe');
    default:
      return `« ${separator} »`;
  }
}
