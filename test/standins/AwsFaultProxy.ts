import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createLoopbackForwarder } from '#local/loopbackForwarder';
import {
  type AnswerLostFault,
  applyFault,
  describeFault,
  FaultInjector,
  type StatusFault,
} from './faults.ts';
import { readBuffer, startLoopbackServer } from './loopbackServer.ts';
import { RequestLog } from './RequestLog.ts';

/**
 * How an AWS service's API is spoken on the wire: `json` is awsJson1_0/1_1 (POST `/` with an
 * `X-Amz-Target` header naming the operation); `rest-json` is restJson1 (the operation is the
 * method and path).
 */
export type AwsProtocol = 'json' | 'rest-json';

/** An AWS operation as the proxy recognises it from a request. */
export interface AwsOperation {
  /** Service name as used in routes: `SESv2`, `Scheduler`, `SQS`, `DynamoDB`, `EventBridge`, `SecretsManager`. */
  service: string;
  /** Operation name as in the API reference: `SendEmail`, `CreateSchedule`, `PutItem`; `Unknown` when not recognised. */
  operation: string;
  /** `<service>.<operation>`, e.g. `SESv2.SendEmail`: the route used by faults, counters and the request log. */
  route: string;
  protocol: AwsProtocol;
}

/** `X-Amz-Target` prefixes (before the dot) of the JSON-protocol services the pipeline uses. */
const TARGET_SERVICES: Readonly<Record<string, string>> = {
  AmazonSQS: 'SQS',
  DynamoDB_20120810: 'DynamoDB',
  AWSEvents: 'EventBridge',
  secretsmanager: 'SecretsManager',
};

/** REST routes: method, path pattern, operation. The first match wins. */
const REST_ROUTES: ReadonlyArray<{ service: string; method: string; path: RegExp; operation: string }> = [
  { service: 'SESv2', method: 'POST', path: /^\/v2\/email\/outbound-emails$/, operation: 'SendEmail' },
  {
    service: 'SESv2',
    method: 'POST',
    path: /^\/v2\/email\/outbound-bulk-emails$/,
    operation: 'SendBulkEmail',
  },
  { service: 'SESv2', method: 'POST', path: /^\/v2\/email\/identities$/, operation: 'CreateEmailIdentity' },
  { service: 'SESv2', method: 'GET', path: /^\/v2\/email\/identities$/, operation: 'ListEmailIdentities' },
  {
    service: 'SESv2',
    method: 'GET',
    path: /^\/v2\/email\/identities\/[^/]+$/,
    operation: 'GetEmailIdentity',
  },
  {
    service: 'SESv2',
    method: 'DELETE',
    path: /^\/v2\/email\/identities\/[^/]+$/,
    operation: 'DeleteEmailIdentity',
  },
  { service: 'SESv2', method: 'GET', path: /^\/v2\/email\/account$/, operation: 'GetAccount' },
  {
    service: 'SESv2',
    method: 'POST',
    path: /^\/v2\/email\/configuration-sets$/,
    operation: 'CreateConfigurationSet',
  },
  {
    service: 'SESv2',
    method: 'GET',
    path: /^\/v2\/email\/configuration-sets\/[^/]+$/,
    operation: 'GetConfigurationSet',
  },
  {
    service: 'SESv2',
    method: 'PUT',
    path: /^\/v2\/email\/suppression\/addresses$/,
    operation: 'PutSuppressedDestination',
  },
  {
    service: 'SESv2',
    method: 'GET',
    path: /^\/v2\/email\/suppression\/addresses\/[^/]+$/,
    operation: 'GetSuppressedDestination',
  },
  { service: 'Scheduler', method: 'GET', path: /^\/schedules$/, operation: 'ListSchedules' },
  { service: 'Scheduler', method: 'POST', path: /^\/schedules\/[^/]+$/, operation: 'CreateSchedule' },
  { service: 'Scheduler', method: 'GET', path: /^\/schedules\/[^/]+$/, operation: 'GetSchedule' },
  { service: 'Scheduler', method: 'PUT', path: /^\/schedules\/[^/]+$/, operation: 'UpdateSchedule' },
  { service: 'Scheduler', method: 'DELETE', path: /^\/schedules\/[^/]+$/, operation: 'DeleteSchedule' },
  { service: 'Scheduler', method: 'GET', path: /^\/schedule-groups$/, operation: 'ListScheduleGroups' },
  {
    service: 'Scheduler',
    method: 'POST',
    path: /^\/schedule-groups\/[^/]+$/,
    operation: 'CreateScheduleGroup',
  },
  { service: 'Scheduler', method: 'GET', path: /^\/schedule-groups\/[^/]+$/, operation: 'GetScheduleGroup' },
  {
    service: 'Scheduler',
    method: 'DELETE',
    path: /^\/schedule-groups\/[^/]+$/,
    operation: 'DeleteScheduleGroup',
  },
  { service: 'Scheduler', method: 'GET', path: /^\/tags\/.+$/, operation: 'ListTagsForResource' },
  { service: 'Scheduler', method: 'POST', path: /^\/tags\/.+$/, operation: 'TagResource' },
  { service: 'Scheduler', method: 'DELETE', path: /^\/tags\/.+$/, operation: 'UntagResource' },
];

