// Vite builds the console into dist/, which the lab serves on WEB_PORT. `pnpm dev` proxies the APIs
// and WebSockets to a lab on SEAWAY_LAB (default http://127.0.0.1:3030).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const lab = process.env.SEAWAY_LAB ?? 'http://127.0.0.1:3030';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      // zod ships /* @__PURE__ */ comments in places Rollup cannot use; it drops them harmlessly, but
      // the multi-line warning looks like a failed build. Other warnings still print.
      onwarn(warning, warn) {
        if (warning.code === 'INVALID_ANNOTATION' && /node_modules/.test(warning.id ?? '')) return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: {
      '/api': lab,
      '/ws': { target: lab.replace(/^http/, 'ws'), ws: true },
      '/mqtt': { target: lab.replace(/^http/, 'ws'), ws: true },
    },
  },
  test: { environment: 'jsdom', include: ['test/**/*.test.{ts,tsx}'], restoreMocks: true },
});
