import { lineageExportHref } from './api';

/**
 * The chain as evidence for an auditor: real download links, so the browser saves the file under the server's
 * name (`lineage-<key>-<UTC time>.csv|json`) with a `Repr-Digest` of its bytes.
 */
export function ExportLinks({ keyValue, depth }: { keyValue: string; depth: number }) {
  return (
    <div className="lx-export" role="group" aria-label="Export as evidence">
      <a className="lx-button" href={lineageExportHref(keyValue, depth, 'csv')} download data-testid="lineage-export-csv" title="Every event in time order, one row each (RFC 4180)">
        Export CSV
      </a>
      <a className="lx-button" href={lineageExportHref(keyValue, depth, 'json')} download data-testid="lineage-export-json" title="The whole answer with a SHA-256 of its events">
        Export JSON
      </a>
    </div>
  );
}