/** Default hold of an `answerLost: 'hang'` fault, ms: beyond any client request timeout here. */
const DEFAULT_HOLD_MS = 30_000;

const headerValue = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * The AWS operation of a request: JSON-protocol services by their `X-Amz-Target` header
 * (`AmazonSQS.SendMessage` → `SQS.SendMessage`); SES v2 and Scheduler (REST) by method and path
 * (`POST /v2/email/outbound-emails` → `SESv2.SendEmail`). Anything else is
 * `<service>.Unknown` (`Unknown.Unknown` when not even the service is known).
 * @param path the path without the query string.
 */
export const awsOperationOf = (method: string, path: string, headers: IncomingHttpHeaders): AwsOperation => {
  const target = headerValue(headers, 'x-amz-target');
  if (target !== undefined) {
    const dot = target.indexOf('.');
    const prefix = dot >= 0 ? target.slice(0, dot) : target;
    const service = TARGET_SERVICES[prefix] ?? prefix;
    const operation = dot >= 0 ? target.slice(dot + 1) : 'Unknown';
    return { service, operation, route: `${service}.${operation}`, protocol: 'json' };
  }
  const upper = method.toUpperCase();
  const rest = REST_ROUTES.find((r) => r.method === upper && r.path.test(path));
  if (rest) {
    return {
      service: rest.service,
      operation: rest.operation,
      route: `${rest.service}.${rest.operation}`,
      protocol: 'rest-json',
    };
  }
  const service = path.startsWith('/v2/email/')
    ? 'SESv2'
    : /^\/(schedules|schedule-groups|tags)(\/|$)/.test(path)
      ? 'Scheduler'
      : 'Unknown';
  return { service, operation: 'Unknown', route: `${service}.Unknown`, protocol: 'rest-json' };
};

/** Options of {@link awsErrorFault}. */
export interface AwsErrorFaultOptions {
  /** HTTP status. Default 400 (429 for `TooManyRequestsException`, 500/503 for server-side codes). */
  status?: number;
  /** Error message. Default a short text naming the code. */
  message?: string;
  /** Sent as `Retry-After`, seconds. Default none (AWS services rarely send it). */
  retryAfterSeconds?: number;
}

const SERVER_CODES: Readonly<Record<string, number>> = {
  InternalFailure: 500,
  InternalServerException: 500,
  InternalServerError: 500,
  ServiceUnavailable: 503,
  ServiceUnavailableException: 503,
};

