/**
 * DynamoDB's wire format (`{ "id": { "S": "…" } }`), as the trace records writes, turned into
 * plain values. Only what a virus item can hold matters here; sets become arrays.
 */
export interface AttributeValue {
  S?: string;
  N?: string;
  BOOL?: boolean;
  NULL?: boolean;
  M?: Record<string, AttributeValue>;
  L?: AttributeValue[];
  SS?: string[];
  NS?: string[];
}

export function plainValue(av: AttributeValue | undefined): unknown {
  if (!av || typeof av !== 'object') return undefined;
  if (av.S !== undefined) return av.S;
  if (av.N !== undefined) return Number(av.N);
  if (av.BOOL !== undefined) return av.BOOL;
  if (av.NULL) return null;
  if (av.M) return plainItem(av.M);
  if (av.L) return av.L.map(plainValue);
  if (av.SS) return [...av.SS];
  if (av.NS) return av.NS.map(Number);
  return undefined;
}

export function plainItem(item: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!item || typeof item !== 'object') return out;
  for (const [k, v] of Object.entries(item as Record<string, AttributeValue>)) out[k] = plainValue(v);
  return out;
}
