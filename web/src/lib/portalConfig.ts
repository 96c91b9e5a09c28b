import { useEffect, useState } from 'react';
import { api, publicJson } from '../api/client.ts';
import type { IntegrationSettings, PortalConfig } from '../api/types.ts';

// Where the embedded simulator listens, so the portal can say where the demo Sage credentials are.
// The server exposes it on /portal-config (preferred) or in /healthz; either may be absent (production).
let cached: Promise<PortalConfig> | null = null;

async function load(): Promise<PortalConfig> {
  const cfg = await publicJson<Record<string, unknown>>('/portal-config');
  if (cfg) return normalise(cfg);
  const health = normalise((await publicJson<Record<string, unknown>>('/healthz')) ?? {});
  if (health.simulatorUrl) return health;
  // Otherwise infer it: in the embedded mode the Sage ID base URL of the settings is the simulator, not Sage.
  const settings = await api<IntegrationSettings>('/integrations/jcrp/settings').catch(() => null);
  const auth = settings?.environments?.[settings.activeEnvironment ?? 'production']?.authBaseUrl;
  if (auth && !isRealSage(auth)) return { ...health, embedded: true, simulatorUrl: auth.replace(/\/$/, '') };
  return health;
}

function isRealSage(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'sage.com' || host.endsWith('.sage.com');
  } catch {
    return true;
  }
}

function normalise(raw: Record<string, unknown>): PortalConfig {
  const sim = raw.simulator;
  const simulatorUrl =
    (typeof raw.simulatorUrl === 'string' && raw.simulatorUrl) ||
    (typeof sim === 'string' && sim) ||
    (sim && typeof sim === 'object' && typeof (sim as { url?: unknown }).url === 'string'
      ? (sim as { url: string }).url
      : null) ||
    null;
  return {
    embedded: Boolean(raw.embedded ?? simulatorUrl),
    simulatorUrl,
    publicUrl: typeof raw.publicUrl === 'string' ? raw.publicUrl : undefined,
    version: typeof raw.version === 'string' ? raw.version : undefined,
  };
}

export function usePortalConfig(): PortalConfig | null {
  const [cfg, setCfg] = useState<PortalConfig | null>(null);
  useEffect(() => {
    cached ??= load();
    let live = true;
    cached.then((c) => live && setCfg(c));
    return () => {
      live = false;
    };
  }, []);
  return cfg;
}
