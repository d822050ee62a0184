import { useId, useRef } from 'react';
import { binarySize } from '../../../components/byte-size';
import { MAX_ATTACHMENTS, mediaTypeName } from '../../../stores/evidence-attachments';
import { Field, useFieldControl } from './field';
import { useNewRequest, useNewRequestStore } from './use-new-request';

/**
 * Evidence for the request: files picked (the system dialog in the desktop app, the page's own picker in
 * the headless host) or dropped on the form, each checked at once with the reason when refused, and
 * uploaded only when the request is raised.
 */
export function EvidenceField({ dragging }: { readonly dragging: boolean }) {
  const store = useNewRequestStore();
  const attachments = useNewRequest((s) => s.attachments);
  const refusals = useNewRequest((s) => s.refusals);
  const checking = useNewRequest((s) => s.checking);
  const choosesFiles = useNewRequest((s) => s.choosesFiles);
  const submitting = useNewRequest(
    (s) => s.submission.phase === 'uploading' || s.submission.phase === 'creating',
  );
  const picker = useRef<HTMLInputElement>(null);
  const attachButton = useRef<HTMLButtonElement>(null);
  const ids = { heading: useId(), hint: useId() };

  const attach = () => {
    if (choosesFiles) void store.getState().chooseFile();
    else picker.current?.click();
  };
  const remove = (id: string) => {
    store.getState().removeAttachment(id);
    // The row and its button are gone: the focus goes where more files come from.
    attachButton.current?.focus();
  };

  return (
    <section className="evidence-field" aria-labelledby={ids.heading}>
      <h3 id={ids.heading} className="evidence-field__title">
        Evidence <span className="hint">(optional)</span>
      </h3>
      <div className={`drop-zone${dragging ? ' drop-zone--over' : ''}`}>
        <p className="drop-zone__text">
          {dragging ? 'Drop the files to attach them' : 'Drop files anywhere on this form, or'}{' '}
          <button
            ref={attachButton}
            type="button"
            onClick={attach}
            disabled={submitting || choosesFiles === null}
            aria-describedby={ids.hint}
          >
            Attach files…
          </button>
        </p>
        <p id={ids.hint} className="hint">
          PDF, images (PNG, JPEG, GIF, WebP), JSON or plain text; at most 10 MiB each and {MAX_ATTACHMENTS}{' '}
          per request. Checked now, uploaded only when you raise the request.
        </p>
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          tabIndex={-1}
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            // The same file may be chosen again after it was removed.
            e.target.value = '';
            if (files.length > 0) void store.getState().addFiles(files);
          }}
        />
      </div>
      <p className="evidence-field__checking" role="status">
        {checking > 0 ? `Checking ${checking} file${checking === 1 ? '' : 's'}…` : ''}
      </p>
      {refusals.length > 0 && (
        <div className="notice notice--error evidence-field__refusals" role="alert">
          <div className="notice__text">
            <p className="evidence-field__refused-title">
              {refusals.length === 1
                ? 'A file was not attached:'
                : `${refusals.length} files were not attached:`}
            </p>
            <ul>
              {[...new Set(refusals.map((r) => r.reason))].map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
          </div>
          <button type="button" onClick={() => store.getState().dismissRefusals()}>
            Dismiss
          </button>
        </div>
      )}
      <EvidencePeriodFields />
      {attachments.length > 0 && (
        <ul className="attachments" aria-label="Files to attach">
          {attachments.map((a) => (
            <li key={a.id} className="attachments__item">
              <span className="attachments__name">{a.name}</span>
              <span className="attachments__meta">
                {mediaTypeName(a.mediaType)} · {binarySize(a.size)}
                {a.evidenceId ? ' · uploaded' : ''}
              </span>
              <button
                type="button"
                onClick={() => remove(a.id)}
                disabled={submitting}
                aria-label={`Remove ${a.name}`}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * The period the files are evidence for and the day they expire, given once for the files of this
 * request. Both days or neither: without them a file covers the day it is uploaded.
 */
function EvidencePeriodFields() {
  const store = useNewRequestStore();
  const draft = useNewRequest((s) => s.draft);
  const from = useFieldControl('evidenceFrom', true);
  const to = useFieldControl('evidenceTo');
  const expires = useFieldControl('evidenceExpires');
  return (
    <fieldset className="evidence-period">
      <legend>Period the files cover</legend>
      <div className="evidence-period__fields">
        <Field
          field="evidenceFrom"
          label="Period from"
          hint="Both days or neither; without them, the day of upload."
        >
          <input
            type="date"
            {...from}
            value={draft.evidenceFrom}
            onChange={(e) => store.getState().edit({ evidenceFrom: e.target.value })}
          />
        </Field>
        <Field field="evidenceTo" label="Period to">
          <input
            type="date"
            {...to}
            value={draft.evidenceTo}
            onChange={(e) => store.getState().edit({ evidenceTo: e.target.value })}
          />
        </Field>
        <Field field="evidenceExpires" label="Expires on (optional)">
          <input
            type="date"
            {...expires}
            value={draft.evidenceExpires}
            onChange={(e) => store.getState().edit({ evidenceExpires: e.target.value })}
          />
        </Field>
      </div>
    </fieldset>
  );
}
