/**
 * Loads one thing from the API for a page: the value, whether it is loading, the failure in words,
 * and `reload()`. A newer load (or leaving the page) cancels the older one.
 */
import { onBeforeUnmount, type Ref, ref, shallowRef } from 'vue';
import { isAbort } from '@/api/client';
import { errorText } from '@/utils/errors';

export interface Resource<T> {
  data: Ref<T | null>;
  loading: Ref<boolean>;
  error: Ref<string | null>;
  reload: () => Promise<void>;
}

export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, options: { immediate?: boolean } = {}) {
  const data = shallowRef<T | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  let controller: AbortController | null = null;

  async function reload(): Promise<void> {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    loading.value = true;
    error.value = null;
    try {
      data.value = await load(current.signal);
    } catch (failure) {
      if (!isAbort(failure) && !current.signal.aborted) error.value = errorText(failure);
    } finally {
      if (controller === current) loading.value = false;
    }
  }

  onBeforeUnmount(() => controller?.abort());
  if (options.immediate !== false) void reload();
  return { data, loading, error, reload } satisfies Resource<T>;
}
