/** A whole number of seconds, from 1 to 60 (both included), every value as likely as the others. */
export function chooseWaitTime(): number {
  // Math.random() is in [0, 1): times 60 is in [0, 60), floored 0..59, plus one 1..60.
  return 1 + Math.floor(Math.random() * 60);
}

/** The ChooseWaitTime state: its output becomes WaitXSeconds's input (read through `$.numberOfSeconds`). */
export const main = async (): Promise<{ numberOfSeconds: number }> => {
  return { numberOfSeconds: chooseWaitTime() };
};
