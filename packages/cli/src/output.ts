import Table from 'cli-table3';

/** Where a command writes, and how: tables with or without colour, or JSON. */
export interface Output {
  /** `--json`: one JSON document (or one object per line with `--watch`). */
  readonly json: boolean;
  /** ANSI colour: only on a TTY, never with `NO_COLOR` or `--json`. */
  readonly color: boolean;
  /** Whether stdout is a terminal (a watch then redraws in place). */
  readonly tty: boolean;
  /** Writes text to stdout. */
  write(text: string): void;
}

/** Colours the CLI uses. */
export type Paint = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';

const CODES: Record<Paint, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
};

/**
 * Builds the output of one run.
 * @param json - Whether `--json` was given.
 * @param stream - stdout. Defaults to `process.stdout`.
 * @param env - Environment (for `NO_COLOR`). Defaults to `process.env`.
 * @returns The output.
 */
export function createOutput(
  json: boolean,
  stream: NodeJS.WriteStream = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): Output {
  const tty = stream.isTTY === true;
  const noColor = (env.NO_COLOR ?? '') !== '';
  return {
    json,
    tty,
    color: tty && !noColor && !json,
    write: (text) => {
      stream.write(text);
    },
  };
}

/**
 * Wraps text in an ANSI style when the output has colour.
 * @param out - The output.
 * @param style - The style.
 * @param text - The text.
 * @returns The text, styled or as is.
 */
export function paint(out: Output, style: Paint, text: string): string {
  if (!out.color) return text;
  const [on, off] = CODES[style];
  return `\u001b[${on}m${text}\u001b[${off}m`;
}

/**
 * Renders an aligned table (cli-table3); the header is bold when the output has colour.
 * @param out - The output.
 * @param head - Column names.
 * @param rows - Cells, already formatted.
 * @returns The table text, ending with a newline.
 */
export function table(out: Output, head: readonly string[], rows: readonly string[][]): string {
  const t = new Table({
    head: head.map((h) => paint(out, 'bold', h)),
    style: { head: [], border: [] },
    // No rule between body rows: a long listing stays readable.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  t.push(...rows.map((row) => [...row]));
  return `${t.toString()}\n`;
}

/**
 * Prints one JSON document (pretty) or one line (compact, for `--watch`).
 * @param out - The output.
 * @param value - The value.
 * @param line - One line, for streams.
 */
export function printJson(out: Output, value: unknown, line = false): void {
  out.write(`${line ? JSON.stringify(value) : JSON.stringify(value, null, 2)}\n`);
}

/**
 * A duration for people: `3 s`, `12 min`, `5 h`, `2 d`.
 * @param ms - Milliseconds (negative values count as 0).
 * @returns The duration.
 */
export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 120) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h`;
  return `${Math.floor(h / 24)} d`;
}

/**
 * How long ago a time was: `3 s ago`.
 * @param time - Epoch ms.
 * @param now - Epoch ms. Defaults to now.
 * @returns The age.
 */
export function ago(time: number, now: number = Date.now()): string {
  return `${duration(now - time)} ago`;
}

/**
 * A cell for an optional number.
 * @param value - The number, or `undefined`.
 * @returns Its text, or `-`.
 */
export function num(value: number | undefined | null): string {
  return value === undefined || value === null ? '-' : String(value);
}
