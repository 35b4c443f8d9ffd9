/**
 * The virus lab: what its Lambdas know about samples, genomes and cultures. Everything here
 * is deterministic, so that a state machine's path depends only on its input.
 */

/** A genome: the letters A, C, G and T of a sample, in capitals; anything else in the sample is noise. */
export function sequence(sample: string): string {
  return sample.toUpperCase().replace(/[^ACGT]/g, '');
}

/** How strong a virus is, 0 to 100: the share of G and C in its genome, in percent, rounded. */
export function strengthOf(genome: string): number {
  if (genome.length === 0) return 0;
  const gc = [...genome].filter((base) => base === 'G' || base === 'C').length;
  return Math.round((100 * gc) / genome.length);
}

/**
 * A culture that did not grow. Its `name` is the error Step Functions sees (`Error` in the
 * history), the name a Retry or a Catch lists in `ErrorEquals`.
 */
export class CultureContaminated extends Error {
  override name = 'CultureContaminated';
}

/** A sample the lab cannot work with. */
export class BadSample extends Error {
  override name = 'BadSample';
}
