import { useEffect } from 'react';
import {
  apiKeyScopes,
  type RoleName,
  roleDescriptions,
  roleNames,
} from '../../../../shared/domain/permissions';
import { useSession } from '../../../app-context';
import { binarySize } from '../../../components/byte-size';
import { createDirectoryStore, nameText } from '../../../stores/directory-store';
import { mediaTypeName } from '../../../stores/evidence-attachments';
import { type FormKind, formKinds, kindRefusal } from '../../../stores/new-request-draft';
import { roleInTenantOf } from '../../../stores/new-request-store';
import { useFeatureState, useFeatureStore } from '../../../use-feature-store';
import { dateTime, kindLabel } from '../format';
import { Field, useFieldControl } from './field';
import { PayloadEditor } from './payload-editor';
import { useNewRequest, useNewRequestStore } from './use-new-request';

const roleLabel = (role: string) => {
  const words = role.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const formKindLabel = (kind: FormKind) =>
  kind === 'custom' ? 'Custom kind (carried out by an integration)' : kindLabel(kind);

/** The kinds this person may raise here; the others are listed, disabled, with the reason. */
export function KindField() {
  const store = useNewRequestStore();
  const kind = useNewRequest((s) => s.draft.kind);
  const role = useSession(roleInTenantOf) ?? '';
  const control = useFieldControl('kind', true);
  return (
    <Field
      field="kind"
      label="Kind of change"
      hint="A change to the approval policy is proposed from the Policy screen, beside the policy it changes."
    >
      <select
        {...control}
        value={kind}
        onChange={(e) => store.getState().edit({ kind: e.target.value as FormKind })}
      >
        <option value="">Choose the kind of change…</option>
        {formKinds.map((k) => {
          const refusal = kindRefusal(k, role);
          return (
            <option key={k} value={k} disabled={refusal !== null}>
              {formKindLabel(k)}
              {refusal ? ` (${refusal})` : ''}
            </option>
          );
        })}
      </select>
    </Field>
  );
}

function useDirectory() {
  const directory = useFeatureStore(createDirectoryStore);
  const loaded = useFeatureState(createDirectoryStore, (s) => s.loaded);
  useFeatureState(createDirectoryStore, (s) => s.people);
  useEffect(() => {
    if (!loaded) void directory.getState().load();
  }, [loaded, directory]);
  return directory.getState();
}

function RoleChangeFields() {
  const store = useNewRequestStore();
  const { userId, role } = useNewRequest((s) => s.draft);
  const directory = useDirectory();
  const people = [...directory.people.values()]
    .filter((p) => !p.removed)
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
  const current = directory.people.get(userId)?.role;
  const userControl = useFieldControl('userId');
  const roleControl = useFieldControl('role', true);
  return (
    <>
      <Field field="userId" label="Member">
        <select
          {...userControl}
          value={userId}
          onChange={(e) => store.getState().edit({ userId: e.target.value })}
        >
          <option value="">Choose a member…</option>
          {people.map((p) => (
            <option key={p.id} value={p.id}>
              {p.displayName} — {p.email}
              {p.role ? ` (${roleLabel(p.role)})` : ''}
            </option>
          ))}
        </select>
      </Field>
      <Field
        field="role"
        label="New role"
        hint={
          role
            ? `${roleDescriptions[role]}${current ? ` Now: ${roleLabel(current)}.` : ''}`
            : current
              ? `Now: ${roleLabel(current)}.`
              : 'What the member may do after the change.'
        }
      >
        <select
          {...roleControl}
          value={role}
          onChange={(e) => store.getState().edit({ role: e.target.value as RoleName | '' })}
        >
          <option value="">Choose a role…</option>
          {roleNames.map((r) => (
            <option key={r} value={r}>
              {roleLabel(r)}
              {r === current ? ' (current)' : ''}
            </option>
          ))}
        </select>
      </Field>
    </>
  );
}

function KeyCreateFields() {
  const store = useNewRequestStore();
  const { keyName, scopes, expiresInDays } = useNewRequest((s) => s.draft);
  const problem = useNewRequest((s) => s.problems.scopes);
  const nameControl = useFieldControl('keyName');
  const expiryControl = useFieldControl('expiresInDays', true);
  const scopesControl = useFieldControl('scopes', true);
  return (
    <>
      <Field field="keyName" label="Key name">
        <input
          {...nameControl}
          value={keyName}
          maxLength={100}
          autoComplete="off"
          onChange={(e) => store.getState().edit({ keyName: e.target.value })}
        />
      </Field>
      <fieldset className="new-request__scopes" aria-describedby={scopesControl['aria-describedby']}>
        <legend>Scopes</legend>
        <p id={`${scopesControl.id}-hint`} className="hint">
          What the key may do, never more than you may. Keys never manage keys or members.
        </p>
        <div className="new-request__scope-grid">
          {apiKeyScopes.map((scope, index) => (
            <label key={scope} className="new-request__scope">
              <input
                type="checkbox"
                id={index === 0 ? scopesControl.id : undefined}
                checked={scopes.includes(scope)}
                onChange={(e) =>
                  store.getState().edit({
                    scopes: e.target.checked ? [...scopes, scope] : scopes.filter((s) => s !== scope),
                  })
                }
              />
              {scope}
            </label>
          ))}
        </div>
        {problem && (
          <p id={`${scopesControl.id}-problem`} className="field-error">
            {problem}
          </p>
        )}
      </fieldset>
      <Field
        field="expiresInDays"
        label="Expires after (days, optional)"
        hint="Empty: the key does not expire."
      >
        <input
          {...expiryControl}
          className="new-request__number"
          inputMode="numeric"
          value={expiresInDays}
          onChange={(e) => store.getState().edit({ expiresInDays: e.target.value })}
        />
      </Field>
    </>
  );
}

function KeyPickerFields({ rotate }: { readonly rotate: boolean }) {
  const store = useNewRequestStore();
  const { keyId, graceHours } = useNewRequest((s) => s.draft);
  const keys = useNewRequest((s) => s.apiKeys);
  const directory = useDirectory();
  const keyControl = useFieldControl('keyId', true);
  const graceControl = useFieldControl('graceHours', true);
  const usable =
    keys.phase === 'ready' ? keys.items.filter((k) => k.status === 'active' || k.status === 'grace') : [];
  const known = keyId === '' || usable.some((k) => k.id === keyId);
  const hint =
    keys.phase === 'error'
      ? `The keys could not be listed: ${keys.error.message}`
      : keys.phase === 'ready' && usable.length === 0
        ? 'This environment has no active keys.'
        : 'Keys of this environment that still work, with whose they are.';
  return (
    <>
      <Field field="keyId" label={rotate ? 'Key to rotate' : 'Key to revoke'} hint={hint}>
        <select
          {...keyControl}
          value={keyId}
          onChange={(e) => store.getState().edit({ keyId: e.target.value })}
        >
          <option value="">{keys.phase === 'ready' ? 'Choose a key…' : 'Loading the keys…'}</option>
          {!known && <option value={keyId}>{nameText(directory.name(keyId))}</option>}
          {usable.map((k) => (
            <option key={k.id} value={k.id}>
              {k.name} (of {nameText(directory.name(k.createdBy))})
              {k.status === 'grace' ? ' (in its rotation grace)' : ''}
            </option>
          ))}
        </select>
      </Field>
      {rotate && (
        <Field
          field="graceHours"
          label="Old secret keeps working for (hours)"
          hint="0 ends it at once; at most 720 (30 days)."
        >
          <input
            {...graceControl}
            className="new-request__number"
            inputMode="decimal"
            value={graceHours}
            onChange={(e) => store.getState().edit({ graceHours: e.target.value })}
          />
        </Field>
      )}
    </>
  );
}

function EvidenceDeleteFields() {
  const store = useNewRequestStore();
  const evidenceId = useNewRequest((s) => s.draft.evidenceId);
  const choices = useNewRequest((s) => s.evidence);
  const pinned = useNewRequest((s) => s.pinnedEvidence);
  const control = useFieldControl('evidenceId', true);
  const listed = choices.phase === 'ready' ? choices.items : [];
  const items = pinned && !listed.some((e) => e.id === pinned.id) ? [pinned, ...listed] : listed;
  return (
    <Field
      field="evidenceId"
      label="Evidence file to delete"
      hint={
        choices.phase === 'error'
          ? `The files could not be listed: ${choices.error.message}`
          : 'Files no request holds are listed; a request’s own file is chosen with “Request deletion…” beside it in that request.'
      }
    >
      <select
        {...control}
        value={evidenceId}
        onChange={(e) => store.getState().edit({ evidenceId: e.target.value })}
      >
        <option value="">{choices.phase === 'loading' ? 'Loading the files…' : 'Choose a file…'}</option>
        {items.map((e) => (
          <option key={e.id} value={e.id}>
            {e.name} — {mediaTypeName(e.mediaType)}, {binarySize(e.size)}, uploaded {dateTime(e.uploadedAt)}
          </option>
        ))}
      </select>
    </Field>
  );
}

function RetentionFields() {
  const store = useNewRequestStore();
  const days = useNewRequest((s) => s.draft.retentionDays);
  const current = useNewRequest((s) => s.policy?.auditRetentionDays);
  const control = useFieldControl('retentionDays', true);
  return (
    <Field
      field="retentionDays"
      label="Keep audit entries for (days)"
      hint={`From 30 to 36500. Now: ${current ? `${current} days` : 'kept without limit'}.`}
    >
      <input
        {...control}
        className="new-request__number"
        inputMode="numeric"
        value={days}
        onChange={(e) => store.getState().edit({ retentionDays: e.target.value })}
      />
    </Field>
  );
}

function CustomFields() {
  const store = useNewRequestStore();
  const name = useNewRequest((s) => s.draft.customName);
  const control = useFieldControl('customName', true);
  return (
    <>
      <Field
        field="customName"
        label="Custom kind"
        hint="Lowercase, as your integration names it, e.g. vendor_payment for custom.vendor_payment."
      >
        <div className="new-request__prefixed">
          <span className="new-request__prefix" aria-hidden="true">
            custom.
          </span>
          <input
            {...control}
            value={name}
            maxLength={63}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => store.getState().edit({ customName: e.target.value.trim() })}
          />
        </div>
      </Field>
      <PayloadEditor />
    </>
  );
}

/** The fields of the kind chosen; the values typed for another kind stay in the draft. */
export function KindFields() {
  const kind = useNewRequest((s) => s.draft.kind);
  switch (kind) {
    case 'member.role_change':
      return <RoleChangeFields />;
    case 'api_key.create':
      return <KeyCreateFields />;
    case 'api_key.rotate':
      return <KeyPickerFields rotate />;
    case 'api_key.revoke':
      return <KeyPickerFields rotate={false} />;
    case 'evidence.delete':
      return <EvidenceDeleteFields />;
    case 'audit.retention':
      return <RetentionFields />;
    case 'custom':
      return <CustomFields />;
    case '':
      return null;
  }
}
