// GET /integrations, GET /integrations/{platformKey}, PATCH /integrations/{platformKey} (enable, environment),
// GET /integrations/{platformKey}/settings, PUT /integrations/{platformKey}/settings/{environment}.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DataTypeSupport } from '../../connectors/connector.ts';
import { type ConnectorDescriptor, dataTypesOf, getDescriptor, listDescriptors } from '../../connectors/registry.ts';
import {
  ENVIRONMENTS,
  getIntegrationSettings,
  getIntegrationState,
  saveEnvironment,
  updateIntegration,
} from '../../platform/integrations.ts';
import { pageEnvelope } from '../../query/paging.ts';
import { tenantOf } from '../context.ts';
import { ApiError, ErrorMessageSchema } from '../errors.ts';
import { ListQuerySchema, noWhitespace, PageEnvelopeSchema } from '../schemas/common.ts';

const FeatureSchema = z.object({
  featureType: z.enum(['Get', 'Post', 'Put', 'Delete']),
  featureState: z.enum(['Release', 'Alpha', 'Beta', 'Deprecated', 'NotSupported', 'NotImplemented']),
});
export const IntegrationSchema = z
  .object({
    key: z.string(),
    logoUrl: z.string(),
    name: z.string(),
    enabled: z.boolean(),
    configured: z.boolean().describe('Ledgerlink: credentials saved for the active environment'),
    sourceId: z.string(),
    sourceType: z.enum(['Accounting', 'Banking', 'BankFeed', 'Commerce', 'Expense', 'Other', 'Unknown']),
    integrationId: z.string(),
    isOfflineConnector: z.boolean(),
    isBeta: z.boolean(),
    dataProvidedBy: z.string(),
    datatypeFeatures: z.array(z.object({ dataType: z.string(), supportedFeatures: z.array(FeatureSchema) })),
  })
  .meta({ id: 'Integration' });

const EnvSchema = z.object({
  configured: z.boolean(),
  clientId: z.string().nullable(),
  clientSecret: z.string().nullable().describe('masked: only the last four characters are shown'),
  subscriptionKey: z.string().nullable().describe('masked: only the last four characters are shown'),
  authBaseUrl: z.string(),
  apiBaseUrl: z.string(),
});
export const IntegrationSettingsSchema = z
  .object({
    platformKey: z.string(),
    enabled: z.boolean(),
    activeEnvironment: z.enum(ENVIRONMENTS),
    redirectUri: z.string(),
    environments: z.object({ production: EnvSchema, sandbox: EnvSchema }),
  })
  .meta({ id: 'IntegrationSettings' });

const httpUrl = (label: string) =>
  z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/[^\s]+$/.test(v) && URL.canParse(v), {
      message: `${label} must be an http(s) URL`,
      params: { validatorName: 'Url' },
    });

export const SaveSettingsBody = z.strictObject({
  clientId: noWhitespace('Client ID'),
  clientSecret: noWhitespace('Client secret').optional(),
  subscriptionKey: noWhitespace('Subscription key').optional(),
  authBaseUrl: httpUrl('Auth base URL').optional(),
  apiBaseUrl: httpUrl('API base URL').optional(),
});
export const PatchIntegrationBody = z.strictObject({
  enabled: z.boolean().optional(),
  activeEnvironment: z.enum(ENVIRONMENTS).optional(),
});

const PlatformParams = z.object({ platformKey: z.string().max(64) });
const errors = { 400: ErrorMessageSchema, 401: ErrorMessageSchema, 404: ErrorMessageSchema };

function features(dataTypes: DataTypeSupport[]) {
  const state = (on: boolean | undefined) => (on ? 'Release' : 'NotSupported') as 'Release' | 'NotSupported';
  return dataTypes.map((d) => ({
    dataType: d.dataType,
    supportedFeatures: [
      { featureType: 'Get' as const, featureState: state(d.read) },
      { featureType: 'Post' as const, featureState: state(d.create) },
      { featureType: 'Put' as const, featureState: state(d.update) },
      { featureType: 'Delete' as const, featureState: state(d.delete) },
    ],
  }));
}

