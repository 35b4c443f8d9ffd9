import { BadSample, sequence } from '../../lib/lab.ts';

export interface SampleInput {
  virusId: string;
  /** Letters of a genome as they came from the board: any case, with noise. */
  sample: string;
}

export interface Sequenced {
  virusId: string;
  genome: string;
}

/** The SequenceVirus state: a sample in, a clean genome out. Its output is MeasureStrength's input. */
export const main = async (input: SampleInput): Promise<Sequenced> => {
  const genome = sequence(String(input.sample ?? ''));
  if (!genome) throw new BadSample(`The sample of ${input.virusId} has no A, C, G or T in it.`);
  return { virusId: input.virusId, genome };
};
