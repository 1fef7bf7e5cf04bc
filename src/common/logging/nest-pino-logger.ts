import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

/** Routes Nest's own log calls into the process's pino logger. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
  }
  /** An object message keeps its fields (an `err` stays an error with its stack, not `{}`). */
  error(message: unknown, trace?: string, context?: string): void {
    if (typeof message === 'string') this.logger.error({ context, trace }, message);
    else this.logger.error({ context, ...(message as object) }, trace);
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }

  private write(level: 'info' | 'warn' | 'debug' | 'trace', message: unknown, context?: string): void {
    if (typeof message === 'string') this.logger[level]({ context }, message);
    else this.logger[level]({ context, ...(message as object) });
  }
}
