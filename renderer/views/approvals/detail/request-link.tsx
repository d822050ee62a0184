import { StatusText } from '../lane-badge';
import { useApprovals, useApprovalsStore } from '../use-approvals';

/** A link to a request the open one reverses or is reversed by: its title and status, opened in place. */
export function RequestLink({ id }: { readonly id: string }) {
  const store = useApprovalsStore();
  const linked = useApprovals((s) => s.linked[id]);
  return (
    <span className="request-link">
      <button type="button" className="link-button" onClick={() => void store.getState().openDetail(id)}>
        {linked ? linked.title : 'the linked request'}
      </button>
      {linked && (
        <>
          {' '}
          (<StatusText status={linked.status} />)
        </>
      )}
    </span>
  );
}
