import { redactSecrets } from './secret-redaction.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const levels: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Field names whose values never reach a log line, whatever a caller passes. */
const secretField = /authorization|api[-_]?key|secret|password|token|^key$/i;

function scrub(fields: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (secretField.test(name)) result[name] = '[redacted]';
    else if (value instanceof Error) result[name] = { name: value.name, message: value.message, stack: value.stack };
    else result[name] = value;
  }
  return result;
}

/** Structured JSON lines on stderr (stdout stays free for command output), with every known credential redacted. */
export function createLogger(minimum: LogLevel = 'info', write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const floor = levels[minimum];
  const log = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (levels[level] < floor) return;
    write(`${redactSecrets(JSON.stringify({ time: new Date().toISOString(), level, message, ...(fields ? scrub(fields) : {}) }))}\n`);
  };
  return {
    debug: (message, fields) => log('debug', message, fields),
    info: (message, fields) => log('info', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    error: (message, fields) => log('error', message, fields),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
