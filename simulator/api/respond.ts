// Sends an API answer through the fault switches: added latency, a 5xx instead of the answer, a body cut in half
// (the connection then closes), or a dropped connection with no answer at all.
import type { FastifyReply } from 'fastify';
import type { FaultDecision } from './limits.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function respond(
  reply: FastifyReply,
  status: number,
  body: unknown,
  fault: FaultDecision,
  headers: Record<string, string> = {},
): Promise<FastifyReply> {
  if (fault.latencyMs > 0) await sleep(fault.latencyMs);
  if (fault.kind === 'drop') {
    reply.hijack();
    reply.raw.socket?.destroy();
    return reply;
  }
  if (fault.kind === 'error') {
    const s = fault.status;
    const payload =
      s === 500
        ? { Message: 'An error has occurred.' }
        : { statusCode: s, message: `Simulated upstream failure (${s}).` };
    return reply.code(s).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(payload));
  }
  const text = body === undefined ? '' : JSON.stringify(body);
  if (fault.kind === 'truncate' && text.length > 1) {
    const buf = Buffer.from(text);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(status, {
      ...headers,
      'content-type': 'application/json; charset=utf-8',
      'content-length': buf.length,
    });
    raw.write(buf.subarray(0, Math.floor(buf.length / 2)), () => raw.socket?.destroy());
    return reply;
  }
  reply.code(status).headers(headers);
  if (body === undefined) return reply.send('');
  return reply.header('content-type', 'application/json; charset=utf-8').send(text);
}
