/**
 * Words and colours of the closed loop in the language now shown: states and close reasons from
 * common/cases.ts, steps from the workflow table, the rest from the cases messages.
 */
import { CASE_STATE_LABELS, type CaseState, CLOSE_REASON_LABELS, type CloseReason } from '@common/cases';
import type { Bilingual } from '@common/public-api';
import { type CaseAction, transitionOf } from '@common/workflow';
import type { Light } from '@/api/cases';
import { i18n, pickLabel } from '@/i18n';

type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info';

export const stateLabel = (state: CaseState): string => pickLabel(CASE_STATE_LABELS[state]);
export const closeReasonLabel = (reason: CloseReason): string => pickLabel(CLOSE_REASON_LABELS[reason]);

/** A workflow step's name from the table (立案, 派遣, 签收 …). */
export function actionLabel(action: CaseAction): string {
  try {
    return pickLabel(transitionOf(action).label);
  } catch {
    return action;
  }
}

/** A bilingual name sent by the server (category, remaining time) in the language now shown. */
export const named = (value: Bilingual | null | undefined): string => (value ? pickLabel(value) : '');

/** A message of a closed vocabulary (`cases.channels.hotline` …), or the raw value when it is unknown. */
export function vocab(group: string, value: string | null | undefined): string {
  if (!value) return '';
  const key = `cases.${group}.${value}`;
  return i18n.global.te(key) ? i18n.global.t(key) : value;
}

export const STATE_TAG: Record<CaseState, TagType> = {
  reported: 'warning',
  registered: 'primary',
  dispatched: 'primary',
  handling: 'primary',
  deferred: 'info',
  handled: 'warning',
  closed: 'success',
  rejected: 'info',
  merged: 'info',
};

export const LIGHT_TAG: Record<Light, TagType> = {
  none: 'info',
  green: 'success',
  yellow: 'warning',
  red: 'danger',
  paused: 'info',
};

export const URGENCY_TAG: Record<string, TagType> = {
  normal: 'info',
  urgent: 'warning',
  emergency: 'danger',
};
