import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { withCspMeta } from './electron/services/host/renderer-assets';

/** The page's CSP meta tag, from the one policy both shells also send as a header. */
const cspMeta: Plugin = {
  name: 'console-csp-meta',
  transformIndexHtml: { order: 'pre', handler: (html) => withCspMeta(html) },
};

/** Builds the renderer only; main process and platform run under Node and are not bundled by Vite. */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), cspMeta],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: false,
    target: 'chrome130',
  },
});
