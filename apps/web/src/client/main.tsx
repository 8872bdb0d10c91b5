import { startEarlyRequests } from './app/early-requests';
import './app/client-entry.css';

// The entry script is small and runs as soon as it arrives: it asks the API for what the first
// screen needs, then starts the app, whose modules the page is already downloading in parallel
// (client.html preloads them; see scripts/preload-start-plugin.mjs).
startEarlyRequests(window.location);
void import('./app/start-client-app');
warmUpIntl();

/**
 * The first date formatter a page creates loads the browser's locale data (ICU): some 40 ms on a
 * desktop, four times that on a slow phone, in the middle of rendering the first screen (dates
 * of documents and pieces, month names, plural rules of the translations). Done here, it costs
 * nothing: the main thread has nothing else to do while React and the pages download. Each kind
 * the first screens use is touched once: euros (standard and compact), percentages, month names,
 * and Paris's time zone (the month the pieces are counted in, `currentMonth`).
 */
function warmUpIntl(): void {
  try {
    for (const locale of ['fr-FR', 'en-GB']) {
      new Intl.DateTimeFormat(locale, { day: '2-digit', month: 'long', year: 'numeric' }).format(0);
      new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric' }).format(0);
      new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(1.5);
      new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(
        1,
      );
      new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR', notation: 'compact' }).format(1);
      new Intl.NumberFormat(locale, { style: 'percent', signDisplay: 'exceptZero' }).format(0.1);
      new Intl.PluralRules(locale).select(2);
    }
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit' }).format(
      0,
    );
  } catch {
    // An engine without Intl data: the app formats as it can, later.
  }
}
