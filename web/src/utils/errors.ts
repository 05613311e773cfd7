/**
 * Words for a failure, in the language now shown: the server's own message when it sent one
 * (both languages come with every coded error), otherwise our own.
 */
import { ApiError, HTTP_ERROR, NETWORK_ERROR } from '@/api/client';
import { currentLocale, i18n } from '@/i18n';

export function errorText(error: unknown): string {
  const { t } = i18n.global;
  if (error instanceof ApiError) {
    if (error.messages) return error.messages[currentLocale()];
    if (error.code === NETWORK_ERROR) return t('errors.network');
    if (error.code === HTTP_ERROR) return t('errors.http', { status: error.status });
    return error.message;
  }
  return t('errors.unexpected');
}
