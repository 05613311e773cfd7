/**
 * Name material for generated people and places: Chinese surnames weighted by how common they are,
 * given-name characters, fictional Shanghai-style road names, and helpers that draw from them with a
 * seeded {@link Rng}. The road names are invented (none is a real Xuhui road) so that generated
 * addresses are never mistaken for real ones.
 */
import { type Rng, WeightedPicker } from './random.js';

/**
 * Common surnames with their approximate share of the population in per cent (after the 2020
 * census figures, rounded), plus a few compound surnames. Only the relative weights matter.
 */
export const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 7.12],
  ['李', 7.0],
  ['张', 6.21],
  ['刘', 5.38],
  ['陈', 4.61],
  ['杨', 3.22],
  ['黄', 2.45],
  ['赵', 2.19],
  ['吴', 2.05],
  ['周', 1.94],
  ['徐', 1.45],
  ['孙', 1.38],
  ['马', 1.29],
  ['朱', 1.28],
  ['胡', 1.15],
  ['郭', 1.14],
  ['何', 1.13],
  ['林', 1.06],
  ['高', 1.06],
  ['罗', 0.86],
  ['郑', 0.83],
  ['梁', 0.78],
  ['谢', 0.72],
  ['宋', 0.62],
  ['唐', 0.62],
  ['许', 0.6],
  ['韩', 0.57],
  ['冯', 0.56],
  ['邓', 0.55],
  ['曹', 0.52],
  ['彭', 0.5],
  ['曾', 0.49],
  ['肖', 0.48],
  ['田', 0.47],
  ['董', 0.45],
  ['袁', 0.43],
  ['潘', 0.42],
  ['于', 0.42],
  ['蒋', 0.41],
  ['蔡', 0.4],
  ['余', 0.4],
  ['杜', 0.39],
  ['叶', 0.38],
  ['程', 0.37],
  ['苏', 0.36],
  ['魏', 0.35],
  ['吕', 0.34],
  ['丁', 0.33],
  ['任', 0.32],
  ['沈', 0.31],
  ['姚', 0.3],
  ['卢', 0.3],
  ['姜', 0.29],
  ['崔', 0.28],
  ['钟', 0.28],
  ['谭', 0.27],
  ['陆', 0.27],
  ['汪', 0.26],
  ['范', 0.26],
  ['金', 0.25],
  ['石', 0.24],
  ['廖', 0.24],
  ['贾', 0.23],
  ['夏', 0.23],
  ['韦', 0.22],
  ['付', 0.22],
  ['方', 0.21],
  ['白', 0.21],
  ['邹', 0.2],
  ['孟', 0.2],
  ['熊', 0.2],
  ['秦', 0.19],
  ['邱', 0.19],
  ['江', 0.19],
  ['尹', 0.18],
  ['薛', 0.18],
  ['闫', 0.17],
  ['段', 0.17],
  ['雷', 0.17],
  ['侯', 0.16],
  ['龙', 0.16],
  ['史', 0.16],
  ['陶', 0.15],
  ['黎', 0.15],
  ['贺', 0.15],
  ['顾', 0.15],
  ['毛', 0.14],
  ['郝', 0.14],
  ['龚', 0.14],
  ['邵', 0.14],
  ['万', 0.13],
  ['钱', 0.13],
  ['严', 0.13],
  ['武', 0.13],
  ['戴', 0.12],
  ['莫', 0.12],
  ['孔', 0.12],
  ['施', 0.1],
  ['倪', 0.1],
  ['浦', 0.04],
  ['欧阳', 0.03],
  ['诸葛', 0.01],
  ['上官', 0.01],
];

/** Given-name characters that read as masculine. */
export const MALE_GIVEN_CHARS: readonly string[] = [
  ...'伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林博文志建国东峰阳海亮政永振兴成岩晓',
];

/** Given-name characters that read as feminine. */
export const FEMALE_GIVEN_CHARS: readonly string[] = [
  ...'芳娜敏静丽艳娟霞秀燕玲桂丹萍红琳雪倩婷颖琴慧莉梅琼洁露瑶怡佳蕾雯璐菲媛悦晴月兰凤',
];

/** Characters used for anyone. */
export const NEUTRAL_GIVEN_CHARS: readonly string[] = [...'子一思雨嘉诗梓晨可安清心宜天乐远正新春秋语铭'];

/** Fictional Shanghai-style road names (路 / 支路 / 东路 …). */
export const ROAD_NAMES: readonly string[] = [
  '梧桐路',
  '梧桐支路',
  '香樟路',
  '枫影路',
  '青枫路',
  '银杏路',
  '紫藤路',
  '海棠路',
  '丹桂路',
  '月桂东路',
  '月桂西路',
  '清溪路',
  '望云路',
  '观澜路',
  '凌霄路',
  '翠微路',
  '兰亭路',
  '竹韵路',
  '听涛路',
  '云栖路',
  '碧波路',
  '汇泉路',
  '汇南支路',
  '沁园路',
  '书院南路',
  '石榴路',
  '晴川路',
  '鸣琴路',
  '藕香路',
  '杏林路',
];

export type Gender = 'male' | 'female';

const surnamePicker = new WeightedPicker(SURNAMES);
const MALE_POOL = [...MALE_GIVEN_CHARS, ...NEUTRAL_GIVEN_CHARS];
const FEMALE_POOL = [...FEMALE_GIVEN_CHARS, ...NEUTRAL_GIVEN_CHARS];

/** A surname drawn by frequency. */
export function randomSurname(rng: Rng): string {
  return surnamePicker.pick(rng);
}

/**
 * A believable Chinese personal name: a surname by frequency, then one (about a quarter of the time)
 * or two given-name characters. Without a gender, one is drawn at even odds.
 */
export function randomPersonName(rng: Rng, gender?: Gender): string {
  const pool = (gender ?? (rng.chance(0.5) ? 'male' : 'female')) === 'male' ? MALE_POOL : FEMALE_POOL;
  const surname = randomSurname(rng);
  const first = rng.pick(pool);
  if (rng.chance(0.25)) return surname + first;
  let second = rng.pick(pool);
  while (second === first) second = rng.pick(pool);
  return surname + first + second;
}

/** An 11-digit mainland mobile number with the given 3-digit prefix (default 139). */
export function randomMobile(rng: Rng, prefix = '139'): string {
  return prefix + String(rng.int(0, 99_999_999)).padStart(8, '0');
}

/**
 * A residential address: road, lane (弄), building (号) and flat (室), e.g. "梧桐路128弄5号302室".
 * Give `roads` to keep addresses on a neighbourhood's own streets.
 */
export function randomAddress(rng: Rng, roads: readonly string[] = ROAD_NAMES): string {
  const road = rng.pick(roads);
  const lane = rng.int(1, 800);
  const building = rng.int(1, 40);
  const floor = rng.int(1, 18);
  const flat = rng.int(1, 6);
  return `${road}${lane}弄${building}号${floor}${String(flat).padStart(2, '0')}室`;
}
