/**
 * For the tests: a tiny Open311 client making the calls the npm `open311` client makes (service
 * discovery, service list and definition, submitRequest with `attributes`, serviceRequests by id,
 * ids or parameters), over real HTTP, reading XML the way it does (the Spark convention), and a
 * strict reader of our XML that refuses what is not well formed.
 */

export type Spark = string | null | Spark[] | { [name: string]: Spark };

interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    const known = ENTITY[name];
    if (known === undefined) throw new Error(`unknown entity ${whole}`);
    return known;
  });
}

/**
 * Parses the XML we write (no attributes, no mixed content): the declaration must come first and
 * say UTF-8, every tag must close in order, and no raw `<` or `&` may stand in text.
 */
export function parseXml(xml: string): XmlElement {
  const declaration = /^<\?xml version="1\.0" encoding="UTF-8"\?>\s*/.exec(xml);
  if (!declaration) throw new Error('no UTF-8 XML declaration first');
  const stack: XmlElement[] = [{ name: '#document', children: [], text: '' }];
  const token = /<([A-Za-z_][\w.-]*)\/>|<([A-Za-z_][\w.-]*)>|<\/([A-Za-z_][\w.-]*)>|([^<]+)/y;
  token.lastIndex = declaration[0].length;
  while (token.lastIndex < xml.length) {
    const at = token.lastIndex;
    const m = token.exec(xml);
    if (!m) throw new Error(`not well formed at ${at}: ${xml.slice(at, at + 30)}`);
    const parent = stack.at(-1) as XmlElement;
    if (m[1]) parent.children.push({ name: m[1], children: [], text: '' });
    else if (m[2]) {
      const el = { name: m[2], children: [], text: '' };
      parent.children.push(el);
      stack.push(el);
    } else if (m[3]) {
      if (parent.name !== m[3]) throw new Error(`</${m[3]}> closes <${parent.name}>`);
      stack.pop();
    } else if (m[4] !== undefined) {
      if (/&(?!(#x[0-9a-fA-F]+|#\d+|[a-z]+);)/.test(m[4])) throw new Error('a bare & in text');
      if (stack.length === 1 && m[4].trim()) throw new Error('text outside the root');
      parent.text += decode(m[4]);
    }
  }
  const [root, ...more] = (stack[0] as XmlElement).children;
  if (stack.length !== 1 || !root || more.length) throw new Error('not exactly one closed root element');
  return root;
}

/** The Spark reading of an element: text, null when empty, an array of like children under a plural, else a record. */
function spark(el: XmlElement): Spark {
  if (el.children.length === 0) return el.text === '' ? null : el.text;
  const names = new Set(el.children.map((c) => c.name));
  if (names.size === 1 && (el.children.length > 1 || el.name.endsWith('s'))) return el.children.map(spark);
  return Object.fromEntries(el.children.map((c) => [c.name, spark(c)]));
}

/** An XML answer as the npm client's Spark reader gives it (the root drops away). */
export const sparkOf = (xml: string): Spark => spark(parseXml(xml));

/** A JSON answer in the Spark reading's terms: scalars as text, an empty list as an empty element. */
export function asSpark(json: unknown): Spark {
  if (json === null || json === undefined) return null;
  if (Array.isArray(json)) return json.length ? json.map(asSpark) : null;
  if (typeof json === 'object')
    return Object.fromEntries(Object.entries(json as Record<string, unknown>).map(([k, v]) => [k, asSpark(v)]));
  return String(json);
}

export interface ClientOptions {
  endpoint: string;
  jurisdiction: string;
  apiKey?: string;
  format?: 'json' | 'xml';
}

/** The calls of the npm `open311` client, as it makes them (GET with query, POST form with jurisdiction in the query). */
export class Open311Client {
  constructor(readonly options: ClientOptions) {}

  private get format() {
    return this.options.format ?? 'json';
  }

  private async read(res: Response): Promise<Spark | unknown> {
    const body = await res.text();
    if (res.status >= 300) throw new Error(`Open311 ${res.status}: ${body}`);
    return this.format === 'xml' ? sparkOf(body) : JSON.parse(body);
  }

  private async get(path: string, params: Record<string, string> = {}) {
    const query = new URLSearchParams({ ...params, jurisdiction_id: this.options.jurisdiction });
    return this.read(await fetch(`${this.options.endpoint}/${path}.${this.format}?${query}`));
  }

  async serviceDiscovery(url: string) {
    const res = await fetch(url);
    const body = await res.text();
    return url.endsWith('.xml') ? sparkOf(body) : JSON.parse(body);
  }

  serviceList() {
    return this.get('services');
  }

  serviceDefinition(code: string) {
    return this.get(`services/${code}`);
  }

  /** `attributes` become `attribute[code]` fields (arrays `attribute[code][]`); the api_key goes in the form. */
  async submitRequest(data: { [field: string]: string | Record<string, string | string[]> | undefined }) {
    if (!this.options.apiKey) throw new Error('Submitting a Service Request requires an API Key');
    const { attributes, ...rest } = data;
    const fields = Object.entries(rest).filter((e): e is [string, string] => typeof e[1] === 'string');
    const form = new URLSearchParams([...fields, ['api_key', this.options.apiKey]]);
    for (const [code, value] of Object.entries(typeof attributes === 'object' ? attributes : {})) {
      if (Array.isArray(value)) for (const v of value) form.append(`attribute[${code}][]`, v);
      else form.append(`attribute[${code}]`, value);
    }
    const query = new URLSearchParams({ jurisdiction_id: this.options.jurisdiction });
    const res = await fetch(`${this.options.endpoint}/requests.${this.format}?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: form.toString(),
    });
    return this.read(res);
  }

  /** One id (its own URL), several ids (a comma list), or parameters. */
  serviceRequests(id?: string | string[], params: Record<string, string> = {}) {
    if (typeof id === 'string') return this.get(`requests/${id}`, params);
    return this.get('requests', id ? { ...params, service_request_id: id.join(',') } : params);
  }
}
