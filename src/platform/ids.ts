// Identifiers and clock helpers shared by the platform repositories.
import { randomUUID } from 'node:crypto';

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
export const newId = (): string => randomUUID();
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
