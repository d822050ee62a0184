import { useEffect, useId, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Dialog } from '../../components/dialog';
import { checkDraft, type DraftField, type DraftProblem, draftDiff } from '../../stores/policy-draft';
import { LaneEditor, lanePickerId } from './lane-editor';
import { PolicyDiff } from './policy-diff';
import { usePolicy, usePolicyStore } from './use-policy';
import { WebhookFields, webhookUrlId } from './webhook-fields';

/** The form's order, top to bottom: the first thing to fix is the first one met. */
const fieldOrder: readonly DraftField[] = [
  'redApprovals',
  'expiryDays',
  'lanes',
  'webhook',
  'change',
  'title',
  'summary',
];
const inFormOrder = (problems: readonly DraftProblem[]) =>
  [...problems].sort((a, b) => fieldOrder.indexOf(a.field) - fieldOrder.indexOf(b.field));

interface Props {
  /** Closes the editor; the draft stays in the store until it is sent or discarded. */
  onClose(): void;
}

/**
 * Writes a policy change: N and the expiry, lanes, optionally a webhook target; the diff against the
 * policy in force; then the request's title and justification. The platform's rules are checked as the
 * person types (shown where they bite) and again before sending; nothing typed is ever cleared by a
 * refusal, local or the platform's.
 */
