/** A photo being added to a report, and how it is made small enough to send when it is not. */

export interface PhotoEntry {
  id: number;
  file: File;
  /** Object URL of the local file: shown at once, before the upload ends. */
  preview: string;
  status: 'uploading' | 'done' | 'failed';
  /** The media key once uploaded. */
  key: string | null;
  error: string | null;
}

/** The server takes files up to 10 MB; a larger one is re-encoded on the phone rather than refused. */
const MAX_BYTES = 10 * 1024 * 1024;
const MAX_SIDE = 4096;

/**
 * The file as it is, or — only when too large — a JPEG re-encoded at most 4096 px on its longest side.
 * If the browser cannot decode it, the original goes and the server's coded error says why.
 */
export async function prepareForUpload(file: File): Promise<File> {
  if (file.size <= MAX_BYTES || typeof createImageBitmap !== 'function') return file;
  try {
    const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.88));
    if (!blob) return file;
    return new File([blob], `${file.name.replace(/\.\w+$/, '')}.jpg`, { type: 'image/jpeg' });
  } catch {
    return file;
  }
}
