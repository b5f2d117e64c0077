import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is served from loopback by the browser host and from app:// by the Electron host: relative paths
// work under both.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    minify: process.env.CORDON_NO_MINIFY ? false : 'esbuild',
    target: 'chrome130',
    chunkSizeWarningLimit: 2000,
  },
});
