/**
 * Vite builds the web application (web/ → web/dist), which the Fastify server serves.
 * In development (`npx vite`) the API and Open311 calls go to the server on port 3000.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type Plugin } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Writes `.br` and `.gz` beside each text asset once, at build time; the server sends them to
 * browsers that accept them (@fastify/static `preCompressed`) instead of compressing per request.
 */
function precompress(): Plugin {
  return {
    name: 'gridloop-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      const dir = options.dir ?? here('./web/dist');
      for (const file of Object.keys(bundle)) {
        if (!/\.(js|css|html|svg|json)$/.test(file)) continue;
        const path = join(dir, file);
        const content = readFileSync(path);
        if (content.length < 1024) continue;
        writeFileSync(`${path}.gz`, gzipSync(content, { level: 9 }));
        writeFileSync(`${path}.br`, brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 10 } }));
      }
    },
  };
}

export default defineConfig({
  root: here('./web'),
  plugins: [vue(), precompress()],
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
