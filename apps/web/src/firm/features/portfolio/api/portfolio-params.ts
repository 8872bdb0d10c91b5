import type { PortfolioQuery } from '@passerelle/contracts/portfolio';

export type PortfolioSort = PortfolioQuery['sort'];
export type SortDirection = PortfolioQuery['dir'];
export type OfferFilter = NonNullable<PortfolioQuery['offer']>;

/** What the page shows, kept in the address bar so that back, reload and a shared link keep it. */
export interface PortfolioView {
  q: string;
  offer: OfferFilter | null;
  responsibleId: string | null;
  sort: PortfolioSort;
  dir: SortDirection;
  page: number;
  pageSize: number;
}

export const pageSizes = [25, 50, 100] as const;
const sorts: readonly PortfolioSort[] = ['code', 'name', 'siren', 'fiscalYearEnd', 'responsible'];
const defaults: PortfolioView = {
  q: '',
  offer: null,
  responsibleId: null,
  sort: 'code',
  dir: 'asc',
  page: 1,
  pageSize: 50,
};
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function positiveInt(value: string | null, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? n : fallback;
}

export function readPortfolioView(params: URLSearchParams): PortfolioView {
  const sort = params.get('sort');
  const offer = params.get('offer');
  const responsibleId = params.get('responsibleId');
  const pageSize = positiveInt(params.get('pageSize'), defaults.pageSize);
  return {
    q: params.get('q')?.trim().slice(0, 100) ?? '',
    offer: offer === 'active' || offer === 'none' ? offer : null,
    responsibleId: responsibleId && uuidPattern.test(responsibleId) ? responsibleId : null,
    sort: sorts.find((s) => s === sort) ?? defaults.sort,
    dir: params.get('dir') === 'desc' ? 'desc' : 'asc',
    page: Math.min(positiveInt(params.get('page'), 1), 100_000),
    pageSize: (pageSizes as readonly number[]).includes(pageSize) ? pageSize : defaults.pageSize,
  };
}

/** Only what differs from the defaults goes into the address. */
export function writePortfolioView(view: PortfolioView): URLSearchParams {
  const params = new URLSearchParams();
  if (view.q) params.set('q', view.q);
  if (view.offer) params.set('offer', view.offer);
  if (view.responsibleId) params.set('responsibleId', view.responsibleId);
  if (view.sort !== defaults.sort || view.dir !== defaults.dir) {
    params.set('sort', view.sort);
    params.set('dir', view.dir);
  }
  if (view.page !== 1) params.set('page', String(view.page));
  if (view.pageSize !== defaults.pageSize) params.set('pageSize', String(view.pageSize));
  return params;
}

export function hasFilters(view: PortfolioView): boolean {
  return view.q !== '' || view.offer !== null || view.responsibleId !== null;
}

export function toPortfolioQuery(view: PortfolioView): PortfolioQuery {
  return {
    ...(view.q ? { q: view.q } : {}),
    ...(view.offer ? { offer: view.offer } : {}),
    ...(view.responsibleId ? { responsibleId: view.responsibleId } : {}),
    sort: view.sort,
    dir: view.dir,
    page: view.page,
    pageSize: view.pageSize,
  };
}
