import { useState } from 'react';
import { Notice } from '../../../components/notice';
import { dateTime } from '../../approvals/format';
import { DirectoryName } from '../../shell/directory-name';
import { roleLabels } from '../role-names';
import { InviteDialog } from './invite-dialog';
import { useLifecycle, useLifecycleStore } from './use-lifecycle';

/** Pending invitations, the Invite button, and revoking one (direct: it lowers access). */
export function InvitationsSection({ canManage, live }: { canManage: boolean; live: boolean }) {
  const store = useLifecycleStore();
  const invitations = useLifecycle((s) => s.invitations);
  const [inviting, setInviting] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);

  const revoke = async (id: string) => {
    setFailed(null);
    const revoked = await store.getState().revokeInvitation(id);
    if (!revoked.ok) setFailed(revoked.error.message);
  };

  return (
    <section className="members-section" aria-labelledby="invitations-heading">
      <div className="members-section__head">
        <h2 id="invitations-heading">Pending invitations</h2>
        {canManage && (
          <button type="button" className="primary" onClick={() => setInviting(true)}>
            Invite a person…
          </button>
        )}
      </div>
      {failed && <Notice tone="error">{failed}</Notice>}
      {invitations.length === 0 ? (
        <p className="hint">No invitation is waiting to be accepted.</p>
      ) : (
        <table className="members-table">
          <caption className="visually-hidden">Invitations not yet accepted</caption>
          <thead>
            <tr>
              <th scope="col">Invited</th>
              <th scope="col">Role</th>
              <th scope="col">By</th>
              <th scope="col">Link expires</th>
              {canManage && <th scope="col">Action</th>}
            </tr>
          </thead>
          <tbody>
            {invitations.map((i) => (
              <tr key={i.id}>
                <th scope="row">
                  {i.displayName} <span className="members-table__sub">{i.email}</span>
                </th>
                <td>{roleLabels[i.role]}</td>
                <td>
                  <DirectoryName id={i.invitedBy} fallback="an administrator" />
                </td>
                <td>{dateTime(i.expiresAt)}</td>
                {canManage && (
                  <td>
                    <button type="button" onClick={() => void revoke(i.id)}>
                      Revoke<span className="visually-hidden"> the invitation of {i.email}</span>
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {inviting && <InviteDialog live={live} onClose={() => setInviting(false)} />}
    </section>
  );
}
