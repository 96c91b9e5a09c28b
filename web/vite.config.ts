import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The portal is served by the API server at /portal/ (see docs/portal.md); in `vite dev` the API is proxied.
const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.LEDGERLINK_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root,
  base: '/portal/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 600 },
  server: {
    proxy: Object.fromEntries(
      ['/integrations', '/companies', '/apiKeys', '/webhooks', '/profile', '/healthz', '/portal-config'].map((p) => [
        p,
        api,
      ]),
    ),
  },
});
