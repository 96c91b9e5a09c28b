// Public facts the portal needs before sign-in: whether this is the embedded demo and where its simulator listens,
// so the setup page can point a newcomer at the demo Sage credentials. Nothing secret.
import type { FastifyPluginAsync } from 'fastify';

const portalConfig: FastifyPluginAsync = async (app) => {
  app.get('/portal-config', { config: { public: true }, schema: { hide: true } }, async () => {
    const { config } = app.deps;
    return {
      embedded: config.embedded,
      simulatorUrl: config.embedded ? config.sage.authBaseUrl.replace(/\/$/, '') : null,
      simulatorCredentialsUrl: config.embedded
        ? `${config.sage.authBaseUrl.replace(/\/$/, '')}/_sim/credentials`
        : null,
      publicUrl: config.publicUrl,
    };
  });
};

export default portalConfig;
