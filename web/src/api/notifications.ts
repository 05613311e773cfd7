/** My notifications (站内消息): newest first with the unread count, and marking them read. */
import type { Bilingual } from '@common/public-api';
import { api } from './client';

export interface NotificationView {
  id: string;
  /** A workflow action (register, dispatch …) or a notice kind (warning, overdue, summons_*). */
  kind: string;
  label: Bilingual;
  caseId: string | null;
  caseNumber: string | null;
  summonsId: string | null;
  title: string | null;
  reason: string | null;
  at: string;
  read: boolean;
}

export interface NotificationList {
  items: NotificationView[];
  unread: number;
}

export const listNotifications = (
  query: { limit?: number; unread?: boolean; before?: string } = {},
  signal?: AbortSignal,
) =>
  api.get<NotificationList>('/api/notifications', {
    query: { limit: query.limit, unread: query.unread ? 'true' : undefined, before: query.before },
    signal,
  });

export const markRead = (ids: string[]) => api.post<{ updated: number }>('/api/notifications/read', { ids });

export const markAllRead = () => api.post<{ updated: number }>('/api/notifications/read', { all: true });
