/**
 * The report in French, in the spirit of the DGFiP checker (Test Compta Demat): the verdict
 * first, then what was detected, the totals by journal, and the anomalies grouped by kind with
 * their line numbers.
 */
import type { Indicators } from './indicators.ts';
import { formatCentsFr, formatIntegerFr } from './money.ts';
import type { FecIssue, FecReport, IssueCode, LineEnding } from './types.ts';
import type { IssueDetails } from './validate.ts';

export const AMOUNT_OUT_OF_RANGE_REASON = 'range';

/** Title of each kind of issue, used as the heading of its group. */
export const ISSUE_TITLES_FR: Readonly<Record<IssueCode, string>> = {
  BINARY_FILE: 'Fichier binaire',
  UNSUPPORTED_ENCODING: 'Encodage non pris en charge',
  EMPTY_FILE: 'Fichier vide',
  HEADER_NOT_RECOGNIZED: 'En-tête non reconnu',
  TOO_MANY_COLUMNS: 'Trop de colonnes',
  DUPLICATE_COLUMN: 'Colonne en double',
  MISSING_COLUMN: 'Colonne obligatoire absente',
  LINE_TOO_LONG: 'Ligne trop longue',
  FIELD_COUNT: 'Nombre de champs incorrect',
  MISSING_VALUE: 'Valeur obligatoire absente',
  INVALID_DATE: 'Date invalide',
  INVALID_AMOUNT: 'Montant invalide',
  INVALID_DIRECTION: 'Sens invalide',
  UNBALANCED_ENTRY: 'Écriture non équilibrée',
  UNBALANCED_FILE: 'Fichier non équilibré',
  NO_ENTRIES: "Aucune ligne d'écriture",
  LIMIT_EXCEEDED: 'Limite de contrôle dépassée',
  EMPTY_FIELD: 'Champ obligatoire vide',
  DEBIT_AND_CREDIT: 'Débit et crédit renseignés sur la même ligne',
  ACCOUNT_FORMAT: 'Numéro de compte non conforme au plan comptable',
  DATE_OUTSIDE_FISCAL_YEAR: "Date hors de l'exercice",
  INVALID_OPTIONAL_FIELD: 'Champ facultatif mal formé',
  EXTRA_COLUMN: 'Colonne non réglementaire ignorée',
  AUX_ACCOUNT_WITHOUT_LABEL: 'Compte auxiliaire sans libellé',
  LETTERING_WITHOUT_DATE: 'Lettrage sans date de lettrage',
  OPENING_JOURNAL_WITH_PL_ACCOUNTS: "Journal d'à-nouveaux douteux",
  BLANK_LINES: 'Lignes vides ignorées',
};

const LIMITS_FR: Readonly<Record<string, string>> = {
  amounts: 'le cumul des montants dépasse la précision garantie ; le contrôle est interrompu',
  accounts: 'trop de comptes distincts pour un grand livre réel ; le contrôle est interrompu',
  journals: 'trop de codes journal distincts pour un grand livre réel ; le contrôle est interrompu',
  'open-entries':
    "trop d'écritures ouvertes à la fois (fichier non trié par écriture) ; le contrôle d'équilibre est incomplet",
};

const euros = (value: string | number | undefined) => `${formatCentsFr(Number(value ?? 0))} €`;
/** Numbers grouped the French way, text as is. */
const n = (value: string | number | undefined) =>
  typeof value === 'number' ? formatIntegerFr(value) : String(value);
const quoted = (value: string | null) => `« ${value ?? ''} »`;

