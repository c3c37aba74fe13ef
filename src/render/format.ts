import { normalizeModelName } from '../pricing/model-name.js';

/** Numbers as people read them in a terminal: full counts up to a million, then 1.23M. */
export function formatTokens(n: number): string {
  if (n >= 1_000_000_000) return `${(n / 1_000_000_000).toFixed(2)}B`;
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(2)}M`;
  return formatCount(n);
}

/**
 * Full digits with separators: what `✅ Task 1.1 completed (42,311 tokens, $0.09)` shows. Written
 * out, as toLocaleString('en-US') would (up to 3 decimals), without it: the first Intl number
 * format loads ICU data, ~20 ms of every report.
 */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  // Whole counts as they are: scaled by 1000, one past 2^53 / 1000 (9e12) would come back changed.
  const abs = Math.abs(n);
  const [whole, fraction] = (Number.isInteger(abs) ? abs : Math.round(abs * 1000) / 1000).toString().split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 && (whole !== '0' || fraction) ? '-' : ''}${grouped}${fraction ? `.${fraction}` : ''}`;
}

/** Dollars, rounded half-up (0.045 → $0.05, not the float artefact $0.04); small amounts keep 4 digits. */
export function formatUsd(usd: number | null, digits = 2): string {
  if (usd === null) return 'unpriced';
  if (usd > 0 && usd < 0.01 && digits === 2) digits = 4;
  const scale = 10 ** digits;
  return `$${(Math.round(usd * scale + 1e-7) / scale).toFixed(digits)}`;
}

/** claude-sonnet-4-5-20250929 → sonnet-4-5: model names short enough for an 80-column table. */
export function shortModel(model: string): string {
  return normalizeModelName(model)
    .replace(/^claude-/, '')
    .replace(/-\d{8}$/, '');
}

export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes}m`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
}
