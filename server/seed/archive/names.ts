/**
 * Names, ethnicities and occupations for the synthetic resident archive. Given names follow the
 * fashion of the decade a person was born in — 建国 and 秀英 for those born before 1960, 伟 and 丽
 * for the sixties and seventies, 俊杰 and 婷婷 for the eighties and nineties, 子轩 and 欣怡 after
 * 2000 — so a household's grandmother, father and daughter read as three generations. Surnames
 * come from the demo's frequency table (王 李 张 刘 陈 …).
 */
import type { Gender } from '../../../common/archive.js';
import { randomSurname } from '../demo-names.js';
import { type Rng, WeightedPicker } from '../random.js';

interface Pools {
  /** Whole given names of the time (one or two characters). */
  names: readonly string[];
  /** First and second characters that combine into names of the time. */
  first: readonly string[];
  second: readonly string[];
}

interface Generation {
  /** Born before this year. */
  before: number;
  /** Share of one-character given names. */
  single: number;
  male: Pools;
  female: Pools;
}

const chars = (text: string) => [...text];
const words = (text: string) => text.split(' ');

/**
 * Given names by decade of birth, as people of that time were named: whole names, and characters
 * that pair into more of them (so a subdistrict of 30,000 does not hold thirty 王宇航).
 */
const GENERATIONS: readonly Generation[] = [
  {
    before: 1960,
    single: 0.12,
    male: {
      names: words(
        '建国 国庆 国强 建华 志刚 德明 福生 根宝 金龙 永康 宝林 振华 卫东 德华 荣生 仁杰 家骏 耀祖 长根 阿毛 兴国 鸿章 刚 勇 明 华 生 林 福 忠',
      ),
      first: chars('建国志德福根金永宝振卫荣仁家文耀长兴树培鸿伯云忠兆'),
      second: chars('国华明生林康宝龙祥荣根昌才发元良福兴庆强民成东章'),
    },
    female: {
      names: words(
        '秀英 桂英 玉兰 淑珍 凤英 秀珍 桂兰 美华 月娥 菊芬 翠英 彩娣 金娣 素珍 丽华 杏娣 雅琴 惠珍 佩芳 阿娣 小妹 招娣 珍 英 芬 兰 琴 梅',
      ),
      first: chars('秀桂玉淑凤美月菊翠彩金素丽杏雅惠文佩宝瑞阿'),
      second: chars('英兰珍华娥芬娣琴凤妹芳贞霞梅娟仙云'),
    },
  },
  {
    before: 1980,
    single: 0.16,
    male: {
      names: words(
        '建军 卫国 志强 海峰 建平 晓东 国华 红兵 文华 永明 立新 海涛 国栋 伟 军 勇 强 斌 华 平 东 明 刚 峰 涛',
      ),
      first: chars('建卫志海晓国红文永立伟春振继明宏学金军爱'),
      second: chars('军国强峰平东华兵伟明新涛栋勇生宇民忠斌辉刚龙'),
    },
    female: {
      names: words(
        '丽萍 红梅 晓燕 海燕 秀华 美玲 春梅 雪梅 丽娟 晓红 玉芳 慧敏 卫红 亚萍 蓓蕾 丽 红 敏 芳 静 燕 萍 琴 霞 英 娟 玲',
      ),
      first: chars('丽红晓海秀美春雪玉慧建卫亚爱小彩凤金月'),
      second: chars('萍梅燕华玲娟红芳敏英君琴蕾霞莉丽琳云珍'),
    },
  },
  {
    before: 2000,
    single: 0.1,
    male: {
      names: words(
        '俊杰 文博 晓峰 家豪 志伟 天宇 子豪 思远 一鸣 嘉伟 博文 浩然 冠宇 磊 涛 鹏 杰 超 浩 鑫 俊 凯 帅 健 晨 亮 斌',
      ),
      first: chars('俊文晓家志天子思宇嘉博浩明佳逸冠振一晨伟鹏建'),
      second: chars('杰博峰豪伟宇远航然辉超俊飞晨聪翔鹏杨磊华斌鑫'),
    },
    female: {
      names: words(
        '晓婷 婷婷 佳怡 思琪 雅婷 梦瑶 诗琪 文静 晓雯 倩倩 雯雯 晶晶 丹丹 婷 丹 倩 琳 雪 颖 佳 静 敏 洁 娜 璐',
      ),
      first: chars('晓婷佳思雅梦诗文倩雨欣丹雯晶秋嘉慧怡静瑶雪琳'),
      second: chars('婷怡琪瑶静雯倩慧然丹月欣敏雪琳颖洁璐蕾佳娜'),
    },
  },
  {
    before: 9999,
    single: 0.06,
    male: {
      names: words(
        '浩然 子轩 梓豪 宇轩 浩宇 俊熙 一鸣 皓轩 沐阳 子墨 奕辰 锦程 嘉懿 昊天 煜祺 轩 宇 睿 哲 浩 辰 泽 晨 航 博',
      ),
      first: chars('子梓浩宇俊皓一沐奕锦思博嘉逸明承昊煜铭睿天乐景君亦'),
      second: chars('轩豪宇熙鸣阳墨辰泽程睿涵哲航天祺行晨博然杰铭川安诚'),
    },
    female: {
      names: words(
        '子涵 欣怡 梓涵 一诺 雨桐 诗涵 梓萱 可馨 语汐 若曦 欣妍 依诺 紫萱 芷若 沐瑶 悦 涵 萱 琪 妍 彤 瑶 菲 桐 诺',
      ),
      first: chars('子欣梓一雨诗可语若依梦紫思安芷沐佳心亦书悦艺歆'),
      second: chars('涵怡萱诺桐馨汐曦妍琪彤欣若雨瑶宜菲然悦萌淇琳'),
    },
  },
];

