/**
 * Category suggestion (类别建议): which minor category a description most likely belongs to, for the
 * dispatcher at intake (a resident or a hotline caller often picks the wrong one) and for the report
 * forms while someone types.
 *
 * A multinomial naive Bayes over jieba words (duplicate-text.ts `words`), learnt from the district's
 * recent registered cases — the category a case kept after intake is the label, so every correction a
 * dispatcher makes teaches the next suggestion — plus each category's own name and keywords as a
 * small prior document, so a category nobody has reported yet can still be suggested:
 *
 *   score(c) = log P(c) + Σ_w log P(w | c),  P(w | c) = (n(w, c) + α) / (N(c) + α·|V|)
 *
 * with P(c) smoothed towards uniform (a busy category must not drown a rare one whose words match),
 * words outside the vocabulary ignored, and the scores turned into probabilities (softmax). A text with
 * no known word gets no suggestion rather than the commonest category.
 *
 * The model is built per district on first use (a few thousand short texts: tens of milliseconds) and
 * rebuilt in the background when older than MODEL_TTL_MS; the stale one answers meanwhile.
 */
import type { Jieba } from '@node-rs/jieba';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { selectReportable } from './catalogue/catalogue.repository.js';
import { segmenter, words } from './duplicate-text.js';

/** Laplace smoothing of word counts. */
export const ALPHA = 0.5;
/** A category's name and keywords count as this many occurrences of each of their words. */
export const KEYWORD_WEIGHT = 3;
/**
 * A category's name or one of its keywords written out whole in the text multiplies its odds by this
 * (the catalogue's words are curated for this: 占道经营 in a text says more than its parts do).
 */
export const PHRASE_ODDS = 8;
/** The prior mixes the category's share of cases with a uniform share, half and half. */
export const PRIOR_UNIFORM_SHARE = 0.5;
/** How many of the district's latest registered cases the model learns from. */
export const TRAINING_CASES = 20_000;
/** How long a model answers before it is rebuilt. */
export const MODEL_TTL_MS = 10 * 60_000;
/** Suggestions below this probability are not worth showing. */
export const MIN_CONFIDENCE = 0.1;

export interface CategorySuggestion {
  code: string;
  nameZh: string;
  nameEn: string;
  /** 0–1: the model's probability for this category given the text. */
  confidence: number;
}

interface CategoryStats {
  code: string;
  nameZh: string;
  nameEn: string;
  docs: number;
  words: Map<string, number>;
  total: number;
  /** The name and keywords, lower-cased, of two characters or more. */
  phrases: string[];
}

export interface CategoryModel {
  builtAt: number;
  categories: CategoryStats[];
  vocabulary: Set<string>;
  documents: number;
}

/** Learns a model from labelled texts and the categories' own words (pure: used by the tests too). */
export function trainModel(
  jieba: Jieba,
  categories: { code: string; nameZh: string; nameEn: string; keywords: string[] }[],
  examples: { code: string; text: string }[],
  now = Date.now(),
): CategoryModel {
  const byCode = new Map<string, CategoryStats>();
  const vocabulary = new Set<string>();
  const add = (stats: CategoryStats, word: string, times: number) => {
    stats.words.set(word, (stats.words.get(word) ?? 0) + times);
    stats.total += times;
    vocabulary.add(word);
  };
  for (const c of categories) {
    const phrases = [...new Set([c.nameZh, ...c.keywords].map((p) => p.trim().toLowerCase()))].filter(
      (p) => p.length >= 2,
    );
    const stats: CategoryStats = {
      code: c.code,
      nameZh: c.nameZh,
      nameEn: c.nameEn,
      docs: 0,
      words: new Map(),
      total: 0,
      phrases,
    };
    byCode.set(c.code, stats);
    for (const word of new Set(words(jieba, [c.nameZh, ...c.keywords].join(' ')))) add(stats, word, KEYWORD_WEIGHT);
  }
  let documents = 0;
  for (const example of examples) {
    const stats = byCode.get(example.code);
    if (!stats) continue; // a category since disabled: its cases teach nothing to suggest
    stats.docs += 1;
    documents += 1;
    for (const word of words(jieba, example.text)) add(stats, word, 1);
  }
  return { builtAt: now, categories: [...byCode.values()], vocabulary, documents };
}

