// Public API of @fullon/cli.
export {};
