/** The shape of an Amazon States Language definition, as the local cloud reads it. */
export type AslState = { Type: string } & Record<string, unknown>;

export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  TimeoutSeconds?: number;
  [field: string]: unknown;
}
