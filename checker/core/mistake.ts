/**
 * A session's catalogue of typical mistakes (`checker/sessions/session-N/mistakes.ts`): each
 * an edit of the reference solution that its check must catch, with its own words. One
 * harness (test/checker/session-harness.ts) runs every catalogue.
 */

/** Replace `find` (which must be there) with `replace` in `file`. */
export interface Edit {
  file: string;
  find: string;
  replace: string;
}

export interface Mistake {
  id: string;
  what: string;
  edits: Edit[];
  /**
   * The check `check` gets status `status` (✖ unless said otherwise) with a message
   * containing `says`; with `primary`, it is the report's first ✖ (what "Next step" names);
   * with `onlyTodo`, every ✖ of the report is told under that TODO (one cause, one place to
   * fix it).
   */
  expect: { check: string; says: string; status?: 'fail' | 'warn'; primary?: boolean; onlyTodo?: number };
}

/** A mistake judged without the local cloud's trace, as on AWS: the message must still name the fix. */
export interface TracelessMistake {
  mistake: string;
  check: string;
  hintSays: string;
}
