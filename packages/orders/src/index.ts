// Public API of @fullon/orders.
export {};
