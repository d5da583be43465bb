// Public API of @fullon/account.
export {};
