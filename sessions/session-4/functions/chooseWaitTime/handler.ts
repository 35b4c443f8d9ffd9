/** A whole number of seconds, from 1 to 60 (both included), every value as likely as the others. */
export function chooseWaitTime(): number {
  // TODO 5: return a random whole number from 1 to 60, both included (Math.random() and Math.floor()).
  return 1;
}

/** The ChooseWaitTime state: its output becomes WaitXSeconds's input (read through `$.numberOfSeconds`). */
export const main = async (): Promise<{ numberOfSeconds: number }> => {
  return { numberOfSeconds: chooseWaitTime() };
};
