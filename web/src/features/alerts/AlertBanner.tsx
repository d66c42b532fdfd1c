import type { MouseEvent } from 'react';
import { setUrlParams } from '../../url/useUrlParam';
import { alertBanner } from './shapeBanner';
import { useFiringAlerts } from './useFiringAlerts';
import './banner.css';

/** Parameters a jump to the Alerts screen keeps: the time range, like the screen menu. */
const KEPT = ['range', 'from', 'to'];

/**
 * The strip under the header on every screen: when alerts are firing and nobody has acknowledged them, how many,
 * the worst, and a link to them; otherwise a quiet line. Its height is reserved whatever it says (loading, quiet,
 * alarm, a failed check), so it never moves the screen below it. Refreshed by the `alerts` push and a slow poll.
 */
export function AlertBanner() {
  const query = useFiringAlerts();
  const banner = alertBanner(query.data, query.isError ? query.error.message : undefined);
  const go = (href: string) => (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    setUrlParams(Object.fromEntries(new URLSearchParams(href)), KEPT);
    window.scrollTo({ top: 0 });
  };
  return (
    <div className={`alert-banner alert-banner-${banner.tone}`} data-testid="alert-banner" data-tone={banner.tone} data-count={banner.tone === 'alarm' ? banner.count : 0}>
      <p className="alert-banner-inner" role="status">
        {banner.tone === 'alarm' && (
          <>
            <span className="alert-banner-dot" aria-hidden="true" />
            <strong className="alert-banner-headline">{banner.headline}</strong>
            <span className="alert-banner-worst" title={`${banner.severity}: ${banner.worst}`}>
              Worst: <span className="alert-banner-severity">{banner.severity}</span> {banner.worst}
            </span>
            <a className="alert-banner-link" href={banner.href} onClick={go(banner.href)}>
              See firing alerts
            </a>
          </>
        )}
        {banner.tone === 'quiet' && (
          <>
            <span className="alert-banner-text">{banner.text}</span>
            <a className="alert-banner-link" href={banner.href} onClick={go(banner.href)}>
              All alerts
            </a>
          </>
        )}
        {banner.tone === 'unknown' && <span className="alert-banner-text">{banner.text}</span>}
      </p>
    </div>
  );
}