/**
 * A status fault that answers like an AWS service refusing the request with `code`: header
 * `x-amzn-ErrorType: <code>` and JSON body `{"message": ...}` (the proxy adds `"__type": "<code>"`
 * for awsJson services). The AWS SDK v3 deserializers take the code from that header (restJson1:
 * SES v2, Scheduler) or from `__type` (awsJson: SQS, DynamoDB, EventBridge, Secrets Manager) and
 * the message from the body, so the calling code sees the service's modelled exception
 * (`TooManyRequestsException`, `ProvisionedThroughputExceededException`...), or a ServiceException
 * of that name when the operation does not model it.
 */
export const awsErrorFault = (code: string, options: AwsErrorFaultOptions = {}): StatusFault => {
  const status = options.status ?? (code === 'TooManyRequestsException' ? 429 : (SERVER_CODES[code] ?? 400));
  return {
    status,
    headers: { 'x-amzn-errortype': code },
    body: { message: options.message ?? `${code} (injected by AwsFaultProxy)` },
    ...(options.retryAfterSeconds !== undefined ? { retryAfterSeconds: options.retryAfterSeconds } : {}),
  };
};

/**
 * SES v2 throttling as its API models it: HTTP 429, `x-amzn-ErrorType: TooManyRequestsException`,
 * body `{"message": "Maximum sending rate exceeded."}`; the SDK throws `TooManyRequestsException`.
 * (SES's guide also names a `ThrottlingException` with that message: build it with
 * `awsErrorFault('ThrottlingException', { message: 'Maximum sending rate exceeded.' })`.)
 */
export const sesThrottlingFault = (): StatusFault =>
  awsErrorFault('TooManyRequestsException', { status: 429, message: 'Maximum sending rate exceeded.' });

/** The error code a bare `{ status }` fault answers with, per service. */
const defaultCode = (service: string, status: number): string => {
  if (status === 429) return service === 'SESv2' ? 'TooManyRequestsException' : 'ThrottlingException';
  if (status === 503) return service === 'SQS' ? 'ServiceUnavailable' : 'ServiceUnavailableException';
  if (status >= 500) {
    if (service === 'SQS' || service === 'DynamoDB') return 'InternalFailure';
    return 'InternalServerException';
  }
  if (status === 404)
    return service === 'Scheduler' || service === 'SESv2' ? 'NotFoundException' : 'ResourceNotFoundException';
  if (status === 403) return 'AccessDeniedException';
  return service === 'SESv2' ? 'BadRequestException' : 'ValidationException';
};

/** Options of {@link startAwsFaultProxy}. */
export interface AwsFaultProxyOptions {
  /** The emulator to forward to, e.g. `http://127.0.0.1:5000` (loopback only). */
  target: string;
  /** Fault injector to use (share one with other stand-ins if you like); default a new one. */
  faults?: FaultInjector;
  /**
   * Forward one request at a time. moto's server is threaded and evaluates a DynamoDB condition
   * and its write without a lock, so two concurrent conditional writes to one item can both
   * succeed there; DynamoDB serialises writes per item. Tests of concurrent claims put this proxy
   * in front of DynamoDB so the emulator behaves as DynamoDB does. Default false.
   */
  serialize?: boolean;
}

/** A running AWS fault proxy. */
export interface AwsFaultProxy {
  /** `http://127.0.0.1:<port>`: the endpoint to give the SDK (`AWS_ENDPOINT_URL_<SERVICE>`). */
  url: string;
  /** Stops the proxy (drops open connections, ends pending delays). */
  close(): Promise<void>;
  /** Fault injector consulted before every request; match faults by route (`SESv2.SendEmail`). */
  faults: FaultInjector;
  /** Every request received (route `<service>.<operation>`, the fault injected, if any). */
  requests: RequestLog;
  /** Requests passed on to the emulator (delayed ones included), per route. */
  forwarded: RequestLog;
  /** Forgets the logs and faults (counters included). */
  reset(): void;
}

