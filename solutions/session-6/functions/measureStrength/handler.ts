import { BadSample, strengthOf } from '../../lib/lab.ts';
import type { Sequenced } from '../sequenceVirus/handler.ts';

export interface Measured extends Sequenced {
  /** 0 to 100: the HowStrong Choice branches on it. */
  strength: number;
}

/** The MeasureStrength state: it needs the genome SequenceVirus found, so it runs after it. */
export const main = async (input: Sequenced): Promise<Measured> => {
  if (typeof input.genome !== 'string') {
    // The most common reason: the state before kept its output aside (ResultPath) instead of passing it on.
    throw new BadSample(`No genome in the input of MeasureStrength (${JSON.stringify(input).slice(0, 200)}): its input is SequenceVirus's output.`);
  }
  return { virusId: input.virusId, genome: input.genome, strength: strengthOf(input.genome) };
};
