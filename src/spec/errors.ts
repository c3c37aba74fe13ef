/**
 * A problem with the user's spec files or with a name they typed. The message is one line a
 * command can print as is (the CLI boundary catches it once and sets a non-zero exit code).
 */
export class SpecError extends Error {
  override readonly name = 'SpecError';
}
