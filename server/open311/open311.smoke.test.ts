/**
 * Smoke test over real HTTP with a client that makes the npm `open311` client's calls (see
 * test-client.ts): discover the endpoint, list services, read a definition, submit a request with
 * answers, follow it by id and by a list of ids — once in JSON, once in XML read the Spark way.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestDatabase } from '../test/harness.js';
import { Open311Client, type Spark } from './test-client.js';
import { makeWorld, useApp, type World } from './test-world.js';

let app: FastifyInstance;
let w: World;
let base: string;

type Row = Record<string, Spark>;

describe('Open311 smoke test with a client over HTTP', () => {
  beforeAll(async () => {
    const { db } = await createTestDatabase();
    app = await createTestApp(db);
    useApp(app);
    w = await makeWorld(db);
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });

  for (const format of ['json', 'xml'] as const) {
    it(`reports and follows a request in ${format.toUpperCase()}`, async () => {
      const probe = new Open311Client({ endpoint: '', jurisdiction: w.j });
      const discovery = (await probe.serviceDiscovery(`${base}/open311/v2/discovery.${format}`)) as {
        endpoints: { url: string; formats: string[] }[];
      };
      const endpoint = discovery.endpoints[0]?.url ?? '';
      expect(endpoint).toBe(`${base}/open311/v2`);
      const client = new Open311Client({ endpoint, jurisdiction: w.j, apiKey: w.key, format });

      const services = (await client.serviceList()) as Row[];
      const service = services.find((s) => s.service_code === w.category.code);
      expect(service).toMatchObject({ service_name: '暴露垃圾', type: 'realtime' });
      expect(String(service?.metadata)).toBe('true');

      const definition = (await client.serviceDefinition(w.category.code)) as { attributes: Row[] };
      const required = definition.attributes.filter((a) => String(a.required) === 'true').map((a) => a.code);
      expect(required).toEqual(['kind']);

      const [lng, lat] = w.t.gridCentres[1] as [number, number];
      const submitted = (await client.submitRequest({
        service_code: w.category.code,
        lat: String(lat),
        long: String(lng),
        description: `楼道堆放大件垃圾（${format}）`,
        attributes: { kind: 'bulky', smells: ['rot', 'chemical'] },
      })) as Row[];
      const id = String(submitted[0]?.service_request_id);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);

      const [one] = (await client.serviceRequests(id)) as Row[];
      expect(one).toMatchObject({
        service_request_id: id,
        status: 'open',
        service_code: w.category.code,
        description: expect.stringContaining(`楼道堆放大件垃圾（${format}）`),
      });
      expect(String(one?.lat)).toBe(String(lat));

      const listed = (await client.serviceRequests([id], {})) as Row[];
      expect(listed.map((r) => r.service_request_id)).toEqual([id]);
      const open = (await client.serviceRequests(undefined, { status: 'open' })) as Row[];
      expect(open.map((r) => r.service_request_id)).toContain(id);
    });
  }

  it('sees the spec’s errors as HTTP failures, as the npm client does', async () => {
    const client = new Open311Client({ endpoint: `${base}/open311/v2`, jurisdiction: '999999', apiKey: w.key });
    await expect(client.serviceList()).rejects.toThrow(/^Open311 404: \[\{"code":404/);
    const wrongKey = new Open311Client({
      endpoint: `${base}/open311/v2`,
      jurisdiction: w.j,
      apiKey: 'xyz',
      format: 'xml',
    });
    await expect(wrongKey.submitRequest({ service_code: w.category.code })).rejects.toThrow(/^Open311 403: <\?xml/);
  });
});
