import { type FormEvent, useEffect, useState } from 'react';
import type { ReviewCoverage } from '../../../shared/api/reviews';
import { roleAllows } from '../../../shared/domain/permissions';
import { Dialog } from '../../components/dialog';
import { roleLabels } from '../members/role-names';
import { useMembers, useMembersStore } from '../members/use-members';
import { useReviewsStore } from './use-reviews';

const coverage: readonly { value: ReviewCoverage; label: string }[] = [
  { value: 'members', label: 'Members and their roles' },
  { value: 'api_keys', label: 'API keys and their scopes (both environments)' },
  { value: 'device_keys', label: 'Device keys that sign approvals' },
];

const DAY = 24 * 3600_000;
const dateInput = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Starts a campaign: what it covers, who reviews, by when. The platform snapshots the grants at once. */
export function StartCampaignDialog({ onClose }: { onClose: (started: boolean) => void }) {
  const reviews = useReviewsStore();
  const membersStore = useMembersStore();
  const members = useMembers((s) => s.members);
  const [title, setTitle] = useState(`Access review ${new Date().toISOString().slice(0, 7)}`);
  const [covers, setCovers] = useState<ReviewCoverage[]>(['members', 'api_keys']);
  const [reviewers, setReviewers] = useState<string[]>([]);
  const [deadline, setDeadline] = useState(dateInput(Date.now() + 14 * DAY));
  const [failed, setFailed] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);

  useEffect(() => {
    if (membersStore.getState().phase === 'idle') void membersStore.getState().load();
  }, [membersStore]);

  const deciders = members.filter((m) => !m.suspended && roleAllows(m.role, 'approvals:decide'));
  const toggle = <T,>(list: T[], value: T) =>
    list.includes(value) ? list.filter((v) => v !== value) : [...list, value];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailed(null);
    if (covers.length === 0) return setFailed('Choose at least one kind of grant.');
    if (reviewers.length === 0)
      return setFailed('Choose at least one reviewer (two, so no one reviews their own access).');
    setStarting(true);
    // The end of the chosen day, in the person's own time zone.
    const end = new Date(`${deadline}T23:59:00`);
    const started = await reviews.getState().start({
      title: title.trim(),
      covers,
      reviewers,
      deadline: end.toISOString(),
    });
    setStarting(false);
    if (started.ok) onClose(true);
    else setFailed(started.error.message);
  };

  return (
    <Dialog title="Start an access review" onCancel={() => onClose(false)}>
      <form className="review-form" onSubmit={(e) => void submit(e)}>
        <label htmlFor="campaign-title">Title</label>
        <input
          id="campaign-title"
          required
          maxLength={200}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          data-autofocus
        />
        <fieldset>
          <legend>What it covers</legend>
          {coverage.map((c) => (
            <label key={c.value} className="review-form__check">
              <input
                type="checkbox"
                checked={covers.includes(c.value)}
                onChange={() => setCovers((list) => toggle(list, c.value))}
              />
              {c.label}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Reviewers</legend>
          {deciders.map((m) => (
            <label key={m.userId} className="review-form__check">
              <input
                type="checkbox"
                checked={reviewers.includes(m.userId)}
                onChange={() => setReviewers((list) => toggle(list, m.userId))}
              />
              {m.displayName} ({roleLabels[m.role]})
            </label>
          ))}
          <p className="hint">Each grant goes to a reviewer who is not its subject.</p>
        </fieldset>
        <label htmlFor="campaign-deadline">Deadline</label>
        <input
          id="campaign-deadline"
          type="date"
          required
          min={dateInput(Date.now() + DAY)}
          max={dateInput(Date.now() + 180 * DAY)}
          value={deadline}
          onChange={(e) => setDeadline(e.target.value)}
        />
        {failed && (
          <p className="field-error" role="alert">
            {failed}
          </p>
        )}
        <div className="dialog__actions">
          <button type="button" onClick={() => onClose(false)}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={starting}>
            {starting ? 'Starting…' : 'Start the review'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
