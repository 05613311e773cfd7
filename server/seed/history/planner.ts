/**
 * One case's life, planned before anything is written: the report and then every workflow step —
 * who takes it (a real account with the right relation to the case), when (mostly in working time,
 * measured against the case's own time limits so that a planned late step really is late), and with
 * what words. The runner then replays the plan through the real commands; a step planned after the
 * demo's "now" simply has not happened yet.
 */
import type { Channel, CloseReason, RejectReason, Satisfaction, Stage, Urgency } from '../../../common/cases.js';
import type { StaffActor } from '../../accounts/actor.js';
import type { CaseActor, SystemActor, TrackingActor } from '../../cases/case.policy.js';
import type { ReportCaseProps, Reporter } from '../../cases/commands/report-case.js';
import type { PhotoRef, TransitionProps } from '../../cases/commands/transition-case.js';
import { randomMobile, randomPersonName } from '../demo-names.js';
import type { Rng } from '../random.js';
import { type Place, REJECT_TEXTS, reportText, TEXTS } from './texts.js';
import { type CategoryInfo, covering, type DepartmentInfo, type GridInfo, type HistoryWorld } from './world.js';

export const OPEN_STATES = ['reported', 'registered', 'dispatched', 'handling', 'deferred', 'handled'] as const;
export type OpenState = (typeof OPEN_STATES)[number];

/** Stands for whoever holds the case's tracking code; the runner fills in the case. */
export const TRACKING: TrackingActor = { kind: 'tracking', id: null, caseId: '' };
const SENSOR: SystemActor = { kind: 'system', id: null, name: 'sensor-gateway' };

export interface PlannedReport {
  at: Date;
  actor: CaseActor;
  props: ReportCaseProps;
}

export interface PlannedStep {
  at: Date;
  actor: CaseActor;
  props: Omit<TransitionProps, 'caseId' | 'version' | 'mergedIntoId'>;
  /** For a merge: the index of the case this one duplicates. */
  mergeInto?: number;
}

export interface CasePlan {
  index: number;
  report: PlannedReport;
  steps: PlannedStep[];
  /** Never rejected or merged itself, so a later duplicate may be merged into it. */
  mergeable: boolean;
  grid: GridInfo | undefined;
  category: CategoryInfo;
  urgency: Urgency;
  lng: number;
  lat: number;
}

/** What the generator decided before the plan: when, how, what and where. */
export interface Draft {
  index: number;
  at: Date;
  channel: Channel;
  category: CategoryInfo;
  urgency: Urgency;
  grid: GridInfo | undefined;
  /** The grid itself, or (outside every grid) the nearest one. */
  near: GridInfo;
  lng: number;
  lat: number;
  place: Place;
  /** A duplicate of this earlier case. */
  dupOf?: CasePlan | undefined;
  /** Keep the case open in this state ("now" finds it there). */
  stallAt?: OpenState | undefined;
}

export interface PlanContext {
  world: HistoryWorld;
  /** The department a dispatcher would choose for the category here (the dispatch rule, else by kind). */
  department(category: CategoryInfo, path: string): Promise<DepartmentInfo | undefined>;
}

type Callbacker = 'resident' | 'tracking' | 'dispatcher' | 'rarely' | null;

const MOBILE_PREFIXES = ['138', '139', '136', '135', '186', '158', '137', '150', '188', '131'];

/** Plans one case. Deterministic for the draft and the generator. */
export async function planCase(ctx: PlanContext, draft: Draft, rng: Rng): Promise<CasePlan> {
  const life = new Life(ctx.world, draft, rng);
  const report = life.report();
  const mergeable = await life.live(ctx);
  return {
    index: draft.index,
    report,
    steps: life.steps,
    mergeable,
    grid: draft.grid,
    category: draft.category,
    urgency: draft.urgency,
    lng: draft.lng,
    lat: draft.lat,
  };
}

