import './evidence.css';
import { useEffect, useMemo, useState } from 'react';
import type { CallOutput } from '../../../shared/contract/contract';
import { useApp, useSession } from '../../app-context';
import { Dialog } from '../../components/dialog';
import { downloadFile } from '../../components/download';
import { PdfView } from './pdf-view';

type Opened = CallOutput<'evidence.open'>;

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function readableText(bytes: Uint8Array, mediaType: string): string {
  const text = new TextDecoder().decode(bytes);
  if (mediaType !== 'application/json') return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/**
 * One evidence file, opened through the encrypted cache: images, PDF, text and JSON are shown here,
 * anything else is offered as a download. Opened once, it stays readable offline.
 */
export function EvidenceViewer(props: { evidenceId: string; requestId?: string; onClose: () => void }) {
  const { client } = useApp();
  const active = useSession((s) => s.active);
  const tenant = useSession((s) => s.tenant);
  const [opened, setOpened] = useState<Opened | { error: string } | null>(null);

  useEffect(() => {
    if (!active || !tenant) return;
    let current = true;
    void client
      .call('evidence.open', {
        profile: active.profile,
        tenant,
        evidenceId: props.evidenceId,
        ...(props.requestId ? { requestId: props.requestId } : {}),
      })
      .then((reply) => {
        if (current) setOpened(reply.ok ? reply.value : { error: reply.error.message });
      });
    return () => {
      current = false;
    };
  }, [client, active, tenant, props.evidenceId, props.requestId]);

  const bytes = useMemo(
    () => (opened && 'content' in opened ? decodeBase64(opened.content) : null),
    [opened],
  );
  const title = opened && 'evidence' in opened ? opened.evidence.name : 'Evidence';

  return (
    <Dialog title={title} onCancel={props.onClose} className="evidence-viewer">
      {opened === null && <p role="status">Opening the file…</p>}
      {opened && 'error' in opened && (
        <p className="notice notice--error" role="alert">
          {opened.error}
        </p>
      )}
      {opened && 'evidence' in opened && bytes && (
        <>
          <p className="hint">
            {opened.source === 'cache'
              ? 'Opened from the encrypted cache on this computer (available offline).'
              : 'Downloaded from the platform and kept in the encrypted cache.'}{' '}
            SHA-256 checked: <code>{opened.evidence.sha256.slice(0, 16)}…</code>
          </p>
          <div className="evidence-viewer__body">
            {opened.evidence.mediaType.startsWith('image/') && (
              <img
                src={`data:${opened.evidence.mediaType};base64,${opened.content}`}
                alt={opened.evidence.name}
              />
            )}
            {opened.evidence.mediaType === 'application/pdf' && (
              <PdfView bytes={bytes} name={opened.evidence.name} />
            )}
            {(opened.evidence.mediaType === 'text/plain' ||
              opened.evidence.mediaType === 'application/json') && (
              <section aria-label={`Contents of ${opened.evidence.name}`}>
                <pre className="evidence-viewer__text">{readableText(bytes, opened.evidence.mediaType)}</pre>
              </section>
            )}
          </div>
        </>
      )}
      <div className="dialog__actions">
        {opened && 'evidence' in opened && bytes && (
          <button
            type="button"
            onClick={() => downloadFile(opened.evidence.name, bytes as BlobPart, opened.evidence.mediaType)}
          >
            Download
          </button>
        )}
        <button type="button" data-autofocus onClick={props.onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
