// Every resource the simulator serves, validated against Sage's own OpenAPI schema for it (read from the shared
// reference folder, not copied into the repo). Stricter than the specs in one way: a field the schema does not
// declare is an error, so the simulator cannot invent field names. Looser in one way: any field may be null, as real
// Sage responses are, and datetimes may come without a zone (Sage's "2017-06-02T08:19:00.147").
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { EXTRA, STANDARD, sageHeaders, signIn } from './helpers.ts';

const SPEC_DIR = join(fileURLToPath(new URL('../..', import.meta.url)), '..', 'shared', 'reference', 'sage200-openapi');
const haveSpecs = existsSync(SPEC_DIR);

type Schema = Record<string, unknown>;

/** additionalProperties:false where properties are declared; every property may also be null. */
function tighten(node: unknown): void {
  if (Array.isArray(node)) {
    for (const n of node) tighten(n);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const s = node as Schema;
  const props = s.properties as Record<string, Schema> | undefined;
  if (props) {
    if (Object.keys(props).length > 0 && s.additionalProperties === undefined) s.additionalProperties = false;
    for (const [k, p] of Object.entries(props)) {
      tighten(p);
      // OpenAPI's `nullable` compiles about four times faster than an anyOf wrapper
      if (p.type) p.nullable = true;
      else props[k] = { anyOf: [p, { type: 'null' }] };
    }
  }
  for (const [k, v] of Object.entries(s)) if (k !== 'properties') tighten(v);
}

function collectFormats(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) {
    for (const n of node) collectFormats(n, out);
    return;
  }
  if (!node || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'format' && typeof v === 'string') out.add(v);
    else collectFormats(v, out);
  }
}

/** resource -> a validator compiled on first use (compiling all ~500 paths up front takes many seconds) */
function loadValidators(): { byResource: Map<string, () => ValidateFunction>; sites: ValidateFunction } {
  const ajv = new Ajv({ strict: false, validateSchema: false });
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?$/);
  const formats = new Set<string>();
  const refs = new Map<string, { rank: number; ref: string }>();
  let sitesRef = '';
  for (const file of readdirSync(SPEC_DIR).filter((f) => f.endsWith('.json'))) {
    const doc = JSON.parse(readFileSync(join(SPEC_DIR, file), 'utf8')) as {
      paths: Record<
        string,
        { get?: { responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> } }
      >;
      components: Schema;
    };
    tighten(doc.components);
    collectFormats(doc, formats);
    for (const f of formats) {
      if (f === 'date-time') continue;
      const dp = /^decimal (\d+)dp$/.exec(f);
      // money and rates: at most the declared decimal places
      if (dp) {
        const scale = 10 ** Number(dp[1]);
        ajv.addFormat(f, {
          type: 'number',
          validate: (n: number) => Math.abs(n * scale - Math.round(n * scale)) < 1e-6,
        });
      } else ajv.addFormat(f, true);
    }
    formats.clear();
    ajv.addSchema({ $id: file, components: doc.components });
    for (const [path, ops] of Object.entries(doc.paths)) {
      // the collection's item schema; else the item path's or a parent-scoped collection's (e.g. sop_order_lines)
      const m =
        /^\/([a-z0-9_]+)$/.exec(path) ??
        /^\/([a-z0-9_]+)\/\{\w+\}$/.exec(path) ??
        /^\/[a-z0-9_]+\/\{\w+\}\/([a-z0-9_]+)$/.exec(path);
      const schema = ops.get?.responses?.['200']?.content?.['application/json']?.schema;
      const ref = ((schema?.type === 'array' ? schema.items : schema) as Schema | undefined)?.$ref as
        | string
        | undefined;
      if (!m || !ref) continue;
      const rank = path.split('/').length;
      if (m[1] === 'sites' && rank === 2) sitesRef = `${file}${ref}`;
      else if ((refs.get(m[1]!)?.rank ?? 99) > rank) refs.set(m[1]!, { rank, ref: `${file}${ref}` });
    }
  }
  const byResource = new Map<string, () => ValidateFunction>();
  for (const [resource, { ref }] of refs) {
    let v: ValidateFunction | undefined;
    byResource.set(resource, () => {
      v ??= ajv.compile({ $ref: ref });
      return v;
    });
  }
  return { byResource, sites: ajv.compile({ $ref: sitesRef }) };
}