class Life {
  readonly steps: PlannedStep[] = [];
  private t: Date;
  private path = '';
  private channel: Channel;
  private callbacker: Callbacker = null;
  /** The signed-in resident or staff member who reported it. */
  private reporter: CaseActor = null;
  private closeReason: CloseReason = 'solved';
  private department: DepartmentInfo | undefined;
  private handler: StaffActor | undefined;
  private handleStart: Date;
  private readonly coDepartments = new Set<string>();
  /** A case kept open for "now" moves briskly to its state: no detours, nothing late. */
  private readonly brisk: boolean;
  private photos = 0;

  constructor(
    private readonly world: HistoryWorld,
    private readonly draft: Draft,
    private readonly rng: Rng,
  ) {
    this.t = draft.at;
    this.handleStart = draft.at;
    this.channel = draft.channel;
    this.brisk = draft.stallAt !== undefined;
  }

  // --- time ------------------------------------------------------------------------------------

  /** `f` of the stage's limit after `from`: below 1 is on time, above 1 is late. */
  private stageAt(from: Date, stage: Stage, f: number): Date {
    const limit = this.world.limit(this.draft.category.id, this.draft.urgency, stage);
    return this.world.calendar.addLimit(from, limit.amount * f, limit.unit);
  }
  private work = (from: Date, hours: number) => this.world.calendar.addLimit(from, hours, 'working_hours');
  private minutes = (from: Date, m: number) => new Date(from.getTime() + Math.round(m * 60_000));
  /** An on-time share of a limit, mostly early; `lateShare` of the time a late one. */
  private share(lateShare: number): number {
    if (this.brisk) return this.rng.float(0.01, 0.06);
    return this.rng.chance(lateShare) ? this.rng.float(1.05, 2.6) : 0.05 + 0.85 * this.rng.next() ** 1.4;
  }
  /** Residents act between 08:00 and 22:00. */
  private waking(at: Date): Date {
    const hour = new Date(at.getTime() + 8 * 3_600_000).getUTCHours();
    if (hour >= 8 && hour < 22) return at;
    const shift = hour < 8 ? 8 - hour : 32 - hour;
    return new Date(at.getTime() + shift * 3_600_000 + this.rng.int(0, 90) * 60_000);
  }

  private push(at: Date, actor: CaseActor, props: PlannedStep['props'], mergeInto?: number): Date {
    // Strictly after the previous step; a staff member's next step waits for working time.
    const when =
      at > this.t
        ? at
        : actor?.kind === 'staff'
          ? this.work(this.t, this.rng.float(0.05, 0.4))
          : this.minutes(this.t, this.rng.int(2, 30));
    this.t = when;
    this.steps.push(mergeInto === undefined ? { at: when, actor, props } : { at: when, actor, props, mergeInto });
    return when;
  }

  private photo(role: PhotoRef['role']): PhotoRef {
    this.photos += 1;
    return { key: `demo/${this.draft.index}-${this.photos}.jpg`, role };
  }

  // --- who ---------------------------------------------------------------------------------------

  private dispatcher = () => this.pick(covering(this.world, 'dispatcher', this.path));
  private supervisor = () => this.pick(covering(this.world, 'supervisor', this.path));
  private pick<T>(items: readonly T[]): T | undefined {
    return items.length ? this.rng.pick(items) : undefined;
  }

