/**
 * Synthetic venues (场所) of a grid: shops, restaurants, schools, clinics and workshops along the
 * committee's streets, each with its licences (a business licence whose unified social credit code
 * carries a valid GB 32100 check character; a food business licence for those selling food; a
 * practising or school licence for clinics and schools), a contact, and a risk level for the safety
 * and food inspections.
 */
import type { RiskLevel, VenueKind } from '../../../common/archive.js';
import { type Rng, WeightedPicker } from '../random.js';

/** The kinds the demo's streets have. */
type DemoVenueKind = Extract<VenueKind, 'shop' | 'restaurant' | 'school' | 'kindergarten' | 'clinic' | 'workshop'>;

export interface LicencePlan {
  /** business (营业执照), food (食品经营许可证), medical (医疗机构执业许可证), school (办学许可证). */
  kind: 'business' | 'food' | 'medical' | 'school';
  number: string;
  validUntil: string;
}

export interface VenuePlan {
  kind: VenueKind;
  name: string;
  address: string;
  lng: number;
  lat: number;
  licences: LicencePlan[];
  riskLevel: RiskLevel;
  /** The person to call (名字 + 手机号 drawn by the caller). */
  contactRole: string;
}

interface KindSpec {
  weight: number;
  names: readonly string[];
  /** Shares of low, medium, high risk. */
  risk: readonly [number, number, number];
  food: number;
}

const KINDS: Record<DemoVenueKind, KindSpec> = {
  shop: {
    weight: 46,
    names: [
      '便利店',
      '水果店',
      '五金店',
      '理发店',
      '药房',
      '烟杂店',
      '文具店',
      '花店',
      '面包房',
      '菜店',
      '眼镜店',
      '洗衣店',
    ],
    risk: [0.75, 0.22, 0.03],
    food: 0.35,
  },
  restaurant: {
    weight: 30,
    names: [
      '面馆',
      '小吃店',
      '馄饨店',
      '生煎馆',
      '火锅店',
      '快餐店',
      '茶餐厅',
      '本帮菜馆',
      '麻辣烫',
      '烧烤店',
      '奶茶店',
    ],
    risk: [0.25, 0.55, 0.2],
    food: 1,
  },
  school: {
    weight: 3,
    names: ['小学', '培训中心'],
    risk: [0.3, 0.6, 0.1],
    food: 0.5,
  },
  kindergarten: {
    weight: 3,
    names: ['幼儿园', '托育园'],
    risk: [0.3, 0.6, 0.1],
    food: 1,
  },
  clinic: {
    weight: 7,
    names: ['社区卫生服务站', '诊所', '口腔诊所', '中医门诊部'],
    risk: [0.3, 0.6, 0.1],
    food: 0,
  },
  workshop: {
    weight: 12,
    names: ['汽车修理厂', '电动车维修铺', '干洗店', '图文打印', '裁缝铺', '家电维修部', '木作工坊'],
    risk: [0.2, 0.5, 0.3],
    food: 0,
  },
};

const KIND_PICKER = new WeightedPicker(
  (Object.keys(KINDS) as DemoVenueKind[]).map((k) => [k, KINDS[k].weight] as const),
);
const SHOP_PREFIXES = [
  '好邻居',
  '阿明',
  '老王',
  '丰收',
  '鑫源',
  '和记',
  '顺发',
  '新乐',
  '福满',
  '金桂',
  '惠民',
  '永兴',
];

// GB 32100-2015: 31 characters (no I, O, S, V, Z), weights 3^i mod 31.
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** A unified social credit code (统一社会信用代码) of an individual business in the district, with its check character. */
export function creditCode(rng: Rng, region: string): string {
  // 9 (registered by market regulation) 2 (individual business), region, 9-character body.
  let stem = `92${region}`;
  for (let i = 0; i < 9; i++) stem += USCC_CHARS[rng.int(0, i === 0 ? 9 : 30)];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(stem[i] as string) * (USCC_WEIGHTS[i] as number);
  return stem + USCC_CHARS[(31 - (sum % 31)) % 31];
}

function pickRisk(rng: Rng, [low, medium]: readonly [number, number, number]): RiskLevel {
  const roll = rng.next();
  return roll < low ? 'low' : roll < low + medium ? 'medium' : 'high';
}

/** `count` venues on the grid's streets; `at` places each one, `validYear` is the year licences run to. */
export function planVenues(
  rng: Rng,
  count: number,
  roads: readonly string[],
  region: string,
  validYear: number,
  at: (rng: Rng) => [number, number],
): VenuePlan[] {
  const venues: VenuePlan[] = [];
  for (let i = 0; i < count; i++) {
    const kind = KIND_PICKER.pick(rng);
    const spec = KINDS[kind];
    const road = rng.pick(roads);
    const suffix = rng.pick(spec.names);
    const name =
      kind === 'school' || kind === 'kindergarten' || suffix === '社区卫生服务站'
        ? `${road.replace(/路$/, '')}${suffix}`
        : `${rng.pick(SHOP_PREFIXES)}${suffix}`;
    const until = (years: number) =>
      `${validYear + years}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
    const licences: LicencePlan[] = [
      { kind: 'business', number: creditCode(rng, region), validUntil: until(rng.int(3, 20)) },
    ];
    if (rng.chance(spec.food)) {
      licences.push({
        kind: 'food',
        number: `JY${rng.int(1, 3)}${region}${String(rng.int(0, 9_999_999)).padStart(7, '0')}`,
        validUntil: until(rng.int(0, 4)),
      });
    }
    if (kind === 'clinic')
      licences.push({
        kind: 'medical',
        number: `PDY${String(rng.int(0, 99_999_999)).padStart(8, '0')}${region}${rng.int(1, 9)}D${rng.int(1000, 9999)}`,
        validUntil: until(rng.int(1, 5)),
      });
    if (kind === 'school' || kind === 'kindergarten')
      licences.push({
        kind: 'school',
        number: `教民${region}${String(rng.int(1, 9999)).padStart(4, '0')}号`,
        validUntil: until(rng.int(1, 5)),
      });
    const [lng, lat] = at(rng);
    venues.push({
      kind,
      name,
      address: `${road}${rng.int(1, 999)}号`,
      lng,
      lat,
      licences,
      riskLevel: pickRisk(rng, spec.risk),
      contactRole: kind === 'school' || kind === 'kindergarten' ? '校长' : kind === 'clinic' ? '负责人' : '经营者',
    });
  }
  return venues;
}
