/**
 * Model names arrive as the API, Bedrock, Vertex, LiteLLM or OpenRouter spell them. Pricing looks
 * them up in one canonical form: lower case, no provider prefix, no variant suffix, `-YYYYMMDD`.
 */

/** `us.anthropic.`, `eu.anthropic.`, `global.anthropic.`, `anthropic.` (Bedrock inference profiles). */
const BEDROCK_PREFIX = /^(?:[a-z-]+\.)?anthropic\./;
const ROUTER_PREFIXES = ['bedrock/', 'vertex_ai/', 'anthropic/'];
/** Bedrock's version suffix: `-v1:0`, `-v2`. */
const BEDROCK_SUFFIX = /-v\d+(?::\d+)?$/;
/** Claude Code's `[1m]` context marker and any other bracketed variant. */
const BRACKET_SUFFIX = /(?:\[[^\]]*\])+$/;
/** OpenRouter variants such as `:beta`, `:thinking`. */
const ROUTER_VARIANT = /:[a-z]+$/;
const DATE_SUFFIX = /-\d{8}$/;

export function normalizeModelName(raw: string): string {
  let name = raw.trim().toLowerCase();
  // A Bedrock ARN ends in the inference profile or model id.
  if (name.startsWith('arn:')) name = name.slice(name.lastIndexOf('/') + 1);
  name = name.replace(BRACKET_SUFFIX, '');
  for (let stripped = true; stripped; ) {
    stripped = false;
    for (const prefix of ROUTER_PREFIXES) {
      if (name.startsWith(prefix)) {
        name = name.slice(prefix.length);
        stripped = true;
      }
    }
    if (BEDROCK_PREFIX.test(name)) {
      name = name.replace(BEDROCK_PREFIX, '');
      stripped = true;
    }
  }
  name = name.replace(BEDROCK_SUFFIX, '').replace(ROUTER_VARIANT, '');
  // Vertex writes the date after `@`; any other `@tag` (e.g. `@default`) says nothing about price.
  name = name.replace(/@(\d{8})$/, '-$1').replace(/@.*$/, '');
  // OpenRouter spells versions with dots: claude-3.7-sonnet, claude-sonnet-4.5.
  return name.replace(/(\d)\.(?=\d)/g, '$1-');
}

/**
 * Claude Code's model aliases (`--model haiku`, `/model sonnet`, `"model": "opus"` in settings) and
 * the model each stands for on Anthropic's API in Claude Code 2.1.331. Checked 2026-12-06 by running
 * the pinned CLI with each alias against a loopback API and reading the model it requested (it
 * agrees with the `aliases` of the CLI's baked model catalog). `opusplan` runs Opus in plan mode
 * and Sonnet otherwise: Sonnet is what it runs for work. A `[1m]` variant is the same model with the
 * 1M-token context (normalizeModelName drops the marker). Bedrock, Vertex and gateways map some
 * aliases to older models; a transcript names the real model, so only typed names come here.
 */
const CLAUDE_CODE_ALIASES: Readonly<Record<string, string>> = {
  opus: 'claude-opus-5-5',
  best: 'claude-opus-5-5',
  sonnet: 'claude-sonnet-5-5',
  opusplan: 'claude-sonnet-5-5',
  haiku: 'claude-haiku-5-5',
  fable: 'claude-fable-5-2',
};
export const CLAUDE_CODE_ALIASES_VERSION = '2.1.331';

/** The model a Claude Code alias stands for; any other name is returned as it is. */
export function claudeCodeModelFor(name: string): string {
  const alias = normalizeModelName(name);
  return Object.hasOwn(CLAUDE_CODE_ALIASES, alias) ? CLAUDE_CODE_ALIASES[alias]! : name;
}

/** The names to try, best first: the normalised name, then without its `-YYYYMMDD` date. */
export function modelNameCandidates(raw: string): string[] {
  const exact = normalizeModelName(claudeCodeModelFor(raw));
  const undated = exact.replace(DATE_SUFFIX, '');
  return undated === exact ? [exact] : [exact, undated];
}

/**
 * The row a model name prices as, or undefined. Order: exact id, id without its date, an alias of
 * either. `has` answers whether a normalised id is a row (kept abstract so user overrides and the
 * built-in tables resolve the same way).
 */
export function resolveModelId(
  raw: string,
  has: (id: string) => boolean,
  aliases: Readonly<Record<string, string>> = {},
): string | undefined {
  const candidates = modelNameCandidates(raw);
  for (const id of candidates) if (has(id)) return id;
  for (const id of candidates) {
    const target = Object.hasOwn(aliases, id) ? aliases[id] : undefined;
    if (target !== undefined && has(target)) return target;
  }
  return undefined;
}