  /** The report: its actor and reporter by channel (falling back to the hotline when nobody fits). */
  report(): PlannedReport {
    const d = this.draft;
    const rng = this.rng;
    // Outside every grid, the staff of the nearest grid found it.
    const staffFor = (role: 'grid_worker' | 'committee_staff' | 'dispatcher') =>
      this.pick(covering(this.world, role, (d.grid ?? d.near).path));
    let channel = this.channel;
    let actor: CaseActor = null;
    let reporter: Reporter | undefined;
    const someone = () => ({
      name: rng.chance(0.7) ? randomPersonName(rng) : undefined,
      phone: randomMobile(rng, rng.pick(MOBILE_PREFIXES)),
    });
    if (channel === 'patrol' || channel === 'survey' || channel === 'board') {
      const role =
        channel === 'patrol' || (channel === 'survey' && rng.chance(0.3)) ? 'grid_worker' : 'committee_staff';
      const staff = staffFor(role);
      if (staff) {
        actor = staff;
        reporter = { kind: 'staff', accountId: staff.id };
        this.callbacker = channel === 'patrol' ? null : 'rarely';
      } else channel = 'hotline';
    }
    if (channel === 'sensor') {
      actor = SENSOR;
      this.callbacker = null;
    }
    if (channel === 'resident') {
      const resident = this.world.residents.length && rng.chance(0.4) ? rng.pick(this.world.residents) : undefined;
      if (resident) {
        actor = resident;
        reporter = { kind: 'resident', residentId: resident.id, name: resident.displayName, phone: resident.phone };
        this.callbacker = 'resident';
      } else {
        reporter = { kind: 'anonymous', ...someone() };
        this.callbacker = 'tracking';
      }
    }
    if (channel === 'hotline') {
      const dispatcher = staffFor('dispatcher');
      if (dispatcher) {
        actor = dispatcher;
        reporter = { kind: 'caller', ...someone() };
        this.callbacker = 'dispatcher';
      } else {
        channel = 'resident';
        reporter = { kind: 'anonymous', ...someone() };
        this.callbacker = 'tracking';
      }
    }
    const text = reportText(rng, d.category.topic, d.category.nameZh, channel, d.place);
    if (channel === 'sensor') reporter = { kind: 'machine', name: text.sensorName ?? '传感器' };
    // Where the command will place it: the grid, else (outside every grid) the reporting staff member's unit.
    const grant = actor?.kind === 'staff' ? actor.grants[0] : undefined;
    this.path = d.grid?.path ?? grant?.unitPath ?? this.world.subdistrict.path;
    this.channel = channel;
    this.reporter = actor;
    return {
      at: d.at,
      actor,
      props: {
        channel,
        categoryCode: d.category.code,
        urgency: d.urgency,
        title: text.title,
        description: text.description,
        address: d.place.address,
        lng: d.lng,
        lat: d.lat,
        reporter: reporter ?? { kind: 'anonymous' },
        externalId: channel === 'sensor' ? `ALARM-${d.index}-${rng.int(100_000, 999_999)}` : undefined,
      },
    };
  }

  // --- the loop ----------------------------------------------------------------------------------

  /** Plans the steps after the report; true when the case is never rejected or merged. */
  async live(ctx: PlanContext): Promise<boolean> {
    const d = this.draft;
    const rng = this.rng;
    if (d.stallAt === 'reported') return true;
    const dispatcher = this.dispatcher();
    if (!dispatcher) return true; // nobody could register it: it waits
    const registerAt = () => this.stageAt(d.at, 'register', this.share(0.07));

    if (d.dupOf && !d.stallAt) {
      if (rng.chance(0.2)) this.push(registerAt(), dispatcher, { action: 'register' });
      this.push(registerAt(), this.dispatcher() ?? dispatcher, { action: 'merge' }, d.dupOf.index);
      return false;
    }
    const outside = !d.grid;
    if (outside && this.channel === 'hotline' && !d.stallAt) {
      if (rng.chance(0.6)) return this.reject(registerAt(), 'out_of_remit');
      this.push(registerAt(), dispatcher, { action: 'register' });
      this.close(this.work(this.t, rng.float(0.5, 4)), 'not_responsible');
      await this.callback(0);
      return true;
    }
    const category = d.category;
    const reporter = this.reporter;
    if (this.channel === 'patrol' && category.selfHandle && !d.stallAt && rng.chance(0.5)) {
      if (reporter?.kind === 'staff') {
        // On the spot, by the grid worker who found it.
        this.push(this.minutes(d.at, rng.int(5, 45)), reporter, {
          action: 'self_handle',
          reason: rng.pick(TEXTS.selfHandle),
          photos: [this.photo('before'), this.photo('after')],
        });
        return true;
      }
    }
    const rejectChance =
      { resident: 0.08, hotline: 0.06, patrol: 0.015, survey: 0.04, board: 0.05, sensor: 0.25, open311: 0.05 }[
        this.channel
      ] ?? 0.05;
    if (!d.stallAt && rng.chance(rejectChance)) {
      return this.reject(registerAt(), this.channel === 'sensor' || rng.chance(0.6) ? 'not_a_case' : 'out_of_remit');
    }
    const selfRegisterer =
      (this.channel === 'patrol' || this.channel === 'survey') && category.selfRegister && rng.chance(0.6)
        ? this.pick(covering(this.world, 'grid_worker', this.path))
        : undefined;
    if (selfRegisterer) this.push(this.minutes(d.at, rng.int(2, 25)), selfRegisterer, { action: 'self_register' });
    else this.push(registerAt(), dispatcher, { action: 'register' });
    if (d.stallAt === 'registered') return true;
    if (!d.stallAt && rng.chance(0.012)) {
      this.close(this.work(this.t, rng.float(0.2, 3)), rng.chance(0.5) ? 'cancelled' : 'not_responsible');
      await this.callback(0);
      return true;
    }
    await this.dispatchAndHandle(ctx, 0);
    return true;
  }

