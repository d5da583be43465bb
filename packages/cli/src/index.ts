// Public API of @fullon/cli: the program behind the `fullon-cache` executable, for embedding
// it (or testing it) without a child process.
export { ExitCode, main } from './main.js';
export { createProgram } from './program.js';
export { connectionHint, NO_REDIS_HINT } from './session.js';
