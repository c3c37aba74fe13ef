/**
 * A progress bar on stderr for cold scans: only on a terminal, only once a scan has taken a
 * moment, never with --json or when stdout is piped (so scripts see clean output).
 */
export function progressBar(
  enabled: boolean,
  label: string,
  delayMs = 400,
): { update(done: number, total: number): void; end(): void } {
  const started = Date.now();
  let shown = false;
  let lastDraw = 0;
  const stream = process.stderr;
  const active = enabled && Boolean(stream.isTTY) && Boolean(process.stdout.isTTY);
  return {
    update(done, total) {
      if (!active) return;
      const now = Date.now();
      if (now - started < delayMs || now - lastDraw < 80) return;
      lastDraw = now;
      shown = true;
      const width = 30;
      const share = total > 0 ? Math.min(1, done / total) : 0;
      const filled = Math.round(share * width);
      stream.write(
        `\r${label} [${'█'.repeat(filled)}${' '.repeat(width - filled)}] ${Math.round(share * 100)}% ${(done / 1048576).toFixed(0)}/${(total / 1048576).toFixed(0)} MiB`,
      );
    },
    end() {
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}
