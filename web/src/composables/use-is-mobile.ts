/** True on phone-sized screens (< 768 px), where the menu becomes a drawer and panels stack. */
import { onBeforeUnmount, ref } from 'vue';

export const MOBILE_QUERY = '(max-width: 767px)';

export function useIsMobile() {
  const query = window.matchMedia(MOBILE_QUERY);
  const isMobile = ref(query.matches);
  const update = (event: MediaQueryListEvent) => {
    isMobile.value = event.matches;
  };
  query.addEventListener('change', update);
  onBeforeUnmount(() => query.removeEventListener('change', update));
  return isMobile;
}
