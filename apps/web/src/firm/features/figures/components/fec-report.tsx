import type { FecImportReport, FecReportBody } from '@passerelle/contracts/figures';
import { useTranslation } from 'react-i18next';
import { CloseIcon } from '../../../../components/icons';
import { ErrorNotice } from '../../../../components/notice';
import { formatCount, formatDate, formatDateTime } from '../../../../lib/format';
import { useLanguage } from '../../../../lib/use-language';
import { useFecReport } from '../api/use-fec';
import { formatCents } from './figures-format';

/** One import's validation report, loaded from the history (or right after an upload). */
export function FecReportPanel({
  fileId,
  importId,
  onClose,
}: {
  fileId: string;
  importId: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const report = useFecReport(fileId, importId);
  return (
    <section className="fec-report" aria-labelledby="fec-report-title" tabIndex={-1}>
      <div className="fec-report__header">
        <h3 id="fec-report-title" className="fec-section__subtitle">
          {t('firm.figures.report.title')}
          {report.data ? ` — ${report.data.import.originalName}` : ''}
        </h3>
        <button
          type="button"
          className="button button--ghost button--small fec-report__close"
          onClick={onClose}
          aria-label={t('firm.figures.report.close')}
          title={t('firm.figures.report.close')}
        >
          <CloseIcon size={16} />
        </button>
      </div>
      {report.isError ? (
        <ErrorNotice error={report.error} onRetry={() => void report.refetch()} />
      ) : !report.data ? (
        <p className="tile__muted" role="status">
          {t('common.loading')}
        </p>
      ) : (
        <FecReportBodyView data={report.data} />
      )}
    </section>
  );
}

function FecReportBodyView({ data }: { data: FecImportReport }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { report, import: item } = data;
  const errors = report.issues.filter((group) => group.severity === 'error');
  const warnings = report.issues.filter((group) => group.severity === 'warning');
  const accepted = report.status === 'accepted';
  const separator = report.meta.separator;
  const separatorLabel =
    separator === null
      ? t('firm.figures.report.separatorUnknown')
      : separator === '\t'
        ? t('firm.figures.report.separatorTab')
        : t('firm.figures.report.separator', { separator });
  const year = item.fiscalYear
    ? t('firm.figures.fiscalYearRange', {
        start: formatDate(item.fiscalYear.start, language),
        end: formatDate(item.fiscalYear.end, language),
      })
    : t('firm.figures.history.unknownYear');

  return (
    <div className="fec-report__body">
      {accepted ? (
        <div className="fec-report__status fec-report__status--accepted" role="status">
          <p className="fec-report__status-title">{t('firm.figures.report.acceptedTitle')}</p>
          <p>
            {t('firm.figures.report.acceptedText', {
              count: report.lineCount,
              lines: formatCount(report.lineCount, language),
              year,
            })}
          </p>
        </div>
      ) : (
        <div className="fec-report__status fec-report__status--refused" role="alert">
          <p className="fec-report__status-title">{t('firm.figures.report.refusedTitle')}</p>
          <p>{t('firm.figures.report.refusedText', { count: report.errorCount })}</p>
          {report.stoppedEarly ? <p>{t('firm.figures.report.stoppedEarly')}</p> : null}
        </div>
      )}

      <dl className="fec-report__facts">
        <div>
          <dt>{t('firm.figures.history.columns.date')}</dt>
          <dd>{formatDateTime(item.importedAt, language)}</dd>
        </div>
        <div>
          <dt>{t('firm.figures.history.columns.fiscalYear')}</dt>
          <dd>{year}</dd>
        </div>
        <div>
          <dt>{t('firm.figures.history.columns.lines')}</dt>
          <dd>{formatCount(report.lineCount, language)}</dd>
        </div>
        <div>
          <dt>{t('firm.figures.report.format')}</dt>
          <dd>{[report.meta.encoding, separatorLabel].filter(Boolean).join(' · ')}</dd>
        </div>
      </dl>

      {errors.length > 0 ? (
        <IssueList title={t('firm.figures.report.errors')} groups={errors} tone="error" />
      ) : null}

      {report.lineCount > 0 ? <BalanceCheck report={report} /> : null}

      {report.journals.length > 0 ? <JournalTable report={report} /> : null}

      {warnings.length > 0 ? (
        <IssueList title={t('firm.figures.report.warnings')} groups={warnings} tone="warning" />
      ) : accepted ? (
        <p className="tile__muted">{t('firm.figures.report.noWarnings')}</p>
      ) : null}

      <details className="fec-report__text">
        <summary>{t('firm.figures.report.showText')}</summary>
        <pre lang="fr">{data.text}</pre>
      </details>
    </div>
  );
}

function BalanceCheck({ report }: { report: FecReportBody }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { debitCents, creditCents, balanced } = report.totals;
  return (
    <p className={`fec-report__balance ${balanced ? 'is-ok' : 'is-ko'}`}>
      <span aria-hidden="true">{balanced ? '✓' : '✗'}</span>{' '}
      {t(balanced ? 'firm.figures.report.balanced' : 'firm.figures.report.unbalanced', {
        debit: formatCents(debitCents, language),
        credit: formatCents(creditCents, language),
      })}
    </p>
  );
}

function JournalTable({ report }: { report: FecReportBody }) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <div className="data-table-scroll">
      <table className="data-table fec-report__journals">
        <caption className="fec-report__caption">{t('firm.figures.report.journals')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('firm.figures.report.columns.journal')}</th>
            <th scope="col">{t('firm.figures.report.columns.label')}</th>
            <th scope="col">{t('firm.figures.report.columns.period')}</th>
            <th scope="col" className="is-end">
              {t('firm.figures.report.columns.lines')}
            </th>
            <th scope="col" className="is-end">
              {t('firm.figures.report.columns.debit')}
            </th>
            <th scope="col" className="is-end">
              {t('firm.figures.report.columns.credit')}
            </th>
          </tr>
        </thead>
        <tbody>
          {report.journals.map((journal) => (
            <tr key={journal.code}>
              <td className="is-code">{journal.code}</td>
              <td>
                {journal.label}
                {journal.opening ? (
                  <>
                    {' '}
                    <span className="badge">{t('firm.figures.report.opening')}</span>
                  </>
                ) : null}
              </td>
              <td className="is-nowrap">
                {journal.firstDate && journal.lastDate
                  ? `${formatDate(journal.firstDate, language)} – ${formatDate(journal.lastDate, language)}`
                  : t('common.none')}
              </td>
              <td className="is-end">{formatCount(journal.lineCount, language)}</td>
              <td className="is-end is-nowrap">{formatCents(journal.debitCents, language)}</td>
              <td className="is-end is-nowrap">{formatCents(journal.creditCents, language)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={3}>
              {t('firm.figures.report.total')}
            </th>
            <td className="is-end">{formatCount(report.lineCount, language)}</td>
            <td className="is-end is-nowrap">{formatCents(report.totals.debitCents, language)}</td>
            <td className="is-end is-nowrap">{formatCents(report.totals.creditCents, language)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

function IssueList({
  title,
  groups,
  tone,
}: {
  title: string;
  groups: FecReportBody['issues'];
  tone: 'error' | 'warning';
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <div className={`fec-issues fec-issues--${tone}`}>
      <h4 className="fec-issues__title">{title}</h4>
      <ul className="fec-issues__groups">
        {groups.map((group) => (
          <li key={group.code}>
            <span className="fec-issues__count">
              {t('firm.figures.report.occurrences', {
                count: group.count,
                n: formatCount(group.count, language),
              })}
            </span>
            <ul className="fec-issues__items">
              {group.issues.map((issue, index) => (
                // Issues have no id; their order in a stored report never changes.
                // biome-ignore lint/suspicious/noArrayIndexKey: a stored report is immutable
                <li key={index} className="fec-issues__item">
                  {issue.line !== null ? (
                    <span className="fec-issues__line">
                      {t('firm.figures.report.line', { line: formatCount(issue.line, language) })}
                    </span>
                  ) : null}
                  <span lang="fr">{issue.message}</span>
                  {issue.value ? <code className="fec-issues__value">{issue.value}</code> : null}
                </li>
              ))}
              {group.count > group.issues.length ? (
                <li className="fec-issues__item tile__muted">
                  {t('firm.figures.report.more', { count: group.count - group.issues.length })}
                </li>
              ) : null}
            </ul>
          </li>
        ))}
      </ul>
    </div>
  );
}
