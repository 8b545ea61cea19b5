import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Built into web/dist and served by the gateway at /. Asset names carry a content hash (cached as immutable).
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // The gateway's CSP allows no inline code: keep every asset a file, however small.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 800,
  },
  server: { proxy: { '/admin': 'http://127.0.0.1:4000', '/v1': 'http://127.0.0.1:4000' } },
});
