import type { AnyEnvelope } from '#contracts/envelope';
import { anyEnvelope } from '#contracts/envelope';

/** A body that parsed as an envelope: the checked view and the JSON object it came from. */
export interface PeekedEnvelope {
  /** The envelope as {@link anyEnvelope} reads it (`reschedules` defaulted to 0). */
  envelope: AnyEnvelope;
  /** The body's own JSON object, untouched, for rewriting without losing unknown fields. */
  json: Record<string, unknown>;
}

/**
 * Reads a message body as an envelope without checking its payload; undefined when the body is
 * not JSON or not an envelope (ingest's queue carries raw EventBridge events). Never throws: the
 * retry ladder must route a message whatever its body holds.
 */
export const peekEnvelope = (body: string): PeekedEnvelope | undefined => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const result = anyEnvelope.safeParse(json);
  return result.success ? { envelope: result.data, json: json as Record<string, unknown> } : undefined;
};
