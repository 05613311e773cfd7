import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { MediaError, type MediaProblem } from './media.errors.js';
import { MAX_DIMENSION, MAX_FILE_BYTES, PUBLIC_MAX_SIDE, THUMB_MAX_SIDE } from './media.limits.js';
import { mediaInfo, type ProcessedImage, processImage } from './process-image.js';
import {
  animatedWebp,
  apng,
  declaredBombPng,
  gif,
  jpeg,
  png,
  SHANGHAI,
  SHANGHAI_GPS,
  solidPng,
  webp,
  XMP_WITH_GPS,
} from './test-images.js';

/** The problem `processImage` refuses `input` with. */
async function refusal(input: Buffer, declared?: { filename?: string; mimeType?: string }): Promise<MediaProblem> {
  const err = await processImage(input, declared).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MediaError);
  return (err as MediaError).problem;
}

/** The public variants carry no metadata at all: no EXIF, XMP, IPTC, ICC, PNG text. */
async function expectStripped(p: ProcessedImage) {
  for (const variant of [p.public, p.thumbnail]) {
    const meta = await sharp(variant.buffer).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.iptc).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(meta.hasProfile).toBe(false);
    expect(meta.comments ?? []).toEqual([]);
    expect(meta.format).toBe(variant.format);
    expect([meta.width, meta.height]).toEqual([variant.width, variant.height]);
    expect(variant.buffer.includes(Buffer.from('GPS'))).toBe(false);
    expect(variant.buffer.includes(Buffer.from('Gridloop'))).toBe(false);
  }
}

describe('processImage: what is accepted', () => {
  it('keeps a GPS JPEG as evidence, strips the public variants and decodes the location hint', async () => {
    const input = await jpeg({ gps: SHANGHAI_GPS, width: 640, height: 480 });
    const p = await processImage(input, { filename: '现场.jpg', mimeType: 'image/jpeg' });
    expect(p.original.buffer.equals(input)).toBe(true);
    expect(p.sha256).toBe(createHash('sha256').update(input).digest('hex'));
    expect(mediaInfo(p)).toEqual({
      sha256: p.sha256,
      format: 'jpeg',
      mimeType: 'image/jpeg',
      width: 640,
      height: 480,
      bytes: input.length,
      hadGps: true,
      gps: SHANGHAI,
      filename: '现场.jpg',
      declaredMismatch: false,
    });
    expect((await sharp(p.original.buffer).metadata()).exif).toBeDefined();
    expect(p.public).toMatchObject({ format: 'jpeg', mimeType: 'image/jpeg', width: 640, height: 480 });
    expect(p.thumbnail).toMatchObject({ format: 'webp', mimeType: 'image/webp', width: 320, height: 240 });
    await expectStripped(p);
  });

  it('says so when a photo has no location', async () => {
    const p = await processImage(await jpeg());
    expect([p.hadGps, p.gps, p.filename, p.declaredMismatch]).toEqual([false, null, null, false]);
  });

  it('counts a location in XMP as GPS, and strips XMP and ICC profiles', async () => {
    const p = await processImage(await jpeg({ xmp: XMP_WITH_GPS, icc: 'p3' }));
    expect(p.hadGps).toBe(true);
    expect(p.gps).toBeNull();
    const original = await sharp(p.original.buffer).metadata();
    expect([original.hasProfile, original.xmp !== undefined]).toEqual([true, true]);
    await expectStripped(p);
  });

  it('turns a photo upright by its EXIF orientation', async () => {
    const p = await processImage(await jpeg({ width: 400, height: 300, orientation: 6 }));
    expect([p.width, p.height]).toEqual([300, 400]);
    expect([p.public.width, p.public.height]).toEqual([300, 400]);
    expect([p.thumbnail.width, p.thumbnail.height]).toEqual([240, 320]);
    expect((await sharp(p.public.buffer).metadata()).orientation).toBeUndefined();
  });

  it('shrinks to the public and thumbnail sizes, never enlarges', async () => {
    const big = await processImage(await jpeg({ width: 3000, height: 1500 }));
    expect([big.public.width, big.public.height]).toEqual([PUBLIC_MAX_SIDE, PUBLIC_MAX_SIDE / 2]);
    expect([big.thumbnail.width, big.thumbnail.height]).toEqual([THUMB_MAX_SIDE, THUMB_MAX_SIDE / 2]);
    const small = await processImage(await jpeg({ width: 120, height: 90 }));
    expect([small.public.width, small.thumbnail.width]).toEqual([120, 120]);
  });

  it('takes a PNG named .jpg as a PNG: the content decides', async () => {
    const p = await processImage(await png({ alpha: true }), { filename: 'photo.jpg', mimeType: 'image/jpeg' });
    expect([p.format, p.mimeType, p.original.format, p.declaredMismatch]).toEqual(['png', 'image/png', 'png', true]);
    expect((await sharp(p.public.buffer).metadata()).hasAlpha).toBe(false);
    await expectStripped(p);
  });

  it('takes a JPEG declared as image/png named .webp as a JPEG', async () => {
    const p = await processImage(await jpeg(), { filename: 'x.webp', mimeType: 'image/png' });
    expect([p.format, p.declaredMismatch]).toEqual(['jpeg', true]);
  });

  it('strips the eXIf GPS of a PNG and still reads the hint', async () => {
    const p = await processImage(await png({ gps: { ...SHANGHAI_GPS, GPSLatitudeRef: 'S' } }));
    expect(p.hadGps).toBe(true);
    expect(p.gps).toEqual({ lng: SHANGHAI.lng, lat: -SHANGHAI.lat });
    await expectStripped(p);
  });

  it('takes a WebP', async () => {
    const p = await processImage(await webp(), { filename: 'a.webp', mimeType: 'image/webp' });
    expect([p.format, p.width, p.height, p.declaredMismatch]).toEqual(['webp', 300, 200, false]);
    await expectStripped(p);
  });
});

