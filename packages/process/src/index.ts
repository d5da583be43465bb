// Public API of @fullon/process.
export {};
