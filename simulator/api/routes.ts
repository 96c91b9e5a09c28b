// The Sage 200 API surface on both bases (/uk/sage200/accounts/v1 and /uk/sage200extra/accounts/v1): GET /sites,
// collections with OData, items, parent-scoped children, and writes mapped onto the books' posting engine.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ODataError } from '../odata/errors.ts';
import { parseQuery, type QueryableCollection, selectRows } from '../odata/query.ts';
import { alreadyShaped, shapeRow } from '../odata/shape.ts';
import { isSageError } from './book-types.ts';
import type { SimContext } from './context.ts';
import { authenticate, type CompanyCaller, type Edition, isRefusal, selectCompany } from './gateway.ts';
import { respond } from './respond.ts';
import { childSubset } from './subset.ts';

export const API_BASES: Record<Edition, string> = {
  sage200: '/uk/sage200/accounts/v1',
  sage200extra: '/uk/sage200extra/accounts/v1',
};

/** Parent-scoped children whose parent field is not simply `<singular parent>_id`. */
const PARENT_FIELD_OVERRIDES: Record<string, string> = {};

const parentField = (parent: string, child: string) =>
  PARENT_FIELD_OVERRIDES[`${parent}/${child}`] ?? `${parent.replace(/s$/, '')}_id`;

const notFoundRoute = (url: string) => ({
  Message: `No HTTP resource was found that matches the request URI '${url}'.`,
});

export function registerApi(app: FastifyInstance, ctx: SimContext): void {
  for (const edition of Object.keys(API_BASES) as Edition[]) {
    const base = API_BASES[edition];
    app.get(`${base}/sites`, (req, reply) => sites(ctx, req, reply));
    app.route({
      method: ['GET', 'POST', 'PUT', 'DELETE'],
      url: `${base}/*`,
      handler: (req, reply) => resource(ctx, req, reply, edition),
    });
  }
}

async function sites(ctx: SimContext, req: FastifyRequest, reply: FastifyReply) {
  const caller = authenticate(ctx, req);
  if (isRefusal(caller))
    return reply
      .code(caller.status)
      .headers(caller.headers ?? {})
      .send(caller.body);
  const rows = caller.user.companyIds.map((id) => {
    const c = ctx.books.company(id)!;
    return {
      company_id: c.companyId,
      company_name: c.companyName,
      site_id: c.siteId,
      site_name: c.siteName,
      site_short_name: c.siteShortName,
    };
  });
  return respond(reply, 200, rows, caller.fault);
}

async function resource(ctx: SimContext, req: FastifyRequest, reply: FastifyReply, edition: Edition) {
  const path = (req.params as { '*'?: string })['*'] ?? '';
  const segs = path.split('/').filter(Boolean).map(safeDecode);
  if (req.method === 'GET' && segs.length === 1 && segs[0] === 'sites') return sites(ctx, req, reply);
  const caller = authenticate(ctx, req);
  if (isRefusal(caller))
    return reply
      .code(caller.status)
      .headers(caller.headers ?? {})
      .send(caller.body);
  const cc = selectCompany(ctx, req, caller, edition);
  if (isRefusal(cc))
    return reply
      .code(cc.status)
      .headers(cc.headers ?? {})
      .send(cc.body);

  const method = req.method;
  if (method !== 'GET' && cc.switches.trial) {
    return respond(
      reply,
      403,
      {
        Message: `'${cc.company.companyName}' is a Sage 200 trial site: records cannot be created, updated or deleted on trial accounts. Use a full (non-trial) Sage 200 site to write data.`,
      },
      cc.fault,
    );
  }
  try {
    const result = method === 'GET' ? read(ctx, cc, segs, req) : write(ctx, cc, segs, req);
    if (result === undefined) return respond(reply, 404, notFoundRoute(req.url), cc.fault);
    return respond(reply, result.status, result.body, cc.fault);
  } catch (e) {
    if (e instanceof ODataError || isSageError(e)) {
      return respond(reply, e.status, { Message: e.message }, cc.fault);
    }
    req.log.error({ err: e }, 'simulator API error');
    return respond(reply, 500, { Message: 'An error has occurred.' }, cc.fault);
  }
}

interface Answer {
  status: number;
  body: unknown;
}

const isId = (s: string | undefined) => s !== undefined && /^\d+$/.test(s);

