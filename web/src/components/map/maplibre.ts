/**
 * MapLibre, configured for Vite and offline use. Imported dynamically by UnitMap only, so the
 * library (~1 MB) never weighs on the first page load. The CSP build loads its worker from a URL
 * (no blob: workers); Vite emits the worker file as a fingerprinted asset.
 *
 * `?url`, not `?worker&url`: in development Vite serves `?worker` files as module workers (it
 * injects `import` statements), but MapLibre starts a classic worker, which then fails with
 * "Cannot use import statement outside a module". The file is already a self-contained, minified
 * script, so copying it as it is works in both development and production.
 */
import * as bundle from 'maplibre-gl/dist/maplibre-gl-csp.js';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-csp-worker.js?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import './map-labels.css';

// The UMD file reaches us as CommonJS: its API is the default export or the namespace itself.
const maplibregl = (bundle.default ?? bundle) as typeof bundle.default;
maplibregl.setWorkerUrl(workerUrl);

export default maplibregl;