/**
 * Starts a loopback HTTP proxy in front of the AWS emulator (127.0.0.1, port 0). It forwards every
 * request unchanged (method, path, headers including `Host` and the signature, body) and streams
 * the emulator's answer back, except when its {@link FaultInjector} hands out a fault for the
 * request. Point one service of the handlers at it with the SDK's service-specific endpoint
 * variable, `AWS_ENDPOINT_URL_<SERVICE ID>` (`AWS_ENDPOINT_URL_SESV2`, `AWS_ENDPOINT_URL_DYNAMODB`,
 * ...; `startLocalHerald({ serviceEndpoints: { SESV2: proxy.url } })` sets it), while every other
 * service keeps talking to the emulator directly.
 *
 * Operations are recognised ({@link awsOperationOf}) and named `<service>.<operation>`: that name
 * is the `route` of fault matching, of {@link AwsFaultProxy.requests} and of the fault counters.
 *
 * Faults (the types of ./faults.ts):
 * - `{ status }`: answered the way the service refuses a request, so the real SDK raises the
 *   right exception: header `x-amzn-ErrorType` and body `{"message"}` (plus `"__type"` for awsJson
 *   services) with a default code per service and status (SES v2 429 → `TooManyRequestsException`, other 429 →
 *   `ThrottlingException`, 5xx → `InternalFailure`/`InternalServerException`/`ServiceUnavailable`...).
 *   Build a precise one with {@link awsErrorFault} (any code) or {@link sesThrottlingFault};
 *   `body`/`headers` given in a fault are sent as given (an awsJson body without `__type` gets one). `retryAfterSeconds` adds `Retry-After`.
 *   The request never reaches the emulator.
 * - `{ delayMs }`: waits, then forwards (pair with a client timeout for slow-service tests).
 * - `{ drop: true }`: destroys the connection before forwarding; the SDK sees a socket error and
 *   the emulator never sees the request (SesMailer counts it as an ambiguous outcome).
 * - `{ answerLost: 'drop' | 'hang' }`: forwards the request, waits for the emulator's whole answer
 *   (it did the work: SES accepted the email), then resets the connection at once (`drop`) or
 *   when the client times out (`hang`, at most `holdMs`): the "maybe accepted" outcome. It is in
 *   {@link AwsFaultProxy.forwarded}, with its fault.
 *
 * Usage (the chaos run does the same with `faults.chaos({ route: 'SESv2.SendEmail', rate, kinds, seed })`):
 * ```ts
 * const proxy = await startAwsFaultProxy({ target: emulator.endpoint });
 * const herald = await startLocalHerald({ ..., serviceEndpoints: { SESV2: proxy.url } });
 * proxy.faults.enqueue(sesThrottlingFault(), { route: 'SESv2.SendEmail', times: 2 });
 * // ... later
 * proxy.requests.count('SESv2.SendEmail'); // every SendEmail, faulted ones included
 * proxy.forwarded.count('SESv2.SendEmail'); // the ones the emulator got
 * proxy.faults.counters.byRoute['SESv2.SendEmail']; // faults injected
 * ```
 * Caveat for SQS: the SDK sends queue operations to the host of the `QueueUrl` (the emulator's),
 * not to the configured endpoint, so SQS traffic passes the proxy only with queue URLs obtained
 * through it.
 */
