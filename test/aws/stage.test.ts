import { describe, expect, it } from 'vitest';
import {
  MAX_STAGE_LENGTH,
  resolveStage,
  slugify,
  stageFromIdentity,
  validateStage,
} from '../../checker/aws/stage.ts';

describe("the learner's stage", () => {
  it('comes from the git email: a slug of its local part and a short hash, stable', () => {
    const stage = stageFromIdentity({ email: 'Jane.Doe+dojo@Example.com', name: 'Jane Doe' });
    // Cut to fit 16 characters with the hash.
    expect(stage).toMatch(/^jane-doe-do-[0-9a-f]{4}$/);
    expect(stage!.length).toBeLessThanOrEqual(MAX_STAGE_LENGTH);
    expect(stageFromIdentity({ email: 'jane.doe+dojo@example.com' })).toBe(stage);
    // Two Janes at different companies get different stages.
    expect(stageFromIdentity({ email: 'jane@a.example' })).not.toBe(
      stageFromIdentity({ email: 'jane@b.example' }),
    );
  });

  it('falls back on the name, and is always a valid stage', () => {
    for (const identity of [
      { name: 'José Müller' },
      { name: '李雷' },
      { email: '42@example.com' },
      { email: 'local@example.com' },
      { name: 'A'.repeat(80) },
    ]) {
      const stage = stageFromIdentity(identity)!;
      expect(() => validateStage(stage), `${JSON.stringify(identity)} → ${stage}`).not.toThrow();
    }
    expect(stageFromIdentity({ name: 'José Müller' })).toMatch(/^jose-muller-[0-9a-f]{4}$/);
    expect(stageFromIdentity({})).toBeUndefined();
  });

  it('from --stage is checked, and never "local"', () => {
    expect(resolveStage('jane', () => ({}))).toBe('jane');
    expect(() => resolveStage('local', () => ({}))).toThrow(/belongs to the local cloud/);
    expect(() => resolveStage('Jane_D', () => ({}))).toThrow(/lowercase letters, digits and single hyphens/);
    expect(() => resolveStage('a'.repeat(17), () => ({}))).toThrow(/keep it to 16/);
    expect(() => resolveStage(undefined, () => ({}))).toThrow(/git config --global user.email/);
  });

  it('slugifies to [a-z0-9-]', () => {
    expect(slugify('  Ünïcödé -- Name!! ')).toBe('unicode-name');
  });
});
