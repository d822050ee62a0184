import { useEffect, useRef, useState } from 'react';

const MAX_PAGES = 20;

/**
 * PDF pages drawn by pdf.js onto canvases: no plugin, no frame, nothing the CSP must open up. The worker
 * is the library's own file, served from the app like any other script; pdf.js 6 never evaluates font
 * programs and WebAssembly decoders are off, so the page needs neither 'unsafe-eval' nor 'wasm-unsafe-eval'.
 */
export function PdfView({ bytes, name }: { bytes: Uint8Array; name: string }) {
  const container = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<{ pages: number; shown: number } | 'failed' | null>(null);

  useEffect(() => {
    let cancelled = false;
    let destroy: (() => void) | undefined;
    void (async () => {
      try {
        const pdfjs = await import('pdfjs-dist');
        const worker = await import('pdfjs-dist/build/pdf.worker.min.mjs?url');
        pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
        const task = pdfjs.getDocument({
          data: bytes.slice(),
          useWasm: false,
          disableFontFace: false,
        });
        destroy = () => void task.destroy();
        const doc = await task.promise;
        const shown = Math.min(doc.numPages, MAX_PAGES);
        for (let n = 1; n <= shown && !cancelled; n++) {
          const page = await doc.getPage(n);
          const viewport = page.getViewport({ scale: 1.25 });
          const canvas = document.createElement('canvas');
          canvas.width = Math.ceil(viewport.width);
          canvas.height = Math.ceil(viewport.height);
          canvas.setAttribute('role', 'img');
          canvas.setAttribute('aria-label', `${name}, page ${n} of ${doc.numPages}`);
          container.current?.append(canvas);
          const context = canvas.getContext('2d');
          if (context) await page.render({ canvas, canvasContext: context, viewport }).promise;
          if (!cancelled) setState({ pages: doc.numPages, shown: n });
        }
        if (!cancelled) setState({ pages: doc.numPages, shown });
      } catch {
        if (!cancelled) setState('failed');
      }
    })();
    return () => {
      cancelled = true;
      destroy?.();
    };
  }, [bytes, name]);

  return (
    <div className="pdf-view">
      {state === null && <p role="status">Drawing the pages…</p>}
      {state === 'failed' && (
        <p className="notice notice--error" role="alert">
          This PDF cannot be shown here; download it to open it in another program.
        </p>
      )}
      {state !== null && state !== 'failed' && state.shown === MAX_PAGES && state.shown < state.pages && (
        <p className="hint">
          Showing the first {state.shown} of {state.pages} pages; download the file for the rest.
        </p>
      )}
      <div ref={container} className="pdf-view__pages" />
    </div>
  );
}