/** The most likely categories for a text, best first; empty when the text has no word the model knows. */
export function suggestFrom(model: CategoryModel, jieba: Jieba, text: string, limit = 3): CategorySuggestion[] {
  const known = words(jieba, text).filter((w) => model.vocabulary.has(w));
  if (known.length === 0 || model.categories.length === 0) return [];
  const lower = text.toLowerCase();
  const v = model.vocabulary.size;
  const k = model.categories.length;
  const scores = model.categories.map((c) => {
    const share = model.documents > 0 ? c.docs / model.documents : 1 / k;
    let score = Math.log((1 - PRIOR_UNIFORM_SHARE) * share + PRIOR_UNIFORM_SHARE / k);
    const denominator = c.total + ALPHA * v;
    for (const w of known) score += Math.log(((c.words.get(w) ?? 0) + ALPHA) / denominator);
    for (const phrase of c.phrases) if (lower.includes(phrase)) score += Math.log(PHRASE_ODDS);
    return score;
  });
  const top = Math.max(...scores);
  const weights = scores.map((s) => Math.exp(s - top));
  const sum = weights.reduce((a, b) => a + b, 0);
  return model.categories
    .map((c, i) => ({
      code: c.code,
      nameZh: c.nameZh,
      nameEn: c.nameEn,
      confidence: Math.round(((weights[i] ?? 0) / sum) * 1000) / 1000,
    }))
    .filter((s) => s.confidence >= MIN_CONFIDENCE)
    .sort((a, b) => b.confidence - a.confidence || a.code.localeCompare(b.code))
    .slice(0, limit);
}

const models = new Map<string, { model?: CategoryModel; building?: Promise<CategoryModel> }>();

async function buildModel(db: Db, district: string | null): Promise<CategoryModel> {
  const [jieba, categories, examples] = await Promise.all([
    segmenter(),
    selectReportable(db).select(['code', 'nameZh', 'nameEn', 'keywords']).execute(),
    // Registered means a person confirmed the category; rejected and merged cases teach nothing.
    sql<{ code: string; text: string }>`
      select category.code, cases.title || ' ' || left(cases.description, 300) as text
      from cases join category on category.id = cases.category_id
      where (${district}::text is null or cases.district = ${district})
        and cases.state not in ('reported', 'rejected', 'merged', 'cancelled')
      order by cases.created_at desc
      limit ${TRAINING_CASES}`
      .execute(db)
      .then((r) => r.rows),
  ]);
  return trainModel(jieba, categories, examples);
}

/** The district's model (null: every district's cases) — built on first use, rebuilt in the background once stale. */
export async function categoryModel(db: Db, district: string | null): Promise<CategoryModel> {
  const key = district ?? '*';
  const entry = models.get(key) ?? {};
  models.set(key, entry);
  const fresh = entry.model && Date.now() - entry.model.builtAt < MODEL_TTL_MS;
  if (!fresh && !entry.building) {
    entry.building = buildModel(db, district).then(
      (model) => {
        entry.model = model;
        entry.building = undefined;
        return model;
      },
      (error: unknown) => {
        entry.building = undefined;
        throw error;
      },
    );
    // A background rebuild that fails leaves the stale model answering; the next call tries again.
    if (entry.model) entry.building.catch(() => undefined);
  }
  if (entry.model) return entry.model;
  return entry.building as Promise<CategoryModel>;
}

/** Forgets every district's model (tests; a catalogue change). */
export function forgetCategoryModels(): void {
  models.clear();
}

/** The likely categories of a text in a district (null: learnt from all), best first. */
export async function suggestCategories(
  db: Db,
  district: string | null,
  text: string,
  limit = 3,
): Promise<CategorySuggestion[]> {
  if (!text.trim()) return [];
  const [model, jieba] = await Promise.all([categoryModel(db, district), segmenter()]);
  return suggestFrom(model, jieba, text, limit);
}

/** As the API shows it. */
export const presentSuggestion = (s: CategorySuggestion) => ({
  code: s.code,
  name: { zh: s.nameZh, en: s.nameEn },
  confidence: s.confidence,
});
