import './evidence.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CallOutput } from '../../../shared/contract/contract';
import { events } from '../../../shared/contract/contract';
import { useApp, useSession } from '../../app-context';
import { Dialog } from '../../components/dialog';
import { downloadFile } from '../../components/download';
import { ProgressBar } from '../../components/progress-bar';
import { prettyJson, previewKind } from './csv';
import { CsvTable } from './csv-table';
import { PdfView } from './pdf-view';

type Opened = Extract<CallOutput<'evidence.open'>, { outcome: 'opened' }>;

type ViewState =
  | {
      readonly phase: 'opening';
      readonly done: number;
      readonly total: number;
      readonly downloading: boolean;
    }
  | { readonly phase: 'cancelling'; readonly done: number; readonly total: number }
  | { readonly phase: 'cancelled' }
  | { readonly phase: 'failed'; readonly error: string }
  | { readonly phase: 'opened'; readonly opened: Opened; readonly bytes: Uint8Array };

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * One evidence file, opened through the encrypted cache: images, PDF, text, CSV (as a table) and JSON
 * (laid out) are shown here, as text or pixels, never as markup. A file this computer does not hold is
 * downloaded with a progress bar and a Cancel button; a cancelled download leaves nothing behind.
 */
export function EvidenceViewer(props: {
  evidenceId: string;
  /** The file's name when the caller knows it, for the title while it opens. */
  name?: string;
  onClose: () => void;
  /** The file is now on this computer (the list marks it). */
  onCached?: (evidenceId: string) => void;
}) {
  const { client } = useApp();
  const active = useSession((s) => s.active);
  const tenant = useSession((s) => s.tenant);
  const [state, setState] = useState<ViewState>({ phase: 'opening', done: 0, total: 0, downloading: false });
  const [attempt, setAttempt] = useState(0);
  const taskId = useRef('');
  const onCached = useRef(props.onCached);
  onCached.current = props.onCached;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is Try again: it opens the file anew
  useEffect(() => {
    if (!active || !tenant) return;
    let current = true;
    const task = crypto.randomUUID();
    taskId.current = task;
    setState({ phase: 'opening', done: 0, total: 0, downloading: false });
    const stop = client.onEvent((name, payload) => {
      if (name !== 'progress') return;
      const progress = events.progress.safeParse(payload);
      if (!current || !progress.success || progress.data.task !== task) return;
      const { done, total } = progress.data;
      setState((s) =>
        s.phase === 'opening'
          ? { phase: 'opening', done, total, downloading: true }
          : s.phase === 'cancelling'
            ? { phase: 'cancelling', done, total }
            : s,
      );
    });
    void client
      .call('evidence.open', {
        profile: active.profile,
        tenant,
        evidenceId: props.evidenceId,
        taskId: task,
      })
      .then((reply) => {
        if (!current) return;
        if (!reply.ok) setState({ phase: 'failed', error: reply.error.message });
        else if (reply.value.outcome === 'cancelled') setState({ phase: 'cancelled' });
        else {
          setState({ phase: 'opened', opened: reply.value, bytes: decodeBase64(reply.value.content) });
          if (reply.value.source === 'platform') onCached.current?.(props.evidenceId);
        }
      });
    return () => {
      current = false;
      stop();
      // Closed while downloading: the download stops and nothing is kept.
      void client.call('evidence.cancelOpen', { taskId: task });
    };
  }, [client, active, tenant, props.evidenceId, attempt]);

  const cancel = useCallback(() => {
    setState((s) => (s.phase === 'opening' ? { phase: 'cancelling', done: s.done, total: s.total } : s));
    void client.call('evidence.cancelOpen', { taskId: taskId.current });
  }, [client]);

  // When the progress bar (and its Cancel button, which had the focus) goes, the focus must not fall
  // to the page behind the dialog: Close takes it, so Escape and Enter keep working in the dialog.
  const closeButton = useRef<HTMLButtonElement>(null);
  const settled = state.phase !== 'opening' && state.phase !== 'cancelling';
  useEffect(() => {
    const close = closeButton.current;
    const focused = document.activeElement;
    if (
      settled &&
      close &&
      !(focused && focused !== document.body && close.closest('dialog')?.contains(focused))
    )
      close.focus();
  }, [settled]);

  const title = state.phase === 'opened' ? state.opened.evidence.name : (props.name ?? 'Evidence');

  return (
    <Dialog title={title} onCancel={props.onClose} className="evidence-viewer">
      {(state.phase === 'opening' || state.phase === 'cancelling') && (
        <DownloadProgress state={state} name={props.name ?? 'the file'} onCancel={cancel} />
      )}
      {state.phase === 'cancelled' && (
        <p className="notice" role="status">
          Download cancelled. Nothing of the file was kept on this computer.
        </p>
      )}
      {state.phase === 'failed' && (
        <p className="notice notice--error" role="alert">
          {state.error}
        </p>
      )}
      {state.phase === 'opened' && <OpenedFile opened={state.opened} bytes={state.bytes} />}
      <div className="dialog__actions">
        {state.phase === 'opened' && (
          <button
            type="button"
            onClick={() =>
              downloadFile(
                state.opened.evidence.name,
                state.bytes as BlobPart,
                state.opened.evidence.mediaType,
              )
            }
          >
            Download
          </button>
        )}
        {(state.phase === 'cancelled' || state.phase === 'failed') && (
          <button type="button" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        )}
        <button ref={closeButton} type="button" data-autofocus onClick={props.onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}

function DownloadProgress(props: {
  readonly state: Extract<ViewState, { phase: 'opening' | 'cancelling' }>;
  readonly name: string;
  onCancel(): void;
}) {
  const { state } = props;
  const downloading = state.phase === 'cancelling' || state.downloading;
  if (!downloading) return <p role="status">Opening the file…</p>;
  return (
    <ProgressBar
      label={`Downloading ${props.name}`}
      done={state.done}
      total={state.total}
      {...(state.phase === 'cancelling' ? { note: 'Cancelling…' } : {})}
      cancelling={state.phase === 'cancelling'}
      cancelLabel="Cancel download"
      onCancel={props.onCancel}
      focusCancel
    />
  );
}

function OpenedFile({ opened, bytes }: { readonly opened: Opened; readonly bytes: Uint8Array }) {
  const { evidence } = opened;
  const kind = previewKind(evidence.mediaType, evidence.name);
  const text = useMemo(
    () => (kind === 'text' || kind === 'csv' || kind === 'json' ? new TextDecoder().decode(bytes) : ''),
    [bytes, kind],
  );
  return (
    <>
      <p className="hint">
        {opened.source === 'cache'
          ? 'Opened from the encrypted cache on this computer (available offline).'
          : 'Downloaded from the platform and kept in the encrypted cache.'}{' '}
        SHA-256 checked: <code>{evidence.sha256.slice(0, 16)}…</code>
      </p>
      <div className="evidence-viewer__body">
        {kind === 'image' && (
          <img src={`data:${evidence.mediaType};base64,${opened.content}`} alt={evidence.name} />
        )}
        {kind === 'pdf' && <PdfView bytes={bytes} name={evidence.name} />}
        {kind === 'csv' && <CsvTable text={text} name={evidence.name} />}
        {(kind === 'text' || kind === 'json') && <TextPreview text={text} kind={kind} name={evidence.name} />}
        {kind === 'none' && <p className="hint">This type cannot be shown here; download it instead.</p>}
      </div>
    </>
  );
}

/** More text than this is not laid out at once: the page would stall; the rest is a download away. */
const MAX_TEXT_CHARS = 400_000;

function TextPreview(props: {
  readonly text: string;
  readonly kind: 'text' | 'json';
  readonly name: string;
}) {
  const shown = useMemo(() => {
    const laidOut =
      props.kind === 'json' && props.text.length <= MAX_TEXT_CHARS ? prettyJson(props.text) : props.text;
    return laidOut.length > MAX_TEXT_CHARS ? laidOut.slice(0, MAX_TEXT_CHARS) : laidOut;
  }, [props.text, props.kind]);
  const cut = shown.length < props.text.length && shown.length === MAX_TEXT_CHARS;
  return (
    <section aria-label={`Contents of ${props.name}`}>
      {cut && (
        <p className="hint">
          Showing the first {MAX_TEXT_CHARS.toLocaleString()} characters of{' '}
          {props.text.length.toLocaleString()}; download the file for the rest.
        </p>
      )}
      {/* Text, never markup: React writes it as a text node whatever it holds. */}
      <pre className="evidence-viewer__text">{shown}</pre>
    </section>
  );
}
