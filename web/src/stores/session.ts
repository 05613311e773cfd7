/**
 * The signed-in person: who they are, their grants (roles × scopes), abilities and CSRF token.
 * `load()` runs once before the first protected page; 401 means signed out, not an error.
 */
import type { SessionAbilities, SessionView } from '@common/api';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { ApiError, api, setCsrfToken } from '@/api/client';

export type Ability = keyof SessionAbilities;

export const useSessionStore = defineStore('session', () => {
  const session = ref<SessionView | null>(null);
  /** Whether the server has been asked at least once (so the router knows whether to wait). */
  const loaded = ref(false);

  const account = computed(() => session.value?.account ?? null);
  const signedIn = computed(() => session.value !== null);
  const grants = computed(() => session.value?.account.grants ?? []);
  const mustChangePassword = computed(() => session.value?.account.mustChangePassword ?? false);

  function set(view: SessionView | null): void {
    session.value = view;
    loaded.value = true;
    setCsrfToken(view?.csrfToken ?? null);
  }

  /** True when the signed-in person has the ability anywhere in their scope. */
  function can(ability: Ability): boolean {
    return session.value?.abilities[ability] ?? false;
  }

  /** Asks the server who is signed in; resolves to null when nobody is. */
  async function load(): Promise<SessionView | null> {
    try {
      set(await api.get<SessionView>('/api/session', { allowSignedOut: true }));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) set(null);
      else throw error;
    }
    return session.value;
  }

  async function signIn(username: string, password: string): Promise<SessionView> {
    const view = await api.post<SessionView>('/api/session', { username, password }, { allowSignedOut: true });
    set(view);
    return view;
  }

  async function signOut(): Promise<void> {
    try {
      await api.delete('/api/session', { allowSignedOut: true });
    } finally {
      set(null);
    }
  }

  /** Changes my password, then reloads the session (mustChangePassword is cleared by the server). */
  async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await api.post('/api/session/password', { currentPassword, newPassword });
    await load();
  }

  /** Forgets the session locally (the server already said it is gone). */
  function clear(): void {
    set(null);
  }

  return {
    session,
    loaded,
    account,
    signedIn,
    grants,
    mustChangePassword,
    can,
    load,
    signIn,
    signOut,
    changePassword,
    clear,
  };
});
