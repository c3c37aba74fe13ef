import type * as ChildProcess from 'node:child_process';
import type * as Http from 'node:http';

/**
 * Built-in modules only a few commands use (git and claude for `pr` and `install`, the demo's
 * processes, the dashboard's server), loaded when first asked for: required at the bundle's start,
 * they cost every hook that loads it and every command ~4 ms.
 */
export const childProcess = (): typeof ChildProcess => require('node:child_process') as typeof ChildProcess;

export const http = (): typeof Http => require('node:http') as typeof Http;
