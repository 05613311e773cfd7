/**
 * Schemas of /open311/v2 for validation and the OpenAPI document. Arguments are strings as the
 * specification sends them (their meaning is checked where they are read, so that a wrong value
 * gets the spec's error with its reason); answers are described in their JSON form (the XML form
 * has the same elements under the root named in each route's description).
 */
import { z } from 'zod';
import { QUESTION_DATATYPES } from '../../common/catalogue.js';
import { FORMATS } from './document.js';

/** One value; a parameter given twice keeps the last. */
const ZOne = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v.at(-1) : v))
  .optional();

/** A comma list, also when the parameter is given several times. */
const ZMany = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v.join(',') : v))
  .optional();

export const ZFormatParams = z.object({ format: z.enum(FORMATS) });

export const ZJurisdictionQuery = z.object({
  jurisdiction_id: ZOne.describe('The district code (6 digits), e.g. 310104; required'),
});

export const ZRequestsQuery = ZJurisdictionQuery.extend({
  service_request_id: ZMany.describe('Comma list of ids; overrides every other argument'),
  service_code: ZMany.describe('Comma list of service codes'),
  start_date: ZOne.describe('W3C date-time with zone; with end_date at most 90 days'),
  end_date: ZOne.describe('W3C date-time with zone'),
  status: ZMany.describe('open, closed or both (comma list)'),
  page: ZOne.describe('Extension: page number from 1'),
  page_size: ZOne.describe('Extension: requests per page, 1–1000 (default 1000)'),
  extensions: ZOne.describe('Extension: true adds the update history notes[]'),
});

const ZAnswers = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

/** POST requests, form-encoded. Unknown fields are ignored; `attribute[code]` arrive under `attribute`. */
export const ZRequestForm = z.looseObject({
  api_key: z.string().optional(),
  jurisdiction_id: z.string().optional(),
  service_code: z.string().optional(),
  lat: z.string().optional(),
  long: z.string().optional(),
  address_string: z.string().optional(),
  address_id: z.string().optional(),
  email: z.string().optional(),
  device_id: z.string().optional(),
  account_id: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  phone: z.string().optional(),
  description: z.string().optional(),
  media_url: z.string().optional(),
  attribute: ZAnswers.optional().describe('attribute[code]=value; attribute[code][]=v1&attribute[code][]=v2'),
});

export const ZService = z.object({
  service_code: z.string(),
  service_name: z.string(),
  description: z.string(),
  metadata: z.boolean(),
  type: z.enum(['realtime', 'batch', 'blackbox']),
  keywords: z.string().nullable(),
  group: z.string().nullable(),
});

export const ZServiceDefinition = z.object({
  service_code: z.string(),
  attributes: z.array(
    z.object({
      variable: z.boolean(),
      code: z.string(),
      datatype: z.enum(QUESTION_DATATYPES),
      required: z.boolean(),
      datatype_description: z.string().nullable(),
      order: z.number(),
      description: z.string(),
      values: z.array(z.object({ key: z.string(), name: z.string() })).optional(),
    }),
  ),
});

export const ZRequest = z.object({
  service_request_id: z.string(),
  status: z.enum(['open', 'closed']),
  status_notes: z.string().nullable(),
  service_name: z.string().nullable(),
  service_code: z.string(),
  description: z.string(),
  agency_responsible: z.string().nullable(),
  service_notice: z.string().nullable(),
  requested_datetime: z.string(),
  updated_datetime: z.string(),
  expected_datetime: z.string().nullable(),
  address: z.string().nullable(),
  address_id: z.string().nullable(),
  zipcode: z.string().nullable(),
  lat: z.number().nullable(),
  long: z.number().nullable(),
  media_url: z.string().nullable(),
  notes: z
    .array(z.object({ datetime: z.string(), type: z.string(), description: z.string() }))
    .optional()
    .describe('With extensions=true: the public steps'),
});

export const ZSubmitted = z.array(
  z.object({
    service_request_id: z.string(),
    service_notice: z.string().nullable(),
    account_id: z.string().nullable(),
  }),
);

export const ZDiscovery = z.object({
  changeset: z.string(),
  contact: z.string(),
  key_service: z.string(),
  endpoints: z.array(
    z.object({
      specification: z.string(),
      url: z.string(),
      changeset: z.string(),
      type: z.enum(['production', 'test']),
      formats: z.array(z.string()),
    }),
  ),
});

export const ZErrors = z.array(z.object({ code: z.number(), description: z.string() }));

/** The error answers a route may give (the spec's format), for the OpenAPI document. */
export const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, ZErrors]));
