import type { ClientDashboard } from '@passerelle/contracts/ged';
import { clientGet } from '../../../app/client-get';

export type { ClientDashboard };

export function fetchDashboard(fileId: string, signal: AbortSignal) {
  return clientGet<ClientDashboard>(`/api/client/files/${fileId}/dashboard`, signal);
}

export interface KeyFigure {
  key: 'revenue' | 'commercialMargin' | 'netIncome' | 'netCash' | 'receivables' | 'payables';
  value: number;
  previous: number | null;
}

const figureKeys: KeyFigure['key'][] = [
  'revenue',
  'commercialMargin',
  'netIncome',
  'netCash',
  'receivables',
  'payables',
];

function numbersOf(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
}

/**
 * The key figures, whatever the shape the dashboard finally takes: the figures themselves, a
 * year (`{ figures }`), or the file's years (`{ current: { figures }, previous }`). Unknown
 * shapes give nothing rather than a broken page.
 */
export function readKeyFigures(figures: unknown): { figures: KeyFigure[]; fiscalYearEnd: string | null } {
  const root = numbersOf(figures);
  if (!root) return { figures: [], fiscalYearEnd: null };
  const currentYear = numbersOf(root.current) ?? root;
  const current = numbersOf(currentYear.figures) ?? currentYear;
  const previousYear = numbersOf(root.previous);
  const previous = numbersOf(previousYear?.figures) ?? null;
  const alias: Partial<Record<KeyFigure['key'], string[]>> = {
    revenue: ['chiffreAffaires'],
    netIncome: ['resultat', 'result'],
    netCash: ['tresorerie', 'cash'],
  };
  const pick = (source: Record<string, unknown> | null, key: KeyFigure['key']): number | null => {
    if (!source) return null;
    for (const name of [key, ...(alias[key] ?? [])]) {
      const value = source[name];
      if (typeof value === 'number' && Number.isFinite(value)) return value;
    }
    return null;
  };
  const result: KeyFigure[] = [];
  for (const key of figureKeys) {
    const value = pick(current, key);
    if (value !== null) result.push({ key, value, previous: pick(previous, key) });
  }
  const fiscalYear = numbersOf(currentYear.fiscalYear);
  return { figures: result, fiscalYearEnd: typeof fiscalYear?.end === 'string' ? fiscalYear.end : null };
}
