import './new-request.css';
import { type FormEvent, useEffect, useId, useRef } from 'react';
import type { ApprovalRequest } from '../../../../shared/api/approvals';
import type { TenantRef } from '../../../../shared/contract/contract';
import { Dialog } from '../../../components/dialog';
import { Notice } from '../../../components/notice';
import { type DraftField, fieldOrder } from '../../../stores/new-request-draft';
import { EvidenceField } from './evidence-field';
import { Field, FieldIds, useFieldControl } from './field';
import { KindField, KindFields } from './kind-fields';
import { LanePreview } from './lane-preview';
import { UploadProgress } from './upload-progress';
import { useFileDrop } from './use-file-drop';
import { useNewRequest, useNewRequestStore } from './use-new-request';

function TitleAndJustification({ isPerson }: { readonly isPerson: boolean }) {
  const store = useNewRequestStore();
  const title = useNewRequest((s) => s.draft.title);
  const summary = useNewRequest((s) => s.draft.summary);
  const titleControl = useFieldControl('title');
  const summaryControl = useFieldControl('summary', true);
  return (
    <>
      <Field field="title" label="Title">
        <input
          {...titleControl}
          value={title}
          maxLength={200}
          autoComplete="off"
          onChange={(e) => store.getState().edit({ title: e.target.value })}
        />
      </Field>
      <Field
        field="summary"
        label={isPerson ? 'Justification (required)' : 'Justification (optional for an integration)'}
        hint="Why the change is needed: approvers read this first, and it stays on the record."
      >
        <textarea
          {...summaryControl}
          value={summary}
          rows={3}
          maxLength={2000}
          onChange={(e) => store.getState().edit({ summary: e.target.value })}
        />
      </Field>
    </>
  );
}

function SubmitState({ onCancelUpload }: { onCancelUpload(): void }) {
  const submission = useNewRequest((s) => s.submission);
  const problems = useNewRequest((s) => Object.keys(s.problems).length);
  if (submission.phase === 'uploading')
    return <UploadProgress progress={submission} onCancel={onCancelUpload} />;
  if (submission.phase === 'creating')
    return (
      <p className="new-request__status" role="status">
        Raising the request…
      </p>
    );
  if (submission.phase === 'cancelled')
    return (
      <Notice tone="info">
        Upload cancelled: nothing was raised, and your draft is as you left it. Files already uploaded are not
        sent again.
      </Notice>
    );
  if (submission.phase === 'failed')
    return <Notice tone="error">The request was not raised: {submission.error.message}</Notice>;
  if (problems > 0)
    return (
      <p className="field-error" role="alert">
        {problems === 1 ? 'One field needs' : `${problems} fields need`} your attention; nothing was sent.
      </p>
    );
  return null;
}

interface NewRequestDialogProps {
  readonly tenant: TenantRef;
  /** The profile's role in the tenant (`api-key` for an integration's key). */
  readonly role: string;
  onClose(): void;
  onRaised(request: ApprovalRequest): void;
}

/**
 * New request (or the reversal of one): the kind and its fields, title, justification, evidence, and the
 * lane it will take, before anything is sent. Closing keeps the draft; evidence goes up only on submit.
 */
export function NewRequestDialog({ tenant, role, onClose, onRaised }: NewRequestDialogProps) {
  const store = useNewRequestStore();
  const reverses = useNewRequest((s) => s.draft.reverses);
  const note = useNewRequest((s) => s.note);
  const planning = useNewRequest((s) => s.planning);
  const submitting = useNewRequest(
    (s) => s.submission.phase === 'uploading' || s.submission.phase === 'creating',
  );
  const hasDraft = useNewRequest(
    (s) => s.draft.kind !== '' || s.draft.title !== '' || s.attachments.length > 0,
  );
  const base = useId();
  const idOf = (field: DraftField) => `${base}-${field}`;
  const form = useRef<HTMLFormElement>(null);
  const drop = useFileDrop((files) => void store.getState().addFiles(files));
  const isPerson = role !== 'api-key';

  useEffect(() => {
    void store.getState().init();
    void store.getState().loadChoicesFor(store.getState().draft.kind);
  }, [store]);
  // A reversal's draft arrives worked out (at once, or after reading the audit log): what is left to the
  // person is saying why, so the justification takes the focus.
  const focusedReversal = useRef<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the draft's reversal and its planning are the trigger
  useEffect(() => {
    if (!reverses || planning || focusedReversal.current === reverses) return;
    focusedReversal.current = reverses;
    document.getElementById(idOf('summary'))?.focus();
  }, [reverses, planning]);
  // The upload's Cancel button had the focus; when the upload ends without a request, the submit does.
  const phase = useNewRequest((s) => s.submission.phase);
  const submitButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (phase === 'cancelled' || phase === 'failed') submitButton.current?.focus();
  }, [phase]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const raised = await store.getState().submit();
    if (raised) return onRaised(raised);
    const { problems } = store.getState();
    const first = fieldOrder.find((field) => problems[field]);
    // The first field with a problem gets the focus; what was typed everywhere stays.
    if (first) document.getElementById(idOf(first))?.focus();
  };
  const close = () => {
    if (submitting) void store.getState().cancelSubmit();
    onClose();
  };

  return (
    <Dialog title={reverses ? 'Reverse a request' : 'New request'} onCancel={close} className="new-request">
      <FieldIds.Provider value={idOf}>
        <form
          ref={form}
          onSubmit={(e) => void submit(e)}
          noValidate
          className={drop.dragging ? 'new-request__form new-request__form--dropping' : 'new-request__form'}
          {...drop.handlers}
        >
          {tenant.environment === 'live' && (
            <p className="dialog__live">LIVE — once approved, this changes real data.</p>
          )}
          {reverses && (
            <p className="new-request__reverses">
              This request undoes an executed one; both will link to each other.
            </p>
          )}
          {planning && <Notice tone="info">Working out what undoes it…</Notice>}
          {note && <Notice tone="info">{note}</Notice>}
          <fieldset className="new-request__fields" disabled={submitting || planning}>
            <legend className="visually-hidden">The request</legend>
            <KindField />
            <KindFields />
            <TitleAndJustification isPerson={isPerson} />
            <EvidenceField dragging={drop.dragging} />
          </fieldset>
          <LanePreview environment={tenant.environment} />
          <SubmitState onCancelUpload={() => void store.getState().cancelSubmit()} />
          <div className="dialog__actions new-request__actions">
            {hasDraft && (
              <button
                type="button"
                className="new-request__discard"
                disabled={submitting}
                onClick={() => {
                  store.getState().discard();
                  document.getElementById(idOf('kind'))?.focus();
                }}
              >
                Discard draft
              </button>
            )}
            <span className="hint new-request__keeps">Close keeps the draft.</span>
            <button type="button" onClick={close}>
              Close
            </button>
            <button ref={submitButton} type="submit" className="primary" disabled={submitting || planning}>
              {submitting ? 'Raising…' : 'Raise request'}
            </button>
          </div>
        </form>
      </FieldIds.Provider>
    </Dialog>
  );
}