  private reject(at: Date, reason: RejectReason): false {
    const dispatcher = this.dispatcher();
    if (dispatcher)
      this.push(at, dispatcher, {
        action: 'reject',
        rejectReason: reason,
        reason: this.rng.pick(REJECT_TEXTS[reason]),
      });
    return false;
  }

  private close(at: Date, reason: Exclude<CloseReason, 'solved' | 'duplicate'>): void {
    const dispatcher = this.dispatcher();
    if (!dispatcher) return;
    const texts = {
      unsolvable: TEXTS.closeUnsolvable,
      not_responsible: TEXTS.closeNotResponsible,
      cancelled: TEXTS.closeCancelled,
    }[reason];
    this.push(at, dispatcher, { action: 'close', closeReason: reason, reason: this.rng.pick(texts) });
    this.closeReason = reason;
  }

  /** From `registered`: dispatch (perhaps wrongly, escalated, reassigned) → handle → verify → close → callback. */
  private async dispatchAndHandle(ctx: PlanContext, reopens: number): Promise<void> {
    const d = this.draft;
    const rng = this.rng;
    const world = this.world;
    const dispatcher = () => this.dispatcher() as StaffActor;
    let registeredAt = this.t;
    const correct = (await ctx.department(d.category, this.path)) ?? this.pick(world.departments);
    if (!correct) return;
    let target = correct;
    const detours = reopens === 0 && !this.brisk;
    if (detours && rng.chance(0.015)) {
      this.push(this.stageAt(registeredAt, 'dispatch', this.share(0.05)), dispatcher(), {
        action: 'escalate',
        reason: rng.pick(TEXTS.escalateReasons),
      });
      registeredAt = this.t;
      target = this.pick(world.departments.filter((x) => x.level === 'district' && x.kind === correct.kind)) ?? correct;
    }
    const others = world.departments.filter((x) => x.id !== target.id);
    if (detours && others.length && rng.chance(0.07)) {
      // A wrong dispatch: the department sends it back, the dispatcher sends it on.
      const wrong = this.pick(others.filter((x) => x.kind !== target.kind)) ?? (this.pick(others) as DepartmentInfo);
      this.push(this.stageAt(registeredAt, 'dispatch', this.share(0.05)), dispatcher(), {
        action: 'dispatch',
        departmentId: wrong.id,
      });
      this.push(this.work(this.t, rng.float(0.2, 6)), rng.pick(wrong.handlers), {
        action: 'return',
        reason: rng.pick(TEXTS.returnReasons),
      });
      registeredAt = this.t;
    }
    const dispatchedAt = this.push(this.stageAt(registeredAt, 'dispatch', this.share(0.06)), dispatcher(), {
      action: 'dispatch',
      departmentId: target.id,
    });
    this.department = target;
    this.handleStart = dispatchedAt;
    if (d.stallAt === 'dispatched') return;
    this.acknowledge();
    if (detours && others.length && rng.chance(0.02)) {
      const next = this.pick(others.filter((x) => x.kind === target.kind)) ?? (this.pick(others) as DepartmentInfo);
      this.handleStart = this.push(this.work(this.t, rng.float(0.5, 8)), dispatcher(), {
        action: 'reassign',
        departmentId: next.id,
        reason: rng.pick(TEXTS.reassignReasons),
      });
      this.department = next;
      this.acknowledge();
    }
    await this.handle(ctx, reopens);
  }

