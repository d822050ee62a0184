import { useState } from 'react';
import type { RoleName } from '../../../../shared/domain/permissions';
import { Notice } from '../../../components/notice';
import { dateTime } from '../../approvals/format';
import { DirectoryName } from '../../shell/directory-name';
import { roleLabels } from '../role-names';
import { ElevateDialog } from './elevate-dialog';
import { useLifecycle, useLifecycleStore } from './use-lifecycle';

/** Who holds an elevated role now and until when; an administrator ends one early; anyone may ask. */
export function ElevationsSection({
  canManage,
  canAsk,
  myRole,
  live,
}: {
  canManage: boolean;
  canAsk: boolean;
  myRole: RoleName | undefined;
  live: boolean;
}) {
  const store = useLifecycleStore();
  const elevations = useLifecycle((s) => s.elevations);
  const maxHours = useLifecycle((s) => s.maxElevationHours);
  const [asking, setAsking] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);

  const end = async (id: string) => {
    setFailed(null);
    const ended = await store.getState().endElevation(id);
    if (!ended.ok) setFailed(ended.error.message);
  };

  return (
    <section className="members-section" aria-labelledby="elevations-heading">
      <div className="members-section__head">
        <h2 id="elevations-heading">Elevated roles now</h2>
        {canAsk && (
          <button type="button" onClick={() => setAsking(true)}>
            Ask for a role for a while…
          </button>
        )}
      </div>
      {failed && <Notice tone="error">{failed}</Notice>}
      {elevations.length === 0 ? (
        <p className="hint">No one holds an elevated role now.</p>
      ) : (
        <table className="members-table">
          <caption className="visually-hidden">Time-limited roles in force</caption>
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Holds</th>
              <th scope="col">Instead of</th>
              <th scope="col">Until</th>
              <th scope="col">Reason</th>
              {canManage && <th scope="col">Action</th>}
            </tr>
          </thead>
          <tbody>
            {elevations.map((e) => (
              <tr key={e.id}>
                <th scope="row">
                  <DirectoryName id={e.userId} fallback="a member" />
                </th>
                <td>
                  <span className={`role-tag role-tag--${e.role}`}>{roleLabels[e.role]}</span>
                </td>
                <td>{roleLabels[e.baseRole]}</td>
                <td>{dateTime(e.endsAt)}</td>
                <td>{e.reason}</td>
                {canManage && (
                  <td>
                    <button type="button" onClick={() => void end(e.id)}>
                      End now<span className="visually-hidden"> the elevation to {roleLabels[e.role]}</span>
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {asking && (
        <ElevateDialog
          live={live}
          currentRole={myRole}
          maxHours={maxHours}
          onClose={() => setAsking(false)}
        />
      )}
    </section>
  );
}
