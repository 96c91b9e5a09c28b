// A typed in-process event bus for platform facts other modules react to (sync fetches on first link, webhooks
// notify consumers). Created by the Link/connector helper; subscribers: sync and webhooks.
//
// Wiring: `serve`/tests create one bus per process with createEventBus() and pass it as `services.events`; code
// that has no services at hand may use `defaultEventBus`. Handlers run after the fact is committed; a failing
// handler is logged and never undoes or blocks the emitter.
import type { Logger } from 'pino';

export interface ConnectionEventBase {
  tenantId: string;
  companyId: string;
  connectionId: string;
  platformKey: string;
}

export interface PlatformEvents {
  /** a connection became Linked (first link, or re-link of a Deauthorized/Unlinked/PendingAuth one: same id) */
  connectionLinked: ConnectionEventBase & {
    relinked: boolean;
    connectionInfo: Record<string, unknown>;
  };
  /** access was lost (invalid_grant on refresh): the user must re-link via linkUrl */
  connectionDeauthorized: ConnectionEventBase & { reason: string };
}

export type EventName = keyof PlatformEvents;
export type Handler<E extends EventName> = (payload: PlatformEvents[E]) => void | Promise<void>;

export interface EventBus {
  /** subscribe; returns an unsubscribe function */
  on<E extends EventName>(event: E, handler: Handler<E>): () => void;
  /** runs every handler (concurrently) and resolves when all settled; never rejects */
  emit<E extends EventName>(event: E, payload: PlatformEvents[E]): Promise<void>;
}

export function createEventBus(logger?: Pick<Logger, 'error'>): EventBus {
  const handlers = new Map<EventName, Set<Handler<EventName>>>();
  return {
    on(event, handler) {
      const set = handlers.get(event) ?? new Set();
      handlers.set(event, set);
      set.add(handler as Handler<EventName>);
      return () => set.delete(handler as Handler<EventName>);
    },
    async emit(event, payload) {
      const list = [...(handlers.get(event) ?? [])];
      const results = await Promise.allSettled(list.map(async (h) => h(payload)));
      for (const r of results) {
        if (r.status === 'rejected') {
          logger?.error({ err: r.reason, event, connectionId: payload.connectionId }, 'event handler failed');
        }
      }
    },
  };
}

/** The process-wide bus for code paths without injected services (CLI workers). Prefer `services.events`. */
export const defaultEventBus: EventBus = createEventBus();

/** The bus among a server's services, or the process default. */
export function eventsOf(services: Record<string, unknown> | undefined): EventBus {
  const bus = services?.events as EventBus | undefined;
  return bus && typeof bus.emit === 'function' ? bus : defaultEventBus;
}
