// Public API of @fullon/bot.
export {};
