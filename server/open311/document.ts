/**
 * One description of an Open311 answer, rendered as XML or as JSON by the specification's mapping
 * (the Spark convention: the root element drops away, a list of like elements becomes an array, an
 * empty element — an empty string too — becomes null). Every route builds the document once, so the two formats cannot
 * say different things.
 */

/** A scalar, a record (elements in key order), or a list of like elements. */
export type Node = string | number | boolean | null | Rec | List;

export interface Rec {
  readonly [element: string]: Node | undefined;
}

/** A list: `<plural><item>…</item>…</plural>` in XML, an array in JSON. */
export class List {
  constructor(
    readonly item: string,
    readonly items: readonly Node[],
  ) {}
}

export const list = (item: string, items: readonly Node[]) => new List(item, items);

/** An answer: its root element and what it holds. */
export interface Document {
  root: string;
  body: Node;
}

export const FORMATS = ['xml', 'json'] as const;
export type Format = (typeof FORMATS)[number];

export const CONTENT_TYPES: Record<Format, string> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** Is this code point a character XML 1.0 may carry (its `Char` production)? */
const isXmlChar = (c: number) =>
  c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || c >= 0x10000;

/** The text without what XML cannot carry at all (most control characters, lone surrogates). */
export function xmlChars(text: string): string {
  let out = '';
  for (const ch of text) if (isXmlChar(ch.codePointAt(0) ?? 0)) out += ch;
  return out;
}

/** Null, or text with nothing XML can carry: an empty element. */
const isBlank = (node: Node | undefined) => node === null || (typeof node === 'string' && xmlChars(node) === '');

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text as XML character data: the five special characters escaped, characters XML forbids dropped. */
export function escapeXml(text: string): string {
  return xmlChars(text).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Element names come from our code, never from input; a wrong one is a bug, not a request error. */
function checkName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) throw new Error(`not an XML element name: ${name}`);
  return name;
}

function element(name: string, node: Node | undefined, indent: string, out: string[]): void {
  if (node === undefined) return;
  const tag = checkName(name);
  if (node === null || isBlank(node)) {
    out.push(`${indent}<${tag}/>`);
    return;
  }
  if (typeof node !== 'object') {
    out.push(`${indent}<${tag}>${escapeXml(String(node))}</${tag}>`);
    return;
  }
  const inner: string[] = [];
  children(node, `${indent}  `, inner);
  if (inner.length === 0) out.push(`${indent}<${tag}/>`);
  else out.push(`${indent}<${tag}>`, ...inner, `${indent}</${tag}>`);
}

function children(node: Rec | List, indent: string, out: string[]): void {
  if (node instanceof List) {
    for (const item of node.items) element(node.item, item, indent, out);
    return;
  }
  for (const [name, child] of Object.entries(node)) element(name, child, indent, out);
}

/** The document as XML, with the UTF-8 declaration the specification asks for. */
export function toXml(doc: Document): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  element(doc.root, doc.body, '', out);
  return `${out.join('\n')}\n`;
}

function jsonValue(node: Node): unknown {
  // An empty element reads as null (the spec's examples: <description></description> is "description":null).
  if (isBlank(node)) return null;
  if (node === null || typeof node !== 'object') return typeof node === 'string' ? xmlChars(node) : node;
  if (node instanceof List) return node.items.map(jsonValue);
  return Object.fromEntries(
    Object.entries(node)
      .filter((entry): entry is [string, Node] => entry[1] !== undefined)
      .map(([name, child]) => [name, jsonValue(child)]),
  );
}

/** The document as JSON: the root drops away (a list answer is a top-level array). */
export function toJson(doc: Document): string {
  return JSON.stringify(jsonValue(doc.body));
}

export function render(doc: Document, format: Format): string {
  return format === 'xml' ? toXml(doc) : toJson(doc);
}
