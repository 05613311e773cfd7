/**
 * Synthetic citizen ID numbers (GB 11643-1999): region code, birth date, a three-digit sequence
 * whose last digit is odd for men and even for women, and the ISO 7064 MOD 11-2 check digit. They
 * are valid in form, unique within a data set, and invented: the region and birth date are the
 * person's, the sequence is drawn at random; the check character is common/id-number.ts's.
 */

import type { Gender } from '../../../common/archive.js';
import { idCheckCharacter } from '../../../common/id-number.js';
import type { Rng } from '../random.js';

/** The demo district (徐汇区): registered residents (户籍) were registered here. */
export const DEMO_REGION_CODE = '310104';

/**
 * Where the floating population (流动人口) comes from: urban districts of other provinces' capitals
 * and large cities, weighted roughly by Shanghai's migrant sources (Anhui, Jiangsu, Henan, Sichuan …).
 */
export const ORIGIN_REGIONS: readonly (readonly [string, number])[] = [
  ['340104', 14], // 合肥蜀山
  ['341202', 6], // 阜阳颍州
  ['320106', 8], // 南京鼓楼
  ['320583', 5], // 昆山
  ['410105', 9], // 郑州金水
  ['411502', 4], // 信阳浉河
  ['510107', 7], // 成都武侯
  ['500103', 5], // 重庆渝中
  ['330106', 5], // 杭州西湖
  ['360102', 5], // 南昌东湖
  ['420106', 4], // 武汉武昌
  ['430104', 4], // 长沙岳麓
  ['370102', 3], // 济南历下
  ['350102', 3], // 福州鼓楼
  ['130102', 2], // 石家庄长安
  ['230103', 2], // 哈尔滨南岗
  ['610113', 2], // 西安雁塔
  ['450103', 2], // 南宁青秀
  ['520102', 2], // 贵阳南明
  ['620102', 1], // 兰州城关
];

/** Draws ID numbers that never repeat within one maker. */
export class IdNumberMaker {
  private readonly used = new Set<string>();
  constructor(private readonly rng: Rng) {}

  /** An ID number for a person of this region, birth date ('yyyy-mm-dd') and gender. */
  make(region: string, birthDate: string, gender: Gender): string {
    const stem = region + birthDate.replaceAll('-', '');
    for (;;) {
      // Sequence 001–999; the last digit's parity is the gender (odd: male).
      const tens = this.rng.int(0, 99);
      const parity = gender === 'male' ? 1 : 0;
      const last = this.rng.int(0, 4) * 2 + parity;
      const sequence = String(tens * 10 + last).padStart(3, '0');
      if (sequence === '000') continue;
      const first17 = stem + sequence;
      if (this.used.has(first17)) continue;
      this.used.add(first17);
      return first17 + idCheckCharacter(first17);
    }
  }
}