  private acknowledge(): void {
    const department = this.department as DepartmentInfo;
    this.handler = this.rng.pick(department.handlers);
    const f = this.brisk ? this.rng.float(0.005, 0.03) : this.rng.float(0.01, 0.12);
    this.push(this.stageAt(this.handleStart, 'handle', f), this.handler, {
      action: 'acknowledge',
    });
  }

  private async handle(ctx: PlanContext, reopens: number): Promise<void> {
    const d = this.draft;
    const rng = this.rng;
    const handler = this.handler as StaffActor;
    const department = this.department as DepartmentInfo;
    const supervisor = this.supervisor();
    const f = this.share(0.12);
    let done = this.stageAt(this.handleStart, 'handle', f);
    const detours = !this.brisk;
    if (detours && rng.chance(0.04)) {
      const co = this.pick(
        this.world.departments.filter((x) => x.id !== department.id && !this.coDepartments.has(x.id)),
      );
      if (co) {
        this.coDepartments.add(co.id);
        this.push(this.work(this.t, rng.float(0.2, 3)), this.dispatcher() as StaffActor, {
          action: 'add_co_handler',
          departmentId: co.id,
        });
        this.push(this.work(this.t, rng.float(1, 10)), rng.pick(co.handlers), {
          action: 'note',
          reason: rng.pick(TEXTS.coNotes),
        });
      }
    }
    if (detours && rng.chance(0.15)) {
      this.push(this.work(this.t, rng.float(0.5, 6)), handler, { action: 'note', reason: rng.pick(TEXTS.notes) });
    }
    if (detours && supervisor && rng.chance(0.03)) {
      this.push(this.stageAt(this.handleStart, 'handle', rng.float(0.4, 0.9)), supervisor, {
        action: 'supervise',
        reason: rng.pick(TEXTS.supervise),
      });
    }
    if (detours && supervisor && (f > 1 ? rng.chance(0.45) : rng.chance(0.03))) {
      const amount = { amount: rng.int(1, 5), unit: 'working_days' as const };
      const due = this.stageAt(this.handleStart, 'handle', 1);
      this.push(this.stageAt(this.handleStart, 'handle', rng.float(0.6, 0.95)), handler, {
        action: 'request_extension',
        reason: rng.pick(TEXTS.extensionReasons),
        amount,
      });
      if (rng.chance(0.8)) {
        this.push(this.work(this.t, rng.float(0.3, 4)), supervisor, { action: 'approve_extension' });
        done = this.world.calendar.addLimit(due, amount.amount * rng.float(0.2, 0.9), amount.unit);
      } else {
        this.push(this.work(this.t, rng.float(0.3, 4)), supervisor, {
          action: 'deny_extension',
          reason: rng.pick(TEXTS.denyReasons),
        });
      }
    }
    if (supervisor && (d.stallAt === 'deferred' || (!d.stallAt && rng.chance(0.025)))) {
      this.push(
        this.stageAt(this.handleStart, 'handle', this.brisk ? rng.float(0.01, 0.05) : rng.float(0.15, 0.5)),
        handler,
        {
          action: 'request_deferral',
          reason: rng.pick(TEXTS.deferralReasons),
        },
      );
      if (d.stallAt === 'deferred' || rng.chance(0.85)) {
        this.push(this.work(this.t, this.brisk ? rng.float(0.2, 1) : rng.float(0.3, 6)), supervisor, {
          action: 'approve_deferral',
        });
        if (d.stallAt === 'deferred') return;
        const resumeAt = this.work(this.t, (this.world.calendar.minutesPerDay / 60) * rng.float(3, 30));
        this.push(resumeAt, rng.chance(0.7) ? handler : supervisor, { action: 'resume' });
        done = this.work(this.t, rng.float(2, 15));
      } else {
        this.push(this.work(this.t, rng.float(0.3, 6)), supervisor, {
          action: 'deny_deferral',
          reason: rng.pick(TEXTS.denyReasons),
        });
      }
    }
    if (d.stallAt === 'handling') return;
    if (detours && reopens === 0 && rng.chance(0.015)) {
      this.close(this.work(this.t, rng.float(2, 20)), 'unsolvable');
      await this.callback(reopens, ctx);
      return;
    }
    for (let round = 0; ; round++) {
      this.push(done, handler, {
        action: 'submit_handling',
        reason: rng.pick(d.category.topic.handling),
        photos: [this.photo('before'), this.photo('after')],
      });
      if (d.stallAt === 'handled') return;
      const verifier = this.pick(covering(this.world, 'grid_worker', this.path).filter((a) => a.id !== handler.id));
      if (!verifier) return; // nobody may verify it here: it waits
      const verifyAt = this.stageAt(this.t, 'verify', this.share(0.06));
      if (round < 2 && rng.chance(0.1)) {
        const failedAt = this.push(verifyAt, verifier, {
          action: 'verify_fail',
          reason: rng.pick(TEXTS.verifyFail),
          photos: [this.photo('evidence')],
        });
        done = this.stageAt(failedAt, 'handle', rng.float(0.1, 0.7));
        continue;
      }
      const reason = rng.pick(TEXTS.verifyPass);
      this.push(verifyAt, verifier, {
        action: 'verify_pass',
        ...(reason ? { reason } : {}),
        photos: [this.photo('evidence')],
      });
      this.closeReason = 'solved';
      break;
    }
    await this.callback(reopens, ctx);
  }

