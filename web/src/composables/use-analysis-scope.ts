/**
 * The unit and period the analysis pages (dashboard, heat map) look at, kept in the address so a
 * link or a reload shows the same: `?unitId=…&period=month&date=2026-11-15`. The unit defaults to
 * the server's (my first territorial grant); going down into a unit remembers the way back up.
 */
import { computed, ref, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { type Slice, TREND_KINDS, type TrendKind } from '@/api/dashboard';
import { useSessionStore } from '@/stores/session';

const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);

/** Today in Beijing, yyyy-mm-dd. */
export function beijingToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export function useAnalysisScope() {
  const route = useRoute();
  const router = useRouter();
  const session = useSessionStore();

  const unitId = ref(text(route.query.unitId));
  const period = ref<TrendKind>(
    TREND_KINDS.includes(route.query.period as TrendKind) ? (route.query.period as TrendKind) : 'month',
  );
  const date = ref(text(route.query.date) ?? beijingToday());
  /** Units I came down from. */
  const trail = ref<string[]>([]);

  const slice = computed<Slice>(() => ({ unitId: unitId.value, period: period.value, date: date.value }));

  watch(slice, (s) => {
    void router.replace({ query: { ...route.query, unitId: s.unitId, period: s.period, date: s.date } });
  });

  /** The units of my territorial grants (a handler's grant covers only a department). */
  const myUnits = computed(() => {
    const seen = new Map<string, { id: string; name: string }>();
    for (const g of session.grants)
      if (g.role !== 'handler' && !seen.has(g.unit.id)) seen.set(g.unit.id, { id: g.unit.id, name: g.unit.name });
    return [...seen.values()];
  });

  function pick(id: string): void {
    trail.value = [];
    unitId.value = id;
  }

  /** Go down into a unit below the one shown (`from` is the one shown, to come back to). */
  function drill(from: string, id: string): void {
    trail.value = [...trail.value, from];
    unitId.value = id;
  }

  function back(): void {
    const previous = trail.value.at(-1);
    trail.value = trail.value.slice(0, -1);
    if (previous) unitId.value = previous;
  }

  return { unitId, period, date, trail, slice, myUnits, pick, drill, back };
}

/** The picker that chooses a day inside a kind of period. */
export const PICKER_TYPE: Record<TrendKind, 'date' | 'week' | 'month' | 'year'> = {
  day: 'date',
  week: 'week',
  month: 'month',
  quarter: 'month',
  year: 'year',
};

/** A period's short name on a chart's axis. */
export function periodLabel(kind: TrendKind, from: string): string {
  const [y, m, d] = from.split('-');
  switch (kind) {
    case 'day':
    case 'week':
      return `${m}-${d}`;
    case 'month':
      return `${y}-${m}`;
    case 'quarter':
      return `${y}Q${Math.floor((Number(m) - 1) / 3) + 1}`;
    case 'year':
      return String(y);
  }
}