export function PolicyEditor({ onClose }: Props) {
  const store = usePolicyStore();
  const { policy, draft, submit } = usePolicy(
    useShallow((s) => ({ policy: s.policy, draft: s.draft, submit: s.submit })),
  );
  const [attempted, setAttempted] = useState(false);
  const prefix = useId().replace(/:/g, '');
  const alertRef = useRef<HTMLDivElement>(null);
  const focusProblem = (problem: DraftProblem | undefined) =>
    (focusTargetOf(prefix, problem) ?? alertRef.current)?.focus();
  // Bumped on every refusal; once its messages are drawn, the focus goes to the first thing to fix.
  const [refusal, setRefusal] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the refusal count is the trigger
  useEffect(() => {
    if (refusal === 0) return;
    const { submit: now } = store.getState();
    focusProblem(now.phase === 'refused' ? inFormOrder(now.problems)[0] : undefined);
  }, [refusal]);
  if (!policy || !draft) return null;
  const actions = store.getState();

  const all = checkDraft(policy, draft);
  const shown = attempted ? all : all.filter((p) => p.rule);
  const problemOf = (field: DraftField) => shown.find((p) => p.field === field);
  const fieldId = (field: string) => fieldIdOf(prefix, field);
  const errorId = (field: string) => `${prefix}-${field}-error`;
  const described = (field: DraftField, hint?: string) =>
    problemOf(field) ? errorId(field) : hint ? fieldId(`${field}-hint`) : undefined;

  const send = async () => {
    setAttempted(true);
    const outcome = await store.getState().submitDraft();
    if (outcome.phase === 'sent') return onClose();
    setRefusal((n) => n + 1);
  };

  const sending = submit.phase === 'sending';
  const diff = draftDiff(policy, draft);
  const summaryProblems = submit.phase === 'refused' ? inFormOrder(submit.problems) : [];

  return (
    <Dialog title="Propose a policy change" onCancel={onClose} className="policy-editor">
      <p className="policy-editor__lead">
        Sent as a <code className="policy-code">policy.update</code> request: red in both environments, it
        needs <strong>{policy.redApprovals} approvals</strong> from people other than you, each with a
        one-time code. Nothing changes until then. The policy is the organization's: it applies to test and
        live alike.
      </p>
      <div ref={alertRef} tabIndex={-1} className="policy-editor__alert">
        {submit.phase === 'refused' && (
          <div className="notice notice--error" role="alert">
            <div className="notice__text">
              <strong>This change cannot be sent yet.</strong> Nothing you typed is lost; fix what is marked:
              <ul>
                {summaryProblems.map((p) => (
                  <li key={`${p.field}/${p.kind ?? ''}`}>{p.message}</li>
                ))}
              </ul>
            </div>
          </div>
        )}
        {submit.phase === 'failed' && (
          <div className="notice notice--error" role="alert">
            <div className="notice__text">
              <strong>The platform refused this change:</strong> {submit.error.message} Nothing you typed is
              lost.
            </div>
          </div>
        )}
      </div>

      <fieldset className="policy-fieldset">
        <legend>Approvals and expiry</legend>
        <div className="policy-row">
          <div>
            <label htmlFor={fieldId('redApprovals')}>Red-lane approvals (N)</label>
            <input
              id={fieldId('redApprovals')}
              className="policy-number"
              inputMode="numeric"
              autoComplete="off"
              data-autofocus
              value={draft.redApprovals}
              aria-invalid={problemOf('redApprovals') ? true : undefined}
              aria-describedby={described('redApprovals', 'hint')}
              onChange={(e) => actions.editDraft({ redApprovals: e.target.value })}
            />
            <p className="hint" id={fieldId('redApprovals-hint')}>
              At least 2, so no one acts alone; at most 10.
            </p>
            <FieldError id={errorId('redApprovals')} problem={problemOf('redApprovals')} />
          </div>
          <div>
            <label htmlFor={fieldId('expiryDays')}>Requests expire after (days)</label>
            <input
              id={fieldId('expiryDays')}
              className="policy-number"
              inputMode="numeric"
              autoComplete="off"
              value={draft.expiryDays}
              aria-invalid={problemOf('expiryDays') ? true : undefined}
              aria-describedby={described('expiryDays', 'hint')}
              onChange={(e) => actions.editDraft({ expiryDays: e.target.value })}
            />
            <p className="hint" id={fieldId('expiryDays-hint')}>
              1 to 90 days; a request nobody decides by then expires.
            </p>
            <FieldError id={errorId('expiryDays')} problem={problemOf('expiryDays')} />
          </div>
        </div>
      </fieldset>

      <LaneEditor
        idPrefix={prefix}
        value={draft.lanes}
        inForce={policy.lanes}
        problems={shown}
        onChange={(kind, lanes) => actions.editDraft({ lanes: { ...draft.lanes, [kind]: lanes } })}
      />

      <WebhookFields
        idPrefix={prefix}
        value={draft.webhook}
        problem={problemOf('webhook')}
        onChange={(webhook) => actions.editDraft({ webhook })}
      />

      <section className="policy-editor__diff" aria-labelledby={fieldId('diff')}>
        <h3 id={fieldId('diff')}>What changes</h3>
        {diff.length > 0 ? (
          <PolicyDiff rows={diff} caption="The proposed change, setting by setting" />
        ) : (
          <p className="hint">Nothing changes yet.</p>
        )}
        <FieldError id={errorId('change')} problem={problemOf('change')} />
      </section>

      <fieldset className="policy-fieldset">
        <legend>The request</legend>
        <label htmlFor={fieldId('title')}>Title</label>
        <input
          id={fieldId('title')}
          maxLength={200}
          value={draft.title}
          aria-invalid={problemOf('title') ? true : undefined}
          aria-describedby={described('title')}
          onChange={(e) => actions.editDraft({ title: e.target.value })}
        />
        <FieldError id={errorId('title')} problem={problemOf('title')} />
        <label htmlFor={fieldId('summary')}>Justification (required)</label>
        <textarea
          id={fieldId('summary')}
          rows={3}
          maxLength={2000}
          value={draft.summary}
          aria-invalid={problemOf('summary') ? true : undefined}
          aria-describedby={described('summary', 'hint')}
          onChange={(e) => actions.editDraft({ summary: e.target.value })}
        />
        <p className="hint" id={fieldId('summary-hint')}>
          Approvers read this before they decide.
        </p>
        <FieldError id={errorId('summary')} problem={problemOf('summary')} />
      </fieldset>

      <div className="dialog__actions policy-editor__actions">
        <p className="hint policy-editor__keep">Closing keeps your draft.</p>
        <button type="button" onClick={onClose}>
          Close
        </button>
        <button type="button" onClick={() => actions.resetDraft()} disabled={sending}>
          Start over
        </button>
        <button type="button" className="primary" disabled={sending} onClick={() => void send()}>
          {sending ? 'Sending…' : 'Send for approval'}
        </button>
      </div>
    </Dialog>
  );
}

const fieldIdOf = (prefix: string, field: string) => `${prefix}-${field}`;

/** Where a problem is fixed: its field, or (a change with nothing in it, the platform's refusal) the alert. */
function focusTargetOf(prefix: string, problem: DraftProblem | undefined): HTMLElement | null {
  if (!problem || problem.field === 'change') return null;
  if (problem.field === 'lanes' && problem.kind)
    return document.getElementById(lanePickerId(prefix, problem.kind, 'live'));
  if (problem.field === 'webhook') return document.getElementById(webhookUrlId(prefix));
  return document.getElementById(fieldIdOf(prefix, problem.field));
}

function FieldError({ id, problem }: { id: string; problem: DraftProblem | undefined }) {
  if (!problem) return null;
  return (
    <p className="field-error" id={id}>
      {problem.message}
    </p>
  );
}
