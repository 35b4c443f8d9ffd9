/** The part of asl-validator (which ships no types) that definition.ts uses. */
declare module 'asl-validator' {
  interface AslValidatorError {
    'Error code': string;
    Message: string;
  }
  function aslValidator(
    definition: unknown,
    options?: { checkArn?: boolean; checkPaths?: boolean },
  ): { isValid: boolean; errors: AslValidatorError[]; errorsText(separator?: string): string };
  export default aslValidator;
}
