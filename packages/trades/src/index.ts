// Public API of @fullon/trades.
export {};