/** One sentence describing an issue, in French. */
export function describeIssueFr(issue: Omit<FecIssue, 'message'>, details: IssueDetails): string {
  const column = issue.column ?? '';
  switch (issue.code) {
    case 'BINARY_FILE':
      return details.format === 'binaire'
        ? "Le fichier contient des données binaires : ce n'est pas un FEC au format texte."
        : `Le fichier est au format ${details.format} : un FEC est un fichier texte (tabulation ou barre verticale).`;
    case 'UNSUPPORTED_ENCODING':
      return `Le fichier est encodé en ${details.encoding} : enregistrez-le en UTF-8 ou ISO-8859-15.`;
    case 'EMPTY_FILE':
      return 'Le fichier est vide.';
    case 'HEADER_NOT_RECOGNIZED':
      return `La première ligne doit nommer les colonnes (JournalCode, JournalLib, EcritureNum…) ; lu : ${quoted(issue.value)}.`;
    case 'TOO_MANY_COLUMNS':
      return `L'en-tête compte ${n(details.count)} colonnes, au-delà du maximum de ${n(details.max)} : le fichier est refusé.`;
    case 'DUPLICATE_COLUMN':
      return `La colonne ${column} figure plusieurs fois dans l'en-tête.`;
    case 'MISSING_COLUMN':
      return `La colonne obligatoire ${column} est absente de l'en-tête.`;
    case 'LINE_TOO_LONG':
      return issue.line === 1
        ? `La première ligne dépasse ${n(details.max)} octets : ce n'est pas un en-tête de FEC, la lecture est arrêtée.`
        : `La ligne dépasse ${n(details.max)} octets ; elle est ignorée.`;
    case 'FIELD_COUNT':
      return `${n(details.found)} champs au lieu de ${n(details.expected)} (séparateur présent dans un libellé ?) ; la ligne est ignorée.`;
    case 'MISSING_VALUE':
      return `${column} n'est pas renseigné.`;
    case 'INVALID_DATE':
      return `${column} ${quoted(issue.value)} n'est pas une date valide au format AAAAMMJJ.`;
    case 'INVALID_AMOUNT':
      return details.reason === AMOUNT_OUT_OF_RANGE_REASON
        ? `${column} ${quoted(issue.value)} dépasse le montant maximal accepté.`
        : `${column} ${quoted(issue.value)} n'est pas un montant valide.`;
    case 'INVALID_DIRECTION':
      return `Sens ${quoted(issue.value)} invalide : attendu D ou C (ou +1 / -1).`;
    case 'UNBALANCED_ENTRY':
      return `L'écriture ${details.entryNumber} du journal ${details.journal} n'est pas équilibrée (débit − crédit = ${euros(details.difference)}).`;
    case 'UNBALANCED_FILE':
      return `Le total des débits (${euros(details.debit)}) diffère du total des crédits (${euros(details.credit)}).`;
    case 'NO_ENTRIES':
      return "Le fichier ne contient aucune ligne d'écriture après l'en-tête.";
    case 'LIMIT_EXCEEDED':
      return `Limite de sécurité atteinte : ${LIMITS_FR[String(details.what)] ?? String(details.what)}.`;
    case 'EMPTY_FIELD':
      return `${column} est vide.`;
    case 'DEBIT_AND_CREDIT':
      return `Débit (${euros(details.debit)}) et crédit (${euros(details.credit)}) sont tous deux renseignés.`;
    case 'ACCOUNT_FORMAT':
      return `Le compte ${quoted(issue.value)} ne commence pas par trois chiffres.`;
    case 'DATE_OUTSIDE_FISCAL_YEAR':
      return `${n(details.count)} ligne(s) du journal ${details.journal} sont datées hors de l'exercice (${details.start} – ${details.end}).`;
    case 'INVALID_OPTIONAL_FIELD':
      return `${column} ${quoted(issue.value)} est mal formé.`;
    case 'EXTRA_COLUMN':
      return `La colonne ${quoted(issue.value)} ne fait pas partie du format réglementaire ; elle est ignorée.`;
    case 'AUX_ACCOUNT_WITHOUT_LABEL':
      return `Le compte auxiliaire ${quoted(issue.value)} n'a pas de libellé (CompAuxLib).`;
    case 'LETTERING_WITHOUT_DATE':
      return `Le lettrage ${quoted(issue.value)} n'a pas de date de lettrage (DateLet).`;
    case 'OPENING_JOURNAL_WITH_PL_ACCOUNTS':
      return `Le journal ${details.journal} porte un code ou un libellé d'à-nouveaux mais mouvemente des comptes de charges ou de produits : il est traité comme un journal ordinaire.`;
    case 'BLANK_LINES':
      return `${n(details.count)} ligne(s) vide(s) ignorée(s).`;
  }
}

