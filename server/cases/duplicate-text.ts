/**
 * How alike two problem descriptions are, for the duplicate suggestion (重复案件提示).
 *
 * Text is segmented by jieba (dictionary only, search mode: 垃圾桶 also yields 垃圾), stop words and
 * punctuation dropped. Each text becomes a set of features: its words, and at a lower weight the
 * Chinese characters of those words, so that 灯不亮 and 灯坏 still share 灯 although jieba keeps them
 * whole. Similarity is the cosine of the two weighted sets (presence, not counts: a title repeating
 * the start of the description must not weigh twice).
 */
import type { Jieba } from '@node-rs/jieba';

/** Weight of a word feature. */
export const WORD_FEATURE_WEIGHT = 1;
/** Weight of a single-character feature: a shared character says less than a shared word. */
export const CHAR_FEATURE_WEIGHT = 0.5;
/** Only the start of a long description is read: the problem is named there, and segmenting costs. */
export const MAX_TEXT_CHARS = 600;

/**
 * Words that every report contains (function words, politeness, "please handle") and so tell
 * nothing about which problem it is.
 */
const STOP_WORDS = new Set(
  (
    '的 了 是 在 有 和 与 及 或 也 都 就 很 太 还 又 再 把 被 给 让 对 从 到 向 往 于 这 那 这个 那个 这里 那里 这边 那边 ' +
    '这些 那些 一个 一些 一下 一直 一点 个 些 位 我 你 您 他 她 它 我们 你们 他们 她们 大家 自己 本人 啊 吗 呢 吧 哦 呀 ' +
    '嘛 啦 哈 着 过 得 地 之 而 但 但是 可是 因为 所以 如果 已经 非常 比较 特别 什么 怎么 怎么办 为什么 没有 不 没 ' +
    '无 请 麻烦 希望 尽快 及时 赶紧 处理 解决 谢谢 感谢 反映 投诉 举报 问题 情况 现在 目前 今天 昨天 最近 经常 ' +
    '总是 好像 可能 能 会 要 需要 应该 可以 里 上 下 中 内 外 旁 旁边 附近 有人 人员 相关 部门 等 等等 多次 好几 几天 ' +
    '多天 一周 这样 那样 如此 然后 而且 并且 还是 以及 其中 其他 一 存在 影响 无法 出来 起来 导致 造成 发现 看到'
  ).split(' '),
);

/** Something worth comparing: has a letter or a digit (drops punctuation, spaces, emoji). */
const MEANINGFUL = /[\p{L}\p{N}]/u;
const HAN = /\p{Script=Han}/u;

let loading: Promise<Jieba> | undefined;
let loadMs: number | undefined;

/**
 * The process's jieba with the dictionary shipped in @node-rs/jieba, loaded on first use (about
 * 0.3 s: the 5 MB dictionary is read and built once).
 */
export function segmenter(): Promise<Jieba> {
  loading ??= (async () => {
    const started = performance.now();
    const [{ Jieba }, { dict }] = await Promise.all([import('@node-rs/jieba'), import('@node-rs/jieba/dict.js')]);
    const jieba = Jieba.withDict(dict);
    loadMs = performance.now() - started;
    return jieba;
  })();
  // A failed load must not stick: the next search tries again.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/** How long loading the dictionary took (ms), once it has been loaded. */
export const segmenterLoadMs = (): number | undefined => loadMs;

/** A text's comparable features with their weights. */
export type TextFeatures = Map<string, number>;

/** The words of a text worth comparing: segmented, lower-cased, stop words and punctuation dropped. */
export function words(jieba: Jieba, text: string): string[] {
  const clipped = text.slice(0, MAX_TEXT_CHARS).toLowerCase();
  if (!clipped.trim()) return [];
  return jieba.cutForSearch(clipped, false).filter((w) => MEANINGFUL.test(w) && !STOP_WORDS.has(w.trim()));
}

/** Words and their Chinese characters as weighted features (see the file's comment). */
export function textFeatures(jieba: Jieba, text: string): TextFeatures {
  const features: TextFeatures = new Map();
  for (const word of words(jieba, text)) {
    features.set(`w:${word.trim()}`, WORD_FEATURE_WEIGHT);
    for (const ch of word) if (HAN.test(ch)) features.set(`c:${ch}`, CHAR_FEATURE_WEIGHT);
  }
  return features;
}

/** Cosine of two weighted feature sets, 0 (nothing shared, or either empty) to 1 (the same). */
export function cosine(a: TextFeatures, b: TextFeatures): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  let normA = 0;
  let normB = 0;
  for (const [feature, w] of a) {
    normA += w * w;
    const other = b.get(feature);
    if (other !== undefined) shared += w * other;
  }
  for (const w of b.values()) normB += w * w;
  return shared / Math.sqrt(normA * normB);
}

/** How alike two texts are, 0 to 1. */
export async function textSimilarity(a: string, b: string): Promise<number> {
  const jieba = await segmenter();
  return cosine(textFeatures(jieba, a), textFeatures(jieba, b));
}
