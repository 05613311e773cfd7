import { describe, expect, it } from 'vitest';
import { sanitiseFilename } from './filename.js';
import { declaredMismatch, isAnimatedPng, sniffImage } from './image-format.js';
import { apng, gif, jpeg, png, webp } from './test-images.js';

describe('sniffImage', () => {
  it('knows the accepted formats by their magic bytes', async () => {
    expect(sniffImage(await jpeg())).toEqual({ kind: 'accepted', format: 'jpeg' });
    expect(sniffImage(await png())).toEqual({ kind: 'accepted', format: 'png' });
    expect(sniffImage(await webp())).toEqual({ kind: 'accepted', format: 'webp' });
  });

  it('tells other image formats from things that are no image', async () => {
    expect(sniffImage(await gif())).toEqual({ kind: 'other', name: 'gif' });
    expect(sniffImage(Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>'))).toEqual({
      kind: 'other',
      name: 'svg',
    });
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic')]);
    expect(sniffImage(heic)).toEqual({ kind: 'other', name: 'heif/avif' });
    expect(sniffImage(Buffer.from('hello, this is text'))).toEqual({ kind: 'unknown' });
    expect(sniffImage(Buffer.from('%PDF-1.7'))).toEqual({ kind: 'unknown' });
    expect(sniffImage(Buffer.alloc(0))).toEqual({ kind: 'unknown' });
    expect(sniffImage(Buffer.from([0xff, 0xd8]))).toEqual({ kind: 'unknown' });
  });

  it('spots an APNG', async () => {
    expect(isAnimatedPng(await apng())).toBe(true);
    expect(isAnimatedPng(await png())).toBe(false);
  });
});

describe('declaredMismatch', () => {
  it('compares the declared name and type with the content', () => {
    expect(declaredMismatch('jpeg', {})).toBe(false);
    expect(declaredMismatch('jpeg', { filename: 'IMG_0001.JPG', mimeType: 'image/jpeg' })).toBe(false);
    expect(declaredMismatch('jpeg', { filename: 'photo', mimeType: 'application/octet-stream' })).toBe(false);
    expect(declaredMismatch('png', { filename: 'photo.jpg' })).toBe(true);
    expect(declaredMismatch('png', { filename: 'photo.png', mimeType: 'image/jpeg' })).toBe(true);
    expect(declaredMismatch('webp', { mimeType: 'text/html' })).toBe(true);
  });
});

describe('sanitiseFilename', () => {
  it('keeps only the last segment, without leading dots', () => {
    expect(sanitiseFilename('../../etc/passwd.jpg')).toBe('passwd.jpg');
    expect(sanitiseFilename('..\\..\\windows\\win.ini.png')).toBe('win.ini.png');
    expect(sanitiseFilename('/abs/path/现场照片 1.jpg')).toBe('现场照片 1.jpg');
    expect(sanitiseFilename('.htaccess')).toBe('htaccess');
  });

  it('drops invisible and forbidden characters, and cuts long names', () => {
    expect(sanitiseFilename('photo\u202Egpj.exe')).toBe('photogpj.exe');
    expect(sanitiseFilename('a\u0000b\nc.jpg')).toBe('abc.jpg');
    expect(sanitiseFilename('a<b>:c|d?.jpg')).toBe('a_b__c_d_.jpg');
    expect(Array.from(sanitiseFilename('照'.repeat(500)) ?? '')).toHaveLength(120);
  });

  it('gives null when nothing is left', () => {
    expect(sanitiseFilename(undefined)).toBeNull();
    expect(sanitiseFilename('')).toBeNull();
    expect(sanitiseFilename('..')).toBeNull();
    expect(sanitiseFilename('../')).toBeNull();
    expect(sanitiseFilename(' \u200B ')).toBeNull();
  });
});
