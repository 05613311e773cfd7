/**
 * One document, two formats: the XML carries the UTF-8 declaration, escapes the five special
 * characters and drops what XML cannot carry; the JSON drops the root (a list is a top-level
 * array); both read the same under the Spark convention, empty text included.
 */
import { describe, expect, it } from 'vitest';
import { escapeXml, list, toJson, toXml, xmlChars } from './document.js';
import { asSpark, parseXml, sparkOf } from './test-client.js';

const doc = {
  root: 'service_requests',
  body: list('request', [
    {
      service_request_id: 'a1',
      description: 'Tom & Jerry <b>"quoted"</b> \'single\' 井盖 😀',
      status_notes: null,
      address: '',
      lat: 31.2,
      metadata: true,
      notes: list('note', [{ type: 'report' }, { type: 'register' }]),
    },
  ]),
};

describe('Open311 documents', () => {
  it('escapes &, <, >, " and \' in XML text', () => {
    expect(escapeXml(`a & b < c > d " e ' f`)).toBe('a &amp; b &lt; c &gt; d &quot; e &apos; f');
    const xml = toXml(doc);
    expect(xml).toContain(
      '<description>Tom &amp; Jerry &lt;b&gt;&quot;quoted&quot;&lt;/b&gt; &apos;single&apos; 井盖 😀</description>',
    );
    expect(parseXml(xml).name).toBe('service_requests');
  });

  it('starts with the UTF-8 declaration and writes empty and null elements self-closed', () => {
    const xml = toXml(doc);
    expect(xml.split('\n')[0]).toBe('<?xml version="1.0" encoding="UTF-8"?>');
    expect(xml).toContain('<status_notes/>');
    expect(xml).toContain('<address/>');
    expect(xml).toContain('<notes>\n      <note>\n        <type>report</type>');
  });

  it('drops characters XML 1.0 cannot carry, in both formats', () => {
    const text = 'bell\u0007 nul\u0000 tab\t lf\n lone\uD800 pair😀 fffe\uFFFE';
    expect(xmlChars(text)).toBe('bell nul tab\t lf\n lone pair😀 fffe');
    const bad = { root: 'x', body: { a: text, b: '\u0001\u0002' } };
    expect(() => parseXml(toXml(bad))).not.toThrow();
    expect(JSON.parse(toJson(bad))).toEqual({ a: xmlChars(text), b: null });
    expect(toXml(bad)).toContain('<b/>');
  });

  it('drops the root in JSON: a list is a top-level array, empty text is null', () => {
    const json = JSON.parse(toJson(doc));
    expect(json).toEqual([
      {
        service_request_id: 'a1',
        description: 'Tom & Jerry <b>"quoted"</b> \'single\' 井盖 😀',
        status_notes: null,
        address: null,
        lat: 31.2,
        metadata: true,
        notes: [{ type: 'report' }, { type: 'register' }],
      },
    ]);
  });

  it('says the same in both formats', () => {
    expect(sparkOf(toXml(doc))).toEqual(asSpark(JSON.parse(toJson(doc))));
  });

  it('leaves out undefined fields in both formats', () => {
    const sparse = { root: 'r', body: { a: 'x', b: undefined } };
    expect(toXml(sparse)).not.toContain('<b');
    expect(JSON.parse(toJson(sparse))).toEqual({ a: 'x' });
  });

  it('refuses an element name that is not one (a bug, never input)', () => {
    expect(() => toXml({ root: 'r', body: { 'bad name': 'x' } })).toThrow(/not an XML element name/);
  });
});
