import { useEffect, useState } from 'react';
import { publicJson } from '../api/client.ts';
import type { PortalConfig } from '../api/types.ts';

// Where the embedded simulator listens, so the portal can say where the demo Sage credentials are.
// The server exposes it on /portal-config (preferred) or in /healthz; either may be absent (production).
let cached: Promise<PortalConfig> | null = null;

async function load(): Promise<PortalConfig> {
  const cfg = await publicJson<Record<string, unknown>>('/portal-config');
  if (cfg) return normalise(cfg);
  const health = await publicJson<Record<string, unknown>>('/healthz');
  return normalise(health ?? {});
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