/** The given-name fashion of a birth year. */
function generationOf(birthYear: number): Generation {
  return GENERATIONS.find((g) => birthYear < g.before) ?? (GENERATIONS[GENERATIONS.length - 1] as Generation);
}

/** A given name for someone of this gender born in this year: a name of the time, or two of its characters. */
export function givenName(rng: Rng, gender: Gender, birthYear: number): string {
  const generation = generationOf(birthYear);
  const pools = gender === 'male' ? generation.male : generation.female;
  const roll = rng.next();
  if (roll < generation.single) return rng.pick(pools.names.filter((n) => n.length === 1));
  if (roll < generation.single + 0.35) return rng.pick(pools.names.filter((n) => n.length === 2));
  const first = rng.pick(pools.first);
  let second = rng.pick(pools.second);
  while (second === first) second = rng.pick(pools.second);
  return first + second;
}

/**
 * A full name. Children usually take the father's surname (pass it as `surname`); others draw one
 * by frequency.
 */
export function personName(rng: Rng, gender: Gender, birthYear: number, surname?: string): string {
  return (surname ?? randomSurname(rng)) + givenName(rng, gender, birthYear);
}

/** The surname of a name made by {@link personName} (compound surnames are two characters). */
export function surnameOf(name: string): string {
  return ['欧阳', '诸葛', '上官'].find((s) => name.startsWith(s)) ?? name.slice(0, 1);
}

/**
 * Ethnicities (民族) with their approximate share among Shanghai's residents: the Han majority,
 * then the larger minorities. Only the relative weights matter.
 */
const ETHNICITIES = new WeightedPicker<string>([
  ['汉族', 98.6],
  ['回族', 0.35],
  ['满族', 0.2],
  ['土家族', 0.18],
  ['苗族', 0.15],
  ['蒙古族', 0.1],
  ['壮族', 0.1],
  ['朝鲜族', 0.1],
  ['布依族', 0.05],
  ['侗族', 0.05],
  ['彝族', 0.04],
  ['藏族', 0.03],
  ['维吾尔族', 0.03],
]);

export const ethnicity = (rng: Rng): string => ETHNICITIES.pick(rng);

/** Working-age occupations, weighted. */
const OCCUPATIONS = new WeightedPicker<string>([
  ['公司职员', 20],
  ['工程师', 6],
  ['软件开发', 5],
  ['教师', 4],
  ['医生', 2],
  ['护士', 2],
  ['会计', 3],
  ['销售', 6],
  ['个体经营', 6],
  ['快递员', 3],
  ['外卖骑手', 3],
  ['餐饮服务', 4],
  ['保安', 2],
  ['保洁', 2],
  ['家政服务', 2],
  ['司机', 3],
  ['公务员', 2],
  ['社区工作者', 1],
  ['设计师', 2],
  ['厨师', 2],
  ['装修工人', 2],
  ['自由职业', 3],
  ['待业', 4],
  ['全职照顾家庭', 3],
]);

/** What a person does at a given age: 学龄前儿童, 在校学生, an occupation, or 退休. */
export function occupation(rng: Rng, age: number, gender: Gender): string {
  if (age < 3) return '婴幼儿';
  if (age < 6) return '学龄前儿童';
  if (age < 18) return '在校学生';
  if (age < 23 && rng.chance(0.6)) return '在校学生';
  const retires = gender === 'male' ? 60 : 55;
  if (age >= retires) return age < retires + 5 && rng.chance(0.25) ? OCCUPATIONS.pick(rng) : '退休';
  return OCCUPATIONS.pick(rng);
}
