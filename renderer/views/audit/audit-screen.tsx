import './audit.css';
import { useId, useState } from 'react';
import { useSession } from '../../app-context';
import { AuditTabs, panelId, type TabSpec, tabId } from './audit-tabs';
import { ExportPanel } from './export/export-panel';
import { ForkAlarm } from './integrity/fork-alarm';
import { IntegrityPanel } from './integrity/integrity-panel';
import { LiveLog } from './log/live-log';
import { PackagePanel } from './package/package-panel';
import { useIntegrity } from './use-audit-stores';

type AuditTab = 'log' | 'integrity' | 'export' | 'package';
const tabs: readonly TabSpec<AuditTab>[] = [
  { id: 'log', label: 'Live log' },
  { id: 'integrity', label: 'Verify integrity' },
  { id: 'export', label: 'Open export…' },
  { id: 'package', label: 'Export a period' },
];

/**
 * Audit for the tenant in use: its live log, the integrity check of that log against what this console
 * saw before, the export of a period's log or audit package (verified at once), and offline verification
 * of an export file. A fork alarm stands above them all.
 */
export function AuditScreen() {
  const tenant = useSession((s) => s.tenant);
  const fork = useIntegrity((s) => s.fork);
  const [tab, setTab] = useState<AuditTab>('log');
  const prefix = useId().replace(/:/g, '');
  const live = tenant?.environment === 'live';
  return (
    <div className={`audit${live ? ' audit--live' : ''}`}>
      <header className="audit__header">
        <h1>Audit</h1>
        {tenant && (
          <p className="audit__where">
            {tenant.organization} ·{' '}
            {live ? <strong className="audit__live">LIVE — real data</strong> : 'test'}
          </p>
        )}
      </header>
      {fork && <ForkAlarm fork={fork} />}
      <AuditTabs tabs={tabs} value={tab} idPrefix={prefix} onChange={(id) => setTab(id)} />
      <div
        role="tabpanel"
        id={panelId(prefix, tab)}
        aria-labelledby={tabId(prefix, tab)}
        className="audit__panel"
      >
        {tab === 'log' && <LiveLog />}
        {tab === 'integrity' && <IntegrityPanel />}
        {tab === 'package' && <PackagePanel />}
        {tab === 'export' && <ExportPanel />}
      </div>
    </div>
  );
}
