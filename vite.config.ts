/**
 * Vite builds the web application (web/ → web/dist), which the Fastify server serves.
 * In development (`npx vite`) the API and Open311 calls go to the server on port 3000.
 */
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('./web'),
  plugins: [vue()],
  resolve: {
    alias: {
      '@common': here('./common'),
      '@': here('./web/src'),
    },
  },
  define: {
    // vue-i18n: Composition API only, no devtools in production builds.
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: {
    outDir: here('./web/dist'),
    emptyOutDir: true,
    // MapLibre (~1 MB, loaded only by the territory map) is the one large chunk, and it is lazy.
    chunkSizeWarningLimit: 1100,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': 'http://localhost:3000',
      '/open311': 'http://localhost:3000',
    },
  },
});
