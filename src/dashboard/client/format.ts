/**
 * Numbers, names and times as the page shows them. The money and token formats are those of
 * src/render/format.ts (formatUsd, formatTokens, shortModel), restated here because the page
 * cannot import: it holds this function as source text.
 */
export function dashboardFormat(timeZone: string) {
  const clock = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit' });
  const clockSeconds = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const date = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });

  /** Rounded half-up, as formatUsd: 0.045 is $0.05 on the page as in /cost, not toFixed's $0.04. */
  function usd(v: number): string {
    const digits = v > 0 && v < 0.01 ? 4 : 2;
    const scale = 10 ** digits;
    return `$${(Math.round(v * scale + 1e-7) / scale).toFixed(digits)}`;
  }

  function tokens(n: number): string {
    if (n >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
    if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
    return n.toLocaleString('en-US');
  }

  function count(n: number): string {
    return n.toLocaleString('en-US');
  }

  function shortModel(model: string): string {
    return model.replace(/^claude-/, '').replace(/-\d{8}$/, '');
  }

  function esc(text: string | number | null | undefined): string {
    return String(text ?? '').replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
    );
  }

  function day(t: number): string {
    return date.format(t);
  }

  function time(t: number, seconds = false): string {
    return (seconds ? clockSeconds : clock).format(t);
  }

  /** "11-25 07:00": the year is in the page's header. */
  function when(t: number): string {
    return `${day(t).slice(5)} ${time(t)}`;
  }

  return { usd, tokens, count, shortModel, esc, day, time, when };
}

export type Format = ReturnType<typeof dashboardFormat>;
