// Public API of @fullon/cache.
export {};