export const startAwsFaultProxy = async (options: AwsFaultProxyOptions): Promise<AwsFaultProxy> => {
  const upstream = createLoopbackForwarder('AwsFaultProxy', options.target);
  const faults = options.faults ?? new FaultInjector();
  const requests = new RequestLog();
  const forwarded = new RequestLog();

  const answerStatus = (
    req: IncomingMessage,
    res: ServerResponse,
    fault: StatusFault,
    operation: AwsOperation,
  ): void => {
    const given = Object.entries(fault.headers ?? {}).find(
      ([name]) => name.toLowerCase() === 'x-amzn-errortype',
    );
    const code = given?.[1] ?? defaultCode(operation.service, fault.status);
    let body: unknown = fault.body ?? { message: `${code} (injected by AwsFaultProxy)` };
    if (operation.protocol === 'json' && typeof body === 'object' && body !== null && !('__type' in body)) {
      body = { __type: code, ...body };
    }
    const text = JSON.stringify(body);
    const requestType = headerValue(req.headers, 'content-type') ?? '';
    res.writeHead(fault.status, {
      'content-type': requestType.startsWith('application/x-amz-json') ? requestType : 'application/json',
      'content-length': String(Buffer.byteLength(text)),
      'x-amzn-requestid': randomUUID(),
      'x-amzn-errortype': code,
      ...(fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {}),
      ...Object.fromEntries(
        Object.entries(fault.headers ?? {}).filter(([name]) => name.toLowerCase() !== 'x-amzn-errortype'),
      ),
    });
    res.end(text);
  };

  /** Sends the request on to the emulator unchanged; `onAnswer` gets its answer. */
  const upstreamOf = (
    req: IncomingMessage,
    body: Buffer,
    onAnswer: (answer: IncomingMessage) => void,
    onError: (err: Error) => void,
  ): void => {
    upstream.forward(req, body).then(onAnswer, onError);
  };

  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      upstreamOf(
        req,
        body,
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
          answer.pipe(res);
          answer.on('error', reject);
          res.on('close', () => resolve());
        },
        reject,
      );
    });

  /**
   * Forwards the request and waits for the whole answer (the emulator did the work), then loses
   * it: `drop` resets the client's connection at once; `hang` resets it when the client gives up
   * or after `holdMs`.
   */
  const forwardThenLose = async (
    req: IncomingMessage,
    body: Buffer,
    res: ServerResponse,
    fault: AnswerLostFault,
    signal: AbortSignal,
  ): Promise<void> => {
    await new Promise<void>((resolve, reject) => {
      upstreamOf(
        req,
        body,
        (answer) => {
          answer.resume();
          answer.on('end', () => resolve());
          answer.on('error', reject);
        },
        reject,
      );
    });
    if (fault.answerLost === 'hang') {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, fault.holdMs ?? DEFAULT_HOLD_MS);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        res.once('close', done);
        signal.addEventListener('abort', done, { once: true });
      });
    }
    req.socket.destroy();
  };

  let previous: Promise<unknown> = Promise.resolve();
  /** Runs `fn` after every request forwarded before it has been answered ({@link AwsFaultProxyOptions.serialize}). */
  const inTurn = (fn: () => Promise<void>): Promise<void> => {
    if (!options.serialize) return fn();
    const turn = previous.then(fn, fn);
    previous = turn.catch(() => undefined);
    return turn;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const operation = awsOperationOf(method, path, req.headers);
    const body = await readBuffer(req);
    const fault = faults.take({ method, path, route: operation.route });
    requests.add({
      method,
      path,
      route: operation.route,
      at: Date.now(),
      fault: fault ? describeFault(fault) : undefined,
    });
    if (fault && 'status' in fault) {
      answerStatus(req, res, fault, operation);
      return;
    }
    if (fault && 'answerLost' in fault) {
      forwarded.add({ method, path, route: operation.route, at: Date.now(), fault: describeFault(fault) });
      await forwardThenLose(req, body, res, fault, signal);
      return;
    }
    if (fault && (await applyFault(fault, req, res, () => undefined, signal))) return;
    forwarded.add({ method, path, route: operation.route, at: Date.now() });
    await inTurn(() => forward(req, body, res));
  };

  const server = await startLoopbackServer((req, res) => handle(req, res, server.signal));

  return {
    url: server.url,
    close: async () => {
      await server.close();
      upstream.close();
    },
    faults,
    requests,
    forwarded,
    reset: () => {
      faults.reset();
      requests.clear();
      forwarded.clear();
    },
  };
};
