/**
 * The upload queue behind every photo picker (the resident's report, a staff step): each photo is
 * uploaded as soon as it is chosen, shown at once from the device, and can be retried or removed.
 * The list lives here and the parent's model gets each new version: uploads finish out of order and
 * the model's prop only catches up on the next render, so edits must never start from it.
 */
import { ElMessage } from 'element-plus';
import { onBeforeUnmount, type Ref, ref, watch } from 'vue';
import { uploadPhoto } from '@/api/public';
import { type PhotoEntry, prepareForUpload } from '@/components/public/photo-entry';
import { errorText } from '@/utils/errors';

export interface PhotoUploadOptions {
  max: number;
  csrfToken: () => string | null;
  /** The warning shown when more files are chosen than there is room for. */
  tooMany: () => string;
  onFailure?: (error: unknown) => void;
}

export function usePhotoUploads<E extends PhotoEntry>(model: Ref<E[]>, options: PhotoUploadOptions) {
  const photos = ref<E[]>([...model.value]) as Ref<E[]>;
  watch(photos, (list) => {
    model.value = list;
  });
  let serial = 0;

  function update(id: number, patch: Partial<PhotoEntry>): void {
    photos.value = photos.value.map((p) => (p.id === id ? { ...p, ...patch } : p));
  }

  async function upload(entry: E): Promise<void> {
    update(entry.id, { status: 'uploading', error: null });
    try {
      const uploaded = await uploadPhoto(await prepareForUpload(entry.file), options.csrfToken());
      update(entry.id, { status: 'done', key: uploaded.key });
    } catch (error) {
      update(entry.id, { status: 'failed', error: errorText(error) });
      options.onFailure?.(error);
    }
  }

  /** Takes the files an `<input type="file">` offers (then clears it), with `extra` fields for each entry. */
  function choose(event: Event, extra: Omit<E, keyof PhotoEntry>): void {
    const input = event.target as HTMLInputElement;
    const files = Array.from(input.files ?? []);
    input.value = '';
    const room = options.max - photos.value.length;
    if (files.length > room) ElMessage.warning(options.tooMany());
    const added = files.slice(0, Math.max(0, room)).map(
      (file) =>
        ({
          ...extra,
          id: ++serial,
          file,
          preview: URL.createObjectURL(file),
          status: 'uploading',
          key: null,
          error: null,
        }) as E,
    );
    photos.value = [...photos.value, ...added];
    for (const entry of added) void upload(entry);
  }

  function remove(entry: E): void {
    URL.revokeObjectURL(entry.preview);
    photos.value = photos.value.filter((p) => p.id !== entry.id);
  }

  onBeforeUnmount(() => {
    for (const p of photos.value) URL.revokeObjectURL(p.preview);
  });

  return { photos, upload, choose, remove };
}