const SEPARATOR_NAMES: Readonly<Record<string, string>> = {
  '\t': 'tabulation',
  '|': 'barre verticale (|)',
  ';': 'point-virgule (;)',
  ',': 'virgule (,)',
};

const LINE_ENDING_NAMES: Readonly<Record<LineEnding, string>> = {
  LF: 'LF (Unix)',
  CRLF: 'CRLF (Windows)',
  CR: 'CR (Mac ancien)',
  CRCRLF: 'CR CR LF',
  mixed: 'mixtes',
  none: 'aucune (une seule ligne)',
};

const ENCODING_NAMES: Readonly<Record<string, string>> = {
  'utf-8': 'UTF-8',
  'windows-1252': 'Windows-1252',
  'iso-8859-15': 'ISO-8859-15',
  cp850: 'CP850 (DOS)',
};

export interface FormatReportOptions {
  /** Shown in the title. */
  fileName?: string;
  /** Issues listed per kind (default 10); the report itself keeps more, and every count is exact. */
  maxIssuesShown?: number;
}

/** The whole report as plain text, in French. */
export function formatReportFr(report: FecReport, options: FormatReportOptions = {}): string {
  const out: string[] = [];
  const { meta } = report;
  out.push(`Contrôle du fichier des écritures comptables${options.fileName ? ` : ${options.fileName}` : ''}`);
  out.push('');
  out.push(
    report.status === 'accepted'
      ? `Résultat : FICHIER ACCEPTÉ (${plural(report.warningCount, 'avertissement')})`
      : `Résultat : FICHIER REFUSÉ (${plural(report.errorCount, 'erreur bloquante', 'erreurs bloquantes')}, ${plural(report.warningCount, 'avertissement')})`,
  );
  if (report.stoppedEarly) out.push('La lecture a été interrompue : le contrôle est partiel.');
  out.push('');

  out.push('Format détecté');
  out.push(
    `  Encodage            ${ENCODING_NAMES[meta.encoding] ?? meta.encoding}${meta.hasBom ? ' avec BOM' : ''}`,
  );
  out.push(
    `  Séparateur          ${meta.separator === null ? 'non reconnu' : SEPARATOR_NAMES[meta.separator]}`,
  );
  out.push(`  Fins de ligne       ${LINE_ENDING_NAMES[meta.lineEnding]}`);
  if (meta.columns.length > 0) {
    const variant = meta.variant === 'cash-basis' ? ' (variante BNC/BA en trésorerie)' : '';
    const amounts = meta.amountLayout === 'amount-direction' ? 'Montant + Sens' : 'Debit + Credit';
    out.push(`  Colonnes            ${meta.columns.length}${variant}, montants en ${amounts}`);
  }
  if (meta.extraColumns.length > 0) out.push(`  Colonnes ignorées   ${meta.extraColumns.join(', ')}`);
  out.push('');

  out.push(`Lignes d'écriture : ${formatIntegerFr(report.lineCount)}`);
  if (report.period)
    out.push(`Période des écritures : du ${frDate(report.period.first)} au ${frDate(report.period.last)}`);
  if (report.flowPeriod && report.period && report.flowPeriod.first !== report.period.first) {
    out.push(`Hors à-nouveaux : du ${frDate(report.flowPeriod.first)} au ${frDate(report.flowPeriod.last)}`);
  }
  out.push('');

  if (report.journals.length > 0) {
    out.push('Totaux par journal');
    const rows = report.journals.map((journal) => [
      journal.code || '(vide)',
      truncate(journal.label, 28),
      formatIntegerFr(journal.lineCount),
      formatCentsFr(journal.debitCents),
      formatCentsFr(journal.creditCents),
      journal.opening ? `à-nouveaux (${OPENING_REASONS_FR[journal.openingReason ?? 'code']})` : '',
    ]);
    rows.push([
      'Total',
      '',
      formatIntegerFr(report.lineCount),
      formatCentsFr(report.totals.debitCents),
      formatCentsFr(report.totals.creditCents),
      '',
    ]);
    out.push(
      ...table(['Journal', 'Libellé', 'Lignes', 'Débit', 'Crédit', ''], rows, [
        false,
        false,
        true,
        true,
        true,
        false,
      ]),
    );
    out.push(
      report.totals.balanced
        ? 'Équilibre : total des débits = total des crédits.'
        : `Déséquilibre : débits − crédits = ${formatCentsFr(report.totals.debitCents - report.totals.creditCents)} €.`,
    );
    out.push('');
  }

  for (const severity of ['error', 'warning'] as const) {
    const groups = report.issues.filter((group) => group.severity === severity);
    if (groups.length === 0) continue;
    out.push(severity === 'error' ? 'Erreurs bloquantes' : 'Avertissements');
    for (const group of groups) {
      out.push(`  ${ISSUE_TITLES_FR[group.code]} (${formatIntegerFr(group.count)})`);
      const shown = group.issues.slice(0, options.maxIssuesShown ?? 10);
      for (const issue of shown) {
        out.push(
          `    ${issue.line === null ? '' : `ligne ${formatIntegerFr(issue.line)} : `}${issue.message}`,
        );
      }
      const hidden = group.count - shown.length;
      if (hidden > 0) out.push(`    … et ${formatIntegerFr(hidden)} autre(s) du même type`);
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

const INDICATOR_LABELS_FR: ReadonlyArray<[keyof Indicators, string]> = [
  ['revenue', "Chiffre d'affaires net"],
  ['commercialMargin', 'Marge commerciale'],
  ['production', "Production de l'exercice"],
  ['externalConsumption', 'Consommations en provenance de tiers'],
  ['valueAdded', 'Valeur ajoutée'],
  ['grossOperatingSurplus', "Excédent brut d'exploitation"],
  ['operatingIncome', "Résultat d'exploitation"],
  ['netIncome', 'Résultat net'],
  ['cash', 'Disponibilités'],
  ['netCash', 'Trésorerie nette'],
  ['receivables', 'Créances clients'],
  ['payables', 'Dettes fournisseurs'],
  ['vatCollected', 'TVA collectée'],
  ['vatDeductible', 'TVA déductible'],
];

/** Key figures and the monthly series as plain text, in French. */
export function formatIndicatorsFr(indicators: Indicators): string {
  const out = ['Chiffres clés (en euros)'];
  out.push(
    ...table(
      ['Indicateur', 'Montant'],
      INDICATOR_LABELS_FR.map(([key, label]) => [label, formatCentsFr(indicators[key] as number)]),
      [false, true],
    ),
  );
  if (indicators.byMonth.length > 0) {
    out.push('', 'Par mois');
    out.push(
      ...table(
        ['Mois', "Chiffre d'affaires", 'Résultat', 'Disponibilités', 'Trésorerie nette'],
        indicators.byMonth.map((month) => [
          month.month,
          formatCentsFr(month.revenue),
          formatCentsFr(month.netIncome),
          formatCentsFr(month.cash),
          formatCentsFr(month.netCash),
        ]),
        [false, true, true, true, true],
      ),
    );
  }
  return `${out.join('\n')}\n`;
}

const OPENING_REASONS_FR = { code: 'code', label: 'libellé', shape: 'forme' } as const;

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatIntegerFr(count)} ${count > 1 ? pluralForm : singular}`;
}

function frDate(iso: string): string {
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

function table(header: string[], rows: string[][], alignRight: boolean[]): string[] {
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const render = (cells: string[]) =>
    `  ${cells
      .map((cell, i) => (alignRight[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()}`;
  return [render(header), ...rows.map(render)];
}
