/**
 * Photos for generated data (the demo history, benchmarks): a few plain scene-like images stored
 * once, whose keys seeded steps reuse. A step's photos must be uploads of its actor, so before a
 * seeded step the seed records that upload with `recordUploads` (a row, no file work):
 *
 *   const pool = await storePhotoPool(config.mediaDir);
 *   await recordUploads(db, { kind: 'staff', accountId, ipHash: '' }, [pool[i]], at);
 *   await transitionCase(ctx, { …, photos: [{ key: pool[i].key, role: 'after' }] });
 */
import { loadSharp } from '../lazy-modules.js';
import { type SavedImage, saveBatch } from './media.store.js';

const WIDTH = 640;
const HEIGHT = 480;

/** A vertical gradient from `top` to `bottom` (sky over pavement), with a darker block (the problem). */
function scene(index: number): Buffer {
  const hue = (index * 47) % 360;
  const rgb = (h: number, l: number) => {
    // HSL with saturation 0.35 to RGB, enough for muted outdoor colours.
    const a = 0.35 * Math.min(l, 1 - l);
    const f = (n: number) => {
      const k = (n + h / 30) % 12;
      return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
    };
    return [f(0), f(8), f(4)] as const;
  };
  const top = rgb(hue, 0.78);
  const bottom = rgb((hue + 40) % 360, 0.42);
  const block = rgb((hue + 180) % 360, 0.3);
  const x0 = 120 + ((index * 53) % 280);
  const y0 = 260 + ((index * 29) % 120);
  const buf = Buffer.alloc(WIDTH * HEIGHT * 3);
  for (let y = 0; y < HEIGHT; y++) {
    const t = y / (HEIGHT - 1);
    for (let x = 0; x < WIDTH; x++) {
      const inBlock = x >= x0 && x < x0 + 160 && y >= y0 && y < y0 + 90;
      const at = (y * WIDTH + x) * 3;
      for (let c = 0; c < 3; c++) {
        buf[at + c] = inBlock ? (block[c] ?? 0) : Math.round((top[c] ?? 0) * (1 - t) + (bottom[c] ?? 0) * t);
      }
    }
  }
  return buf;
}

/**
 * Stores `count` generated photos (the same bytes every time, so the same keys) and returns their
 * facts for `recordUploads`. Idempotent: a second call writes nothing.
 */
export async function storePhotoPool(mediaDir: string, count = 12): Promise<SavedImage[]> {
  const sharp = await loadSharp();
  const files = await Promise.all(
    Array.from({ length: count }, async (_, i) => ({
      buffer: await sharp(scene(i), { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
        .jpeg({ quality: 80 })
        .toBuffer(),
      filename: `demo-${i + 1}.jpg`,
      mimeType: 'image/jpeg',
    })),
  );
  const saved: SavedImage[] = [];
  // saveBatch takes at most a submission's worth of files at a time.
  for (let i = 0; i < files.length; i += 9) saved.push(...(await saveBatch(mediaDir, files.slice(i, i + 9))));
  return saved;
}