  /** 回访: by the reporter (signed in, or by tracking code) or a dispatcher's phone call; maybe a dispute. */
  private async callback(reopens: number, ctx?: PlanContext): Promise<void> {
    const rng = this.rng;
    const who = this.callbacker;
    const chance = { resident: 0.6, tracking: 0.35, dispatcher: 0.75, rarely: 0.15 }[who ?? 'rarely'];
    if (!who || !rng.chance(chance)) return;
    const closedAt = this.t;
    const byStaff = who === 'dispatcher' || who === 'rarely';
    const actor: CaseActor = byStaff ? (this.dispatcher() ?? null) : who === 'resident' ? this.reporter : TRACKING;
    if (!actor) return;
    const at = byStaff
      ? this.work(closedAt, rng.float(0.5, 16))
      : this.waking(this.minutes(closedAt, rng.float(120, 4_000)));
    const unsolved = this.closeReason !== 'solved';
    const roll = rng.next();
    const satisfaction: Satisfaction = unsolved
      ? roll < 0.55
        ? 'dissatisfied'
        : roll < 0.85
          ? 'basically_satisfied'
          : 'satisfied'
      : roll < (reopens ? 0.85 : 0.76)
        ? 'satisfied'
        : roll < (reopens ? 0.97 : 0.92)
          ? 'basically_satisfied'
          : 'dissatisfied';
    const solvedChance = { satisfied: 0.97, basically_satisfied: 0.85, dissatisfied: 0.3 }[satisfaction];
    const solved = !unsolved && rng.chance(solvedChance);
    const ratedAt = this.push(at, actor, { action: 'callback', satisfaction, solved });
    if (reopens > 0 || !ctx || satisfaction !== 'dissatisfied' || solved || !rng.chance(0.35)) return;
    const reopenAt = byStaff
      ? this.work(ratedAt, rng.float(0.2, 3))
      : this.waking(this.minutes(ratedAt, rng.float(30, 1_500)));
    const window = (this.world.settings.disputeDays - 0.5) * 86_400_000;
    if (reopenAt.getTime() - closedAt.getTime() > window) return; // outside the dispute window
    this.push(reopenAt, actor, { action: 'reopen', reason: rng.pick(TEXTS.reopen) });
    this.closeReason = 'solved';
    await this.dispatchAndHandle(ctx, reopens + 1);
  }
}
