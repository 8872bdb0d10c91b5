import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../../../components/notice';
import { formatDate, formatDateTime } from '../../../../lib/format';
import { useLanguage } from '../../../../lib/use-language';
import { useFecImports, useFileFigures } from '../api/use-fec';
import { FecHistory } from './fec-history';
import { FecImportForm } from './fec-import-form';
import { FecReportPanel } from './fec-report';
import { KeyFiguresTable } from './key-figures-table';
import '../../../components/data-table.css';
import './figures.css';

/**
 * Comptabilité (FEC) on the file's dashboard: import a FEC, read its validation report, the
 * history of imports, and the key figures computed from the current imports.
 */
export function FecSection({ fileId, canWrite }: { fileId: string; canWrite: boolean }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const id = useId();
  const [openedReport, setOpenedReport] = useState<string | null>(null);
  const [fiscalYearEnd, setFiscalYearEnd] = useState<string | undefined>(undefined);
  const imports = useFecImports(fileId);
  const figures = useFileFigures(fileId, fiscalYearEnd);
  const reportRef = useRef<HTMLDivElement>(null);

  // A report opened from the history or after an upload is brought into view and focus.
  useEffect(() => {
    if (openedReport === null) return;
    const panel = reportRef.current?.querySelector<HTMLElement>('.fec-report');
    panel?.focus({ preventScroll: true });
    panel?.scrollIntoView({ block: 'nearest' });
  }, [openedReport]);

  const years = figures.data?.fiscalYears ?? [];
  const current = figures.data?.current ?? null;

  return (
    <section className="tile fec-section" aria-labelledby={`${id}-title`}>
      <div className="tile__header">
        <h2 id={`${id}-title`} className="tile__title">
          {t('firm.figures.title')}
        </h2>
      </div>
      <p className="tile__muted">{t('firm.figures.intro')}</p>

      {canWrite ? (
        <FecImportForm
          fileId={fileId}
          onOutcome={(outcome) => {
            setFiscalYearEnd(undefined);
            setOpenedReport(outcome.status === 'accepted' ? outcome.result.import.id : outcome.body.importId);
          }}
        />
      ) : null}

      <div ref={reportRef}>
        {openedReport !== null ? (
          <FecReportPanel
            key={openedReport}
            fileId={fileId}
            importId={openedReport}
            onClose={() => setOpenedReport(null)}
          />
        ) : null}
      </div>

      <div className="fec-section__block">
        <div className="fec-section__block-header">
          <h3 className="fec-section__subtitle">{t('firm.figures.keyFigures.title')}</h3>
          {years.length > 1 ? (
            <label className="fec-section__year">
              <span>{t('firm.figures.keyFigures.fiscalYear')}</span>
              <select
                className="select"
                value={fiscalYearEnd ?? current?.fiscalYear.end ?? ''}
                onChange={(event) => setFiscalYearEnd(event.currentTarget.value)}
              >
                {years.map((year) => (
                  <option key={year.end} value={year.end}>
                    {t('firm.figures.fiscalYearRange', {
                      start: formatDate(year.start, language),
                      end: formatDate(year.end, language),
                    })}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
        </div>
        {figures.isError ? (
          <ErrorNotice error={figures.error} onRetry={() => void figures.refetch()} />
        ) : !figures.data ? (
          <p className="tile__muted" role="status">
            {t('common.loading')}
          </p>
        ) : current ? (
          <>
            <p className="tile__muted">
              {t('firm.figures.keyFigures.source', {
                year: t('firm.figures.fiscalYearRange', {
                  start: formatDate(current.fiscalYear.start, language),
                  end: formatDate(current.fiscalYear.end, language),
                }),
                date: formatDateTime(current.importedAt, language),
              })}
            </p>
            <KeyFiguresTable figures={figures.data} />
          </>
        ) : (
          <p className="fec-section__empty">{t('firm.figures.keyFigures.empty')}</p>
        )}
      </div>

      <div className="fec-section__block">
        <h3 className="fec-section__subtitle">{t('firm.figures.history.title')}</h3>
        {imports.isError ? (
          <ErrorNotice error={imports.error} onRetry={() => void imports.refetch()} />
        ) : !imports.data ? (
          <p className="tile__muted" role="status">
            {t('common.loading')}
          </p>
        ) : imports.data.items.length === 0 ? (
          <p className="fec-section__empty">{t('firm.figures.history.empty')}</p>
        ) : (
          <FecHistory items={imports.data.items} openedId={openedReport} onOpen={setOpenedReport} />
        )}
      </div>
    </section>
  );
}