describe('processImage: what is refused', () => {
  it('refuses text named photo.jpg, and empty files, as not_an_image', async () => {
    const text = Buffer.from('This is not a photo, just text pretending.\n'.repeat(20));
    expect(await refusal(text, { filename: 'photo.jpg', mimeType: 'image/jpeg' })).toBe('not_an_image');
    expect(await refusal(Buffer.from('<html><script>alert(1)</script></html>'))).toBe('not_an_image');
    expect(await refusal(Buffer.alloc(0))).toBe('not_an_image');
  });

  it('refuses other image formats and animations as unsupported_format', async () => {
    expect(await refusal(await gif(), { filename: 'a.jpg' })).toBe('unsupported_format');
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>');
    expect(await refusal(svg, { filename: 'a.png', mimeType: 'image/png' })).toBe('unsupported_format');
    expect(await refusal(await animatedWebp())).toBe('unsupported_format');
    expect(await refusal(await apng())).toBe('unsupported_format');
  });

  it('refuses a file over the byte limit as too_large before decoding it', async () => {
    const input = Buffer.concat([await jpeg(), Buffer.alloc(MAX_FILE_BYTES)]);
    expect(await refusal(input)).toBe('too_large');
  });

  it('refuses a 30000 × 30000 PNG bomb of a few hundred bytes as too_many_pixels, without decoding it', async () => {
    const bomb = await declaredBombPng(30_000, 30_000);
    expect(bomb.length).toBeLessThan(1_000);
    const before = process.memoryUsage().rss;
    const started = Date.now();
    expect(await refusal(bomb, { filename: 'bomb.png' })).toBe('too_many_pixels');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('refuses a real, well-formed solid-colour PNG over the pixel budget as too_many_pixels', async () => {
    const bomb = await solidPng(8_000, 8_000);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const before = process.memoryUsage().rss;
    expect(await refusal(bomb)).toBe('too_many_pixels');
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('refuses a strip longer than the longest side allowed', async () => {
    expect(await refusal(await solidPng(MAX_DIMENSION + 1, 16))).toBe('too_many_pixels');
  });

  it('refuses truncated and damaged images as corrupt', async () => {
    const photo = await jpeg({ width: 800, height: 600 });
    expect(await refusal(photo.subarray(0, Math.floor(photo.length / 2)))).toBe('corrupt');
    expect(await refusal(photo.subarray(0, 200))).toBe('corrupt');
    const picture = await png({ width: 300, height: 300 });
    expect(await refusal(picture.subarray(0, Math.floor(picture.length / 2)))).toBe('corrupt');
    const garbage = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(5_000, 0x41)]);
    expect(await refusal(garbage)).toBe('corrupt');
    const riff = Buffer.concat([Buffer.from('RIFF\0\0\0\0WEBPVP8 '), Buffer.alloc(100, 7)]);
    expect(await refusal(riff)).toBe('corrupt');
  });

  it('keeps the decoder message out of the client message', async () => {
    const photo = await jpeg();
    const err = await processImage(photo.subarray(0, 300)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MediaError);
    expect((err as MediaError).message).toBe('The image is damaged or incomplete and cannot be read');
    expect((err as MediaError).detail).toBeTruthy();
  });
});
