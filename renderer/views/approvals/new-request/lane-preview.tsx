import { type ReactNode, useId } from 'react';
import type { Environment } from '../../../../shared/domain/environments';
import { previewOf } from '../../../stores/new-request-draft';
import { LaneBadge } from '../lane-badge';
import { useNewRequest } from './use-new-request';

/** Before anything is sent: the lane the request will take under the tenant's policy, and what it needs. */
export function LanePreview({ environment }: { readonly environment: Environment }) {
  const draft = useNewRequest((s) => s.draft);
  const policy = useNewRequest((s) => s.policy);
  const policyError = useNewRequest((s) => s.policyError);
  const preview = previewOf(draft, policy, environment);
  const headingId = useId();
  let body: ReactNode;
  if (policyError)
    body = `The policy could not be read (${policyError.message}); the platform decides the lane when the request is raised.`;
  else if (!draft.kind) body = 'Choose a kind to see the lane it takes and the approvals it needs.';
  else if (!preview) body = 'Reading the policy…';
  else
    body = (
      <>
        <LaneBadge lane={preview.lane} />{' '}
        {preview.requiredApprovals === 0
          ? 'Carried out as soon as it is raised: no approval needed.'
          : preview.lane === 'yellow'
            ? 'Needs 1 approval from someone other than you.'
            : `Needs ${preview.requiredApprovals} approvals from different people other than you, each with a fresh one-time code.`}
      </>
    );
  return (
    <section className="lane-preview" aria-labelledby={headingId}>
      <h3 id={headingId} className="lane-preview__title">
        Lane under your organization’s policy
      </h3>
      <p className="lane-preview__text" aria-live="polite">
        {body}
      </p>
    </section>
  );
}
