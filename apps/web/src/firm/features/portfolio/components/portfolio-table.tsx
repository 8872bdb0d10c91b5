import type { ClientFile } from '@passerelle/contracts/portfolio';
import { type KeyboardEvent, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { SortIcon } from '../../../../components/icons';
import { formatDate, formatSiren } from '../../../../lib/format';
import { useLanguage } from '../../../../lib/use-language';
import type { PortfolioSort, PortfolioView } from '../api/portfolio-params';

type ColumnKey =
  | 'code'
  | 'name'
  | 'siren'
  | 'legalForm'
  | 'fiscalYearEnd'
  | 'responsible'
  | 'offer'
  | 'contacts';

interface Column {
  key: ColumnKey;
  sort?: PortfolioSort;
  align?: 'end' | 'center';
}

const columns: Column[] = [
  { key: 'code', sort: 'code' },
  { key: 'name', sort: 'name' },
  { key: 'siren', sort: 'siren' },
  { key: 'legalForm' },
  { key: 'fiscalYearEnd', sort: 'fiscalYearEnd' },
  { key: 'responsible', sort: 'responsible' },
  { key: 'offer' },
  { key: 'contacts', align: 'end' },
];

interface Props {
  files: ClientFile[];
  view: PortfolioView;
  busy: boolean;
  selectedId: string | null;
  onSelect: (file: ClientFile) => void;
  /** Double-click: the file's dashboard. */
  onOpen: (file: ClientFile) => void;
  onSort: (sort: PortfolioSort) => void;
}

/**
 * The files of one page. A row is selected by click, or from the keyboard: one row is in the tab
 * order, the arrows move between rows, Space or Enter selects.
 */
export function PortfolioTable({ files, view, busy, selectedId, onSelect, onOpen, onSort }: Props) {
  const { t } = useTranslation();
  const language = useLanguage();
  const rows = useRef<(HTMLTableRowElement | null)[]>([]);
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const hintId = useId();

  const tabStopId =
    [focusedId, selectedId].find((id) => id !== null && files.some((file) => file.id === id)) ?? files[0]?.id;

  const focusRow = (index: number) => {
    const clamped = Math.max(0, Math.min(files.length - 1, index));
    rows.current[clamped]?.focus();
  };

  const onRowKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, index: number, file: ClientFile) => {
    // Keys pressed on the link inside the row belong to the link.
    if (event.target !== event.currentTarget) return;
    switch (event.key) {
      case 'ArrowDown':
        focusRow(index + 1);
        break;
      case 'ArrowUp':
        focusRow(index - 1);
        break;
      case 'Home':
        focusRow(0);
        break;
      case 'End':
        focusRow(files.length - 1);
        break;
      case ' ':
      case 'Enter':
        onSelect(file);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  return (
    <div className="portfolio-table-scroll">
      <p id={hintId} className="visually-hidden">
        {t('firm.portfolio.tableCaptionHint')}
      </p>
      <table className="portfolio-table" aria-busy={busy} aria-describedby={hintId}>
        <caption className="visually-hidden">{t('firm.portfolio.tableCaption')}</caption>
        <thead>
          <tr>
            {columns.map((column) => {
              const label = t(`firm.portfolio.columns.${column.key}`);
              const sorted = column.sort !== undefined && view.sort === column.sort;
              return (
                <th
                  key={column.key}
                  scope="col"
                  className={`portfolio-table__th portfolio-table__th--${column.key}${column.align ? ` is-${column.align}` : ''}`}
                  aria-sort={sorted ? (view.dir === 'asc' ? 'ascending' : 'descending') : undefined}
                >
                  {column.sort ? (
                    <button
                      type="button"
                      className="portfolio-table__sort"
                      onClick={() => column.sort && onSort(column.sort)}
                    >
                      {label}
                      <SortIcon state={sorted ? view.dir : null} />
                    </button>
                  ) : (
                    label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {files.map((file, index) => {
            const selected = file.id === selectedId;
            const tabStop = file.id === tabStopId;
            return (
              <tr
                key={file.id}
                ref={(element) => {
                  rows.current[index] = element;
                }}
                className="portfolio-table__row"
                tabIndex={tabStop ? 0 : -1}
                aria-selected={selected}
                onClick={() => onSelect(file)}
                onDoubleClick={() => onOpen(file)}
                onFocus={() => setFocusedId(file.id)}
                onKeyDown={(event) => onRowKeyDown(event, index, file)}
              >
                <td className="portfolio-table__code">{file.code}</td>
                <td className="portfolio-table__name">
                  <Link to={`/dossiers/${file.id}`} tabIndex={tabStop ? 0 : -1}>
                    {file.name}
                  </Link>
                </td>
                <td className="portfolio-table__nowrap">
                  {file.siren ? formatSiren(file.siren) : t('common.none')}
                </td>
                <td>{file.legalForm ?? t('common.none')}</td>
                <td className="portfolio-table__nowrap">
                  {file.fiscalYearEnd ? formatDate(file.fiscalYearEnd, language) : t('common.none')}
                </td>
                <td>{file.responsible?.name ?? t('common.none')}</td>
                <td>
                  {file.offer ? (
                    <span className="offer-badge">{file.offer.label}</span>
                  ) : (
                    <span className="portfolio-table__none">{t('common.none')}</span>
                  )}
                </td>
                <td className="is-end">{file.contactCount}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Placeholder rows while the first page loads. */
export function PortfolioTableSkeleton() {
  const { t } = useTranslation();
  return (
    <div className="portfolio-table-scroll" aria-busy="true">
      <p className="visually-hidden" role="status">
        {t('common.loading')}
      </p>
      <table className="portfolio-table portfolio-table--skeleton" aria-hidden="true">
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.key} className={`portfolio-table__th portfolio-table__th--${column.key}`}>
                {t(`firm.portfolio.columns.${column.key}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: 12 }, (_, row) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholder rows have nothing but their position
            <tr key={row}>
              {columns.map((column) => (
                <td key={column.key}>
                  <span className="skeleton-bar" />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