describe.skipIf(!haveSpecs)(`responses match Sage's OpenAPI schemas (specs from ${SPEC_DIR})`, () => {
  let sim: Simulator;
  let token: string;
  beforeAll(async () => {
    sim = await startSimulator({ scale: 0.05 });
    token = (await signIn(sim.url)).access_token;
  });
  afterAll(() => sim?.close());

  it('validates GET /sites and a page of every resource (all nested data expanded), for a Standard and the Professional company', async () => {
    const { byResource, sites } = loadValidators();
    const problems: string[] = [];
    const siteRows = (await (
      await fetch(`${sim.url}${STANDARD}/sites`, { headers: sageHeaders(token) })
    ).json()) as unknown[];
    expect(siteRows.length).toBeGreaterThan(0);
    for (const row of siteRows) if (!sites(row)) problems.push(`sites: ${JSON.stringify(sites.errors?.slice(0, 3))}`);

    // the validators do reject what Sage would not send: a wrong type, an unknown field, too many decimals
    const customer = byResource.get('customers')!();
    expect(customer({ id: 1, reference: 'OK1', name: 'Ok Ltd', balance: 1.5 }), JSON.stringify(customer.errors)).toBe(
      true,
    );
    expect(customer({ id: 1, reference: 'OK1', name: 42 })).toBe(false);
    expect(customer({ id: 1, reference: 'OK1', name: 'x', colour: 'red' })).toBe(false);
    expect(customer({ id: 1, reference: 'OK1', name: 'x', balance: 1.005 })).toBe(false);

    const unmatched: string[] = [];
    let validated = 0;
    for (const [companyId, base] of [
      [1, STANDARD],
      [5, EXTRA],
    ] as const) {
      const headers = sageHeaders(token, companyId);
      for (const resource of await resources(sim.url, companyId)) {
        const validate = byResource.get(resource)?.();
        if (!validate) {
          unmatched.push(resource);
          continue;
        }
        const res = await fetch(`${sim.url}${base}/${resource}?$top=20&$expand=*`, { headers });
        expect(res.status, resource).toBe(200);
        const rows = (await res.json()) as unknown[];
        for (const row of rows) {
          const errors = validate(row) ? [] : realErrors(validate.errors ?? [], row);
          if (errors.length) {
            problems.push(
              `${resource} (company ${companyId}) id ${(row as { id?: unknown }).id}: ${errors
                .slice(0, 4)
                .map(
                  (e) =>
                    `${e.instancePath} ${e.message} ${JSON.stringify(e.params)} (value ${JSON.stringify(at(row, e.instancePath))?.slice(0, 60)})`,
                )
                .join('; ')}`,
            );
            break;
          }
        }
        validated++;
      }
    }
    expect(unmatched, 'resources served that have no GET collection in the specs').toEqual([]);
    expect(problems).toEqual([]);
    expect(validated).toBeGreaterThan(10);
  });
});

/**
 * Sage's specs cap enum fields at 30 characters, yet real Sage returns longer enum names (the reference's example
 * `TradingAccountEntryTypePurchasePaymentSalesReceipt`), so a maxLength error on a PascalCase enum name is not a
 * fault; the anyOf/null errors Ajv adds for the same field go with it.
 */
function realErrors(errors: ErrorObject[], row: unknown): ErrorObject[] {
  const enumPaths = new Set(
    errors
      .filter((e) => e.keyword === 'maxLength' && /^[A-Z][A-Za-z0-9]+$/.test(String(at(row, e.instancePath))))
      .map((e) => e.instancePath),
  );
  // drop the wrapper noise (each field is `anyOf [schema, null]`) so the real cause shows
  return errors.filter(
    (e) =>
      !enumPaths.has(e.instancePath) && e.keyword !== 'anyOf' && !(e.keyword === 'type' && e.params.type === 'null'),
  );
}

function at(row: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), row);
}

/** The resources a book serves, learned from the simulator itself (its books expose resources()). */
async function resources(url: string, companyId: number): Promise<string[]> {
  const res = await fetch(`${url}/_sim/companies/${companyId}/resources`);
  expect(res.status).toBe(200);
  return (await res.json()) as string[];
}