function descriptorOr404(platformKey: string): ConnectorDescriptor {
  const d = getDescriptor(platformKey);
  if (!d) {
    const keys = listDescriptors()
      .map((x) => `${x.platformKey} (${x.name})`)
      .join(', ');
    throw ApiError.notFound(`Integration "${platformKey}" not found; available integrations: ${keys}`);
  }
  return d;
}

const routes: FastifyPluginAsync = async (root) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db, keyring, config, clock } = app.deps;
  const deps = () => ({ db, keyring, defaults: config.sage });
  const redirectUri = () => `${config.publicUrl}/oauth/callback`;

  async function integration(tenantId: string, d: ConnectorDescriptor) {
    const state = await getIntegrationState(db, tenantId, d.platformKey);
    return {
      key: d.platformKey,
      logoUrl: d.logoUrl,
      name: d.name,
      enabled: state.enabled,
      configured: state.configured,
      sourceId: d.sourceId,
      sourceType: d.sourceType,
      integrationId: d.integrationId,
      isOfflineConnector: false,
      isBeta: d.isBeta,
      dataProvidedBy: 'Ledgerlink',
      datatypeFeatures: features(await dataTypesOf(d.platformKey)),
    };
  }

  app.get(
    '/integrations',
    {
      schema: {
        tags: ['Integrations'],
        summary: 'List integrations',
        querystring: ListQuerySchema,
        response: { 200: PageEnvelopeSchema(IntegrationSchema), ...errors },
      },
    },
    async (request) => {
      const tenantId = tenantOf(request);
      const { page, pageSize } = request.query;
      const all = await Promise.all(listDescriptors().map((d) => integration(tenantId, d)));
      return pageEnvelope(all.slice((page - 1) * pageSize, page * pageSize), {
        path: '/integrations',
        page,
        pageSize,
        total: all.length,
      });
    },
  );

  app.get(
    '/integrations/:platformKey',
    {
      schema: {
        tags: ['Integrations'],
        summary: 'Get integration',
        params: PlatformParams,
        response: { 200: IntegrationSchema, ...errors },
      },
    },
    async (request) => integration(tenantOf(request), descriptorOr404(request.params.platformKey)),
  );

  app.patch(
    '/integrations/:platformKey',
    {
      schema: {
        tags: ['Integrations'],
        summary: 'Enable or disable an integration, or choose its active environment',
        params: PlatformParams,
        body: PatchIntegrationBody,
        response: { 200: IntegrationSchema, 422: ErrorMessageSchema, ...errors },
      },
    },
    async (request) => {
      const tenantId = tenantOf(request);
      const d = descriptorOr404(request.params.platformKey);
      await updateIntegration(db, tenantId, d.platformKey, request.body, d, clock);
      request.log.info({ platformKey: d.platformKey, ...request.body }, 'integration updated');
      return integration(tenantId, d);
    },
  );

  app.get(
    '/integrations/:platformKey/settings',
    {
      schema: {
        tags: ['Integrations'],
        summary: 'Get integration settings (secrets masked)',
        params: PlatformParams,
        response: { 200: IntegrationSettingsSchema, ...errors },
      },
    },
    async (request) => {
      const d = descriptorOr404(request.params.platformKey);
      return getIntegrationSettings(deps(), tenantOf(request), d.platformKey, redirectUri());
    },
  );

  app.put(
    '/integrations/:platformKey/settings/:environment',
    {
      schema: {
        tags: ['Integrations'],
        summary: 'Save the credentials of one environment',
        description:
          'Client secret and subscription key are required on first save; omitted later, the stored values are kept. Values containing whitespace are refused.',
        params: PlatformParams.extend({ environment: z.enum(ENVIRONMENTS) }),
        body: SaveSettingsBody,
        response: { 200: IntegrationSettingsSchema, ...errors },
      },
    },
    async (request) => {
      const tenantId = tenantOf(request);
      const d = descriptorOr404(request.params.platformKey);
      await saveEnvironment(deps(), tenantId, d.platformKey, request.params.environment, request.body, clock);
      request.log.info(
        { platformKey: d.platformKey, environment: request.params.environment },
        'integration settings saved',
      );
      return getIntegrationSettings(deps(), tenantId, d.platformKey, redirectUri());
    },
  );
};

export default routes;
