// The connectors Ledgerlink offers. Each entry loads its module lazily, so listing integrations or serving the API
// does not load every connector's readers. A second accounting platform is one more entry here plus its folder.
import type { Connector, DataTypeSupport } from './connector.ts';

export interface ConnectorDescriptor {
  platformKey: string;
  name: string;
  sourceType: Connector['sourceType'];
  /** stable ids shown in the Integration and Connection resources (Codat gives each integration a uuid) */
  integrationId: string;
  sourceId: string;
  logoUrl: string;
  isBeta: boolean;
  load: () => Promise<Connector>;
}

const DESCRIPTORS: ConnectorDescriptor[] = [
  {
    platformKey: 'jcrp',
    name: 'Sage 200cloud',
    sourceType: 'Accounting',
    integrationId: 'a2b4c6d8-2000-4c1d-9e00-000000000200',
    sourceId: 'b3c5d7e9-2000-4d2e-8f00-000000000200',
    logoUrl: '/portal/logos/sage200.svg',
    isBeta: false,
    load: async () => (await import('./sage200/index.ts')).sage200Connector,
  },
];

const loaded = new Map<string, Promise<Connector>>();

export function getDescriptor(platformKey: string): ConnectorDescriptor | undefined {
  return DESCRIPTORS.find((d) => d.platformKey.toLowerCase() === platformKey.toLowerCase());
}

export function listDescriptors(): ConnectorDescriptor[] {
  return [...DESCRIPTORS];
}

/** The connector for a platform key (loaded once), or undefined for an unknown key. */
export async function getConnector(platformKey: string): Promise<Connector | undefined> {
  const d = getDescriptor(platformKey);
  if (!d) return undefined;
  let p = loaded.get(d.platformKey);
  if (!p) {
    p = d.load();
    loaded.set(d.platformKey, p);
    p.catch(() => loaded.delete(d.platformKey));
  }
  return p;
}

export async function listConnectors(): Promise<Connector[]> {
  return Promise.all(DESCRIPTORS.map((d) => getConnector(d.platformKey) as Promise<Connector>));
}

/** The data types a platform supports; empty when its module cannot be loaded (reported by the caller). */
export async function dataTypesOf(platformKey: string): Promise<DataTypeSupport[]> {
  try {
    return (await getConnector(platformKey))?.dataTypes ?? [];
  } catch {
    return [];
  }
}
