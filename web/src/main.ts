/** Starts the web application: Pinia, i18n, the router, and what happens when the session ends. */
import 'element-plus/dist/index.css';
import './styles.css';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { setSignedOutHandler } from '@/api/client';
import { i18n } from '@/i18n';
import { router } from '@/router';
import { useSessionStore } from '@/stores/session';
import App from './App.vue';

const app = createApp(App);
app.use(createPinia());
app.use(i18n);
app.use(router);

// A 401 from any API call (session expired, signed out elsewhere): back to the sign-in page.
setSignedOutHandler(() => {
  useSessionStore().clear();
  const current = router.currentRoute.value;
  if (current.meta.public) return;
  void router.replace({ name: 'login', query: current.fullPath === '/' ? {} : { redirect: current.fullPath } });
});

app.mount('#app');
