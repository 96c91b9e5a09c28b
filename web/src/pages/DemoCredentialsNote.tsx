import { usePortalConfig } from '../lib/portalConfig.ts';
import { Callout } from '../ui/Misc.tsx';

/** In the embedded mode, tell the user where the simulator's demo Sage credentials are. */
export function DemoCredentialsNote() {
  const cfg = usePortalConfig();
  if (!cfg?.simulatorUrl) return null;
  const url = `${cfg.simulatorUrl.replace(/\/$/, '')}/_sim/credentials`;
  return (
    <Callout tone="info" title="Demo mode: Sage 200 simulator">
      <p>
        This server runs the built-in Sage 200 simulator instead of Sage. Its demo Client ID, Client secret,
        Subscription key and Sage ID users are listed at{' '}
        <a href={url} target="_blank" rel="noreferrer">
          {url}
        </a>{' '}
        (also printed by <code>npm start</code>).
      </p>
    </Callout>
  );
}