function read(ctx: SimContext, cc: CompanyCaller, segs: string[], req: FastifyRequest): Answer | undefined {
  const book = ctx.books.book(cc.company.companyId);
  const style = ctx.switches.global.timestamps;
  const query = (req.query ?? {}) as Record<string, unknown>;
  const [name, id, childName, childId] = segs;
  if (!name || segs.length > 4) return undefined;
  const coll = book.collection(name);
  if (!coll) return undefined;

  if (segs.length === 1 || segs.length === 3) {
    // a collection, or a parent-scoped child collection (the parent's children, found through a cached index)
    let target: QueryableCollection = coll;
    let sample = coll.slice(0, 1)[0];
    if (segs.length === 3) {
      if (!isId(id)) return undefined;
      if (!coll.get(Number(id))) return missing(name, id!);
      const child = book.collection(childName!);
      if (!child) return undefined;
      const field = parentField(name, childName!);
      const index = ctx.books.snapshotStore(cc.company.companyId, '');
      target = childSubset(child, field, Number(id), index);
      sample = child.slice(0, 1)[0];
    }
    const q = parseQuery(query, sample, target.resource);
    const scope = segs.length === 3 ? `${name}/${id}/` : '';
    const snapshots = ctx.books.snapshotStore(cc.company.companyId, scope);
    const out = selectRows(target, q, ctx.books.enumIds(cc.company.companyId), undefined, snapshots);
    if (q.select) {
      const rows = out.rows.map((r) => shapeRow(r, q.expand, q.select, style));
      return { status: 200, body: q.count ? { '@odata.count': out.count, value: rows } : rows };
    }
    // the common path: rows built without the nested values the response leaves out are usually already in their
    // final shape, so they are serialised as they are (no shaped copy); any other row is shaped as usual
    const rows = out.rows.map((r) =>
      style === 'z' && alreadyShaped(r, q.expand) ? r : shapeRow(r, q.expand, undefined, style),
    );
    return { status: 200, body: q.count ? { '@odata.count': out.count, value: rows } : rows };
  }
  // an item, or a parent-scoped child item
  if (!isId(id)) return undefined;
  let row = coll.get(Number(id));
  if (!row) return missing(name, id!);
  let type = name;
  if (segs.length === 4) {
    const child = book.collection(childName!);
    if (!child) return undefined;
    if (!isId(childId)) return undefined;
    const r = child.get(Number(childId));
    if (!r || r[parentField(name, childName!)] !== Number(id)) return missing(childName!, childId!);
    row = r;
    type = childName!;
  }
  const q = parseQuery(pick(query, ['$expand', '$select']), row, type);
  return { status: 200, body: shapeRow(row, q.expand, q.select, style) };
}

function write(ctx: SimContext, cc: CompanyCaller, segs: string[], req: FastifyRequest): Answer | undefined {
  const book = ctx.books.book(cc.company.companyId);
  // whatever happens next, cached query results of this company may no longer hold
  ctx.books.changed(cc.company.companyId);
  const now = ctx.clock.now();
  const style = ctx.switches.global.timestamps;
  const method = req.method;
  const body = req.body;
  const needBody = method === 'POST' || method === 'PUT';
  if (needBody && (body === null || typeof body !== 'object' || Array.isArray(body))) {
    throw new ODataError('The request is invalid: the body must be a JSON object (Content-Type: application/json).');
  }
  const obj = (body ?? {}) as Record<string, unknown>;
  const entity = (e: Record<string, unknown>): Answer => ({
    status: 200,
    body:
      'urn' in e && Object.keys(e).length === 1 ? e : shapeRow(e, { all: true, children: new Map() }, undefined, style),
  });
  const [name, id, childName, childId] = segs;
  if (!name) return undefined;

  if (segs.length === 1 && method === 'POST') return entity(book.create(name, obj, now));
  if (segs.length === 2 && isId(id)) {
    if (method === 'PUT') return entity(book.update(name, Number(id), obj, now));
    if (method === 'DELETE') {
      book.remove(name, Number(id), now);
      return { status: 200, body: undefined };
    }
  }
  if (segs.length === 3 && isId(id) && method === 'POST') {
    if (!book.collection(name)?.get(Number(id))) return missing(name, id!);
    return entity(book.create(childName!, { ...obj, [parentField(name, childName!)]: Number(id) }, now));
  }
  if (segs.length === 4 && isId(id) && isId(childId)) {
    const child = book.collection(childName!);
    const r = child?.get(Number(childId));
    if (!r || r[parentField(name, childName!)] !== Number(id)) return missing(childName!, childId!);
    if (method === 'PUT') return entity(book.update(childName!, Number(childId), obj, now));
    if (method === 'DELETE') {
      book.remove(childName!, Number(childId), now);
      return { status: 200, body: undefined };
    }
  }
  return undefined;
}

function missing(resource: string, id: string): Answer {
  return {
    status: 404,
    body: { Message: `No ${resource.replace(/s$/, '').replace(/_/g, ' ')} was found with id ${id}.` },
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function pick(q: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (q[k] !== undefined) out[k] = q[k];
  return out;
}
