/**
 * The categories a description suggests (类别建议), asked a moment after typing stops; an earlier
 * question still on its way is abandoned. A failure leaves the list empty: a suggestion is a help,
 * never in the way of the form.
 */
import { onBeforeUnmount, type Ref, shallowRef, watch } from 'vue';
import { type CategorySuggestion, suggestCategories } from '@/api/cases';

const DEBOUNCE_MS = 400;
/** Shorter texts say too little to suggest from. */
const MIN_CHARS = 4;

export function useCategorySuggestions(
  text: () => string,
  options: { public?: boolean } = {},
): Ref<CategorySuggestion[]> {
  const suggestions = shallowRef<CategorySuggestion[]>([]);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: AbortController | undefined;
  const stop = () => {
    clearTimeout(timer);
    pending?.abort();
  };
  watch(
    () => text().trim(),
    (current) => {
      stop();
      if (current.length < MIN_CHARS) {
        suggestions.value = [];
        return;
      }
      timer = setTimeout(() => {
        const controller = new AbortController();
        pending = controller;
        suggestCategories(current, { public: options.public, signal: controller.signal })
          .then((answer) => {
            if (pending === controller) suggestions.value = answer.items;
          })
          .catch(() => {
            // Left as it was.
          });
      }, DEBOUNCE_MS);
    },
  );
  onBeforeUnmount(stop);
  return suggestions;
}
