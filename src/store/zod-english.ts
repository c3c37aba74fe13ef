/**
 * English messages for zod, imported by every module that defines schemas. This project uses
 * zod's tree-shakable build, `zod/mini` (functions such as `z.optional(s)` where classic zod
 * chains `s.optional()`): the same core, checks and messages, but a schema does not carry ~40
 * chained methods, and only the functions used are bundled. Classic zod cost the full bundle
 * ~190 KB and each load ~10 ms (its module and schemas took 15 ms to run from the code cache,
 * mini's 3.5): every command and every hook that loads the library paid it. Mini has no locale
 * until one is set, so its messages would read "Invalid input"; config and price-file errors
 * show them to users.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());
