import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram } from './program.js';
import { connectionHint } from './session.js';

const COMMANDS = [
  'ping',
  'health',
  'tickers',
  'orders',
  'queue',
  'trades',
  'balances',
  'positions',
  'blocks',
  'bots',
  'ohlcv',
  'processes',
  'clear',
];

/** Runs the program in-process up to its help, capturing what it writes. */
async function help(args: string[]): Promise<{ code: string; text: string }> {
  const program = createProgram();
  let text = '';
  const output = {
    writeOut: (s: string) => {
      text += s;
    },
    writeErr: (s: string) => {
      text += s;
    },
  };
  program.configureOutput(output);
  for (const command of program.commands) command.configureOutput(output);
  try {
    await program.parseAsync(['node', 'fullon-cache', ...args]);
  } catch (error) {
    if (error instanceof CommanderError) return { code: error.code, text };
    throw error;
  }
  return { code: 'none', text };
}

describe('the program', () => {
  it('has every command of the issue, each with --help and --json', async () => {
    expect(createProgram().commands.map((c) => c.name())).toEqual(COMMANDS);
    for (const name of COMMANDS) {
      const { code, text } = await help([name, '--help']);
      expect(code).toBe('commander.helpDisplayed');
      expect(text).toContain(`Usage: fullon-cache ${name}`);
      expect(text).toContain('--json');
      expect(text).toContain('--url <url>');
    }
  });
});

describe('the advice after a failed connect', () => {
  it('says how to point the CLI at a Redis, and that none is configured when none is', () => {
    expect(connectionHint(false)).toContain(
      'No Redis is configured and nothing answers on localhost:6379',
    );
    expect(connectionHint(false)).toContain('--url redis://host:6379');
    expect(connectionHint(false)).toContain('REDIS_URL');
    expect(connectionHint(true)).not.toContain('No Redis is configured');
  });
});
