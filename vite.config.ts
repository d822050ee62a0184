import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Builds the renderer only; main process and platform run under Node and are not bundled by Vite. */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: false,
    target: 'chrome130',
  },
});
