import { HeraldError } from '#shared/errors';

/** Base of the local stack's errors (emulator, bootstrap, local runtime, local scheduler). */
export class LocalStackError extends HeraldError {
  override name = 'LocalStackError';
}

/** The emulator could not be installed, started, reached or reset. */
export class EmulatorError extends LocalStackError {
  override name = 'EmulatorError';
  /** Endpoint concerned, when there is one (`http://127.0.0.1:PORT`). */
  readonly endpoint: string | undefined;

  constructor(message: string, options?: { cause?: unknown; endpoint?: string | undefined }) {
    super(message, options);
    this.endpoint = options?.endpoint;
  }
}

/** Creating or updating a resource of the topology in the emulator failed. */
export class BootstrapError extends LocalStackError {
  override name = 'BootstrapError';
  /** Name of the resource that failed (queue, table, secret...). */
  readonly resource: string;

  constructor(resource: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.resource = resource;
  }
}

/** A schedule the local scheduler cannot fire (unsupported expression, bad target). */
export class LocalScheduleError extends LocalStackError {
  override name = 'LocalScheduleError';
  /** Schedule name. */
  readonly scheduleName: string;

  constructor(scheduleName: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.scheduleName = scheduleName;
  }
}
