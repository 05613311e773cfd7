/**
 * The optional resident sign-in of the public pages (mobile number + password). Anonymous is the
 * default; signed in, reports are tied to the resident. The store owns the CSRF token while a
 * resident session is open (a staff session's token stays with the staff store).
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { ApiError, setCsrfToken } from '@/api/client';
import { getResidentSession, type ResidentSessionView, signInResident, signOutResident } from '@/api/public';
import { useSessionStore } from './session';

export const useResidentStore = defineStore('resident', () => {
  const session = ref<ResidentSessionView | null>(null);
  const loaded = ref(false);

  const resident = computed(() => session.value?.resident ?? null);
  const signedIn = computed(() => session.value !== null);

  function set(view: ResidentSessionView | null): void {
    session.value = view;
    loaded.value = true;
    // Signed out: fall back to a staff session's token, if a staff member is using this browser.
    setCsrfToken(view?.csrfToken ?? useSessionStore().session?.csrfToken ?? null);
  }

  /** The token to send on writes the JSON client does not make (photo upload). */
  function csrfToken(): string | null {
    return session.value?.csrfToken ?? useSessionStore().session?.csrfToken ?? null;
  }

  /** Asks once whether a resident is signed in; a 401 just means anonymous. */
  async function load(): Promise<void> {
    if (loaded.value) return;
    try {
      set(await getResidentSession());
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) set(null);
      else loaded.value = true;
    }
  }

  async function signIn(phone: string, password: string): Promise<void> {
    set(await signInResident(phone, password));
  }

  async function signOut(): Promise<void> {
    try {
      await signOutResident();
    } finally {
      set(null);
    }
  }

  return { session, loaded, resident, signedIn, csrfToken, load, signIn, signOut };
});
