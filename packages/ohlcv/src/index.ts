// Public API of @fullon/ohlcv.
export {};
