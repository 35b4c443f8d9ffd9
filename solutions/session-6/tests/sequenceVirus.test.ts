import { describe, it, expect } from 'vitest';
import { main as sequenceVirus } from '../functions/sequenceVirus/handler.ts';
import { main as measureStrength } from '../functions/measureStrength/handler.ts';

describe('sequenceVirus, then measureStrength (chained)', () => {
  it('sequences a sample into a genome', async () => {
    await expect(sequenceVirus({ virusId: 'v1', sample: 'gg-cc aatt.ag' })).resolves.toEqual({ virusId: 'v1', genome: 'GGCCAATTAG' });
  });

  it('refuses a sample with no genome in it', async () => {
    await expect(sequenceVirus({ virusId: 'v1', sample: '--' })).rejects.toMatchObject({ name: 'BadSample' });
  });

  it("measures the strength of the genome: sequenceVirus's output is measureStrength's input", async () => {
    const sequenced = await sequenceVirus({ virusId: 'v1', sample: 'GGGGGGGAAA' });
    await expect(measureStrength(sequenced)).resolves.toEqual({ virusId: 'v1', genome: 'GGGGGGGAAA', strength: 70 });
  });

  it('says so when its input has no genome (the output of the state before was kept aside)', async () => {
    await expect(measureStrength({ virusId: 'v1', sample: 'GG', sequenced: { genome: 'GG' } } as never)).rejects.toThrow(/No genome/);
  });
});
