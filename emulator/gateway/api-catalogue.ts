/**
 * What a service's wire API serves, as its api.ts declares it: the reference page's list of
 * APIs is generated from these (emulator/catalogue.ts), so page and code cannot drift.
 */
export interface ApiCatalogue {
  /** The service as AWS names it, e.g. "CloudWatch Logs". */
  service: string;
  /** AWS's protocol for it, e.g. "JSON 1.1 (X-Amz-Target Logs_20140328.*)". */
  protocol: string;
  /** The API actions served, in AWS's names. */
  actions: readonly string[];
}
