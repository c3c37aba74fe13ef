/**
 * A reader that stops early (`spec-session cost --json | head`) closes the pipe: that ends the
 * output, quietly, with the exit code so far, instead of an EPIPE stack trace.
 */
export function endQuietlyOnClosedPipe(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}
