// Sync settings: GET/POST /profile/syncSettings (tenant-wide) and GET/POST /companies/{companyId}/syncSettings.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { companyOr404 } from '../../sync/http.ts';
import { companySettings, profileSettings, SyncSettingSchema, saveSettings } from '../../sync/settings.ts';
import { tenantOf } from '../context.ts';
import { ErrorMessageSchema } from '../errors.ts';

const Setting = SyncSettingSchema.meta({ id: 'SyncSetting' });
const errors = { 400: ErrorMessageSchema, 401: ErrorMessageSchema, 404: ErrorMessageSchema };
const ProfileBody = z.object({
  clientId: z.string().optional(),
  settings: z.array(Setting).min(1, 'settings must list at least one data type'),
  overridesDefaults: z.boolean().default(true),
});
const CompanyBody = z.object({
  companyId: z.string().optional(),
  settings: z.array(Setting).min(1, 'settings must list at least one data type'),
  overridesDefaults: z.boolean().default(true),
});

const routes: FastifyPluginAsync = async (root) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db, clock } = app.deps;

  app.get(
    '/profile/syncSettings',
    {
      schema: {
        tags: ['Settings'],
        summary: 'Get sync settings',
        response: {
          200: z.object({ clientId: z.string(), settings: z.array(Setting), overridesDefaults: z.boolean() }),
          ...errors,
        },
      },
    },
    async (req) => {
      const tenantId = tenantOf(req);
      return { clientId: tenantId, settings: await profileSettings(db, tenantId), overridesDefaults: true };
    },
  );

  app.post(
    '/profile/syncSettings',
    {
      schema: {
        tags: ['Settings'],
        summary: 'Update all sync settings',
        body: ProfileBody,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      const tenantId = tenantOf(req);
      await saveSettings(db, tenantId, '', req.body.settings, req.body.overridesDefaults, clock());
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/companies/:companyId/syncSettings',
    {
      schema: {
        tags: ['Settings'],
        summary: 'Get company sync settings',
        params: z.object({ companyId: z.string().max(64) }),
        response: {
          200: z.object({ companyId: z.string(), settings: z.array(Setting), overridesDefaults: z.boolean() }),
          ...errors,
        },
      },
    },
    async (req) => {
      const tenantId = tenantOf(req);
      await companyOr404(db, tenantId, req.params.companyId);
      const own = await db
        .selectFrom('sync_settings')
        .select('data_type')
        .where('tenant_id', '=', tenantId)
        .where('company_id', '=', req.params.companyId)
        .executeTakeFirst();
      return {
        companyId: req.params.companyId,
        settings: await companySettings(db, tenantId, req.params.companyId),
        overridesDefaults: !!own,
      };
    },
  );

  app.post(
    '/companies/:companyId/syncSettings',
    {
      schema: {
        tags: ['Settings'],
        summary: 'Set company sync settings',
        params: z.object({ companyId: z.string().max(64) }),
        body: CompanyBody,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      const tenantId = tenantOf(req);
      await companyOr404(db, tenantId, req.params.companyId);
      await saveSettings(db, tenantId, req.params.companyId, req.body.settings, req.body.overridesDefaults, clock());
      return reply.code(204).send(null);
    },
  );
};

export default routes;
