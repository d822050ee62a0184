import './evidence.css';
import { useMemo, useState } from 'react';
import { useConnectivity } from '../../app-context';
import { CachedEvidence } from './cached-evidence';
import { CoverageChart } from './coverage-chart';
import { EvidenceFilters, type FilterFields, noFilters, toCatalogFilter } from './evidence-filters';
import { EvidenceTable } from './evidence-table';
import { EvidenceViewer } from './evidence-viewer';
import { type CatalogEntry, useEvidenceCatalog, useEvidenceCoverage } from './use-evidence-catalog';

/**
 * The tenant's evidence from the platform: coverage over the last year and what expires next, then every
 * file with its period and status, searchable and filtered. Files this computer holds are marked and open
 * offline; when the platform cannot be reached, the screen shows what this computer holds instead.
 */
export function EvidenceScreen() {
  const offline = useConnectivity((s) => s.offline);
  const [fields, setFields] = useState<FilterFields>(noFilters);
  const filter = useMemo(() => toCatalogFilter(fields), [fields]);
  const catalog = useEvidenceCatalog(filter);
  const coverage = useEvidenceCoverage();
  const [open, setOpen] = useState<CatalogEntry | null>(null);
  const unreachable = catalog.error?.code === 'unavailable';

  return (
    <section className="evidence-screen" aria-labelledby="evidence-h">
      <h1 id="evidence-h">Evidence</h1>
      {coverage && 'months' in coverage && <CoverageChart coverage={coverage} />}
      {unreachable ? (
        <>
          <p className="notice" role="status">
            The platform cannot be reached{offline ? ' (offline)' : ''}: showing the evidence this computer
            holds.
          </p>
          <CachedEvidence />
        </>
      ) : (
        <>
          <EvidenceFilters fields={fields} onChange={setFields} />
          <p className="evidence-screen__count" role="status">
            {catalog.loading
              ? 'Loading…'
              : catalog.error
                ? ''
                : `${catalog.items.length}${catalog.nextCursor ? '+' : ''} file${catalog.items.length === 1 ? '' : 's'}`}
          </p>
          {catalog.error && (
            <p className="notice notice--error" role="alert">
              {catalog.error.message}
            </p>
          )}
          {!catalog.loading && !catalog.error && catalog.items.length === 0 && (
            <p className="hint">
              {Object.keys(filter).length > 0
                ? 'No evidence matches these filters.'
                : 'This tenant has no evidence yet. Files attached to requests appear here.'}
            </p>
          )}
          {catalog.items.length > 0 && (
            <EvidenceTable
              items={catalog.items}
              onOpen={setOpen}
              onRequest={(requestId) => setFields({ ...noFilters, requestId })}
            />
          )}
          {catalog.nextCursor && (
            <button type="button" onClick={catalog.loadMore} disabled={catalog.loadingMore}>
              {catalog.loadingMore ? 'Loading more…' : 'Show more'}
            </button>
          )}
        </>
      )}
      {open && (
        <EvidenceViewer
          evidenceId={open.id}
          name={open.name}
          onClose={() => setOpen(null)}
          onCached={catalog.markCached}
        />
      )}
    </section>
  );
}
