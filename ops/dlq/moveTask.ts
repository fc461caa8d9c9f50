import {
  ListMessageMoveTasksCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';

/** Error names with which an endpoint says it does not have an API action. */
const UNSUPPORTED_NAMES: ReadonlySet<string> = new Set([
  'UnsupportedOperation',
  'InvalidAction',
  'UnknownOperationException',
  'NotImplemented',
  'NotImplementedException',
]);

interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $response?: { headers?: Record<string, string | undefined> };
}

/**
 * True when StartMessageMoveTask failed because the endpoint does not offer it, so a client-side
 * redrive is the way: an unsupported/unknown-action error, HTTP 501, a "not implemented"
 * message, or an answer that is not JSON at all (moto 5.2 answers this action with an HTML
 * error page and status 500).
 */
export const isMoveTaskUnsupported = (err: unknown): boolean => {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as SdkErrorShape;
  if (typeof e.name === 'string' && UNSUPPORTED_NAMES.has(e.name)) return true;
  if (e.$metadata?.httpStatusCode === 501) return true;
  if (typeof e.message === 'string' && /not (yet )?implemented/i.test(e.message)) return true;
  const type = e.$response?.headers?.['content-type'] ?? '';
  return type !== '' && !/json|xml/i.test(type);
};

/** Progress of a move task. */
export interface MoveTaskState {
  /** RUNNING, COMPLETED, CANCELLING, CANCELLED or FAILED. */
  status: string;
  moved: number;
  toMove: number;
  failureReason: string | undefined;
}

/** Starts a move task from `sourceArn` to `destinationArn`; resolves to its handle. */
export const startMoveTask = async (
  sqs: SQSClient,
  sourceArn: string,
  destinationArn: string,
  maxPerSecond: number | undefined,
): Promise<string> => {
  const out = await sqs.send(
    new StartMessageMoveTaskCommand({
      SourceArn: sourceArn,
      DestinationArn: destinationArn,
      ...(maxPerSecond !== undefined ? { MaxNumberOfMessagesPerSecond: maxPerSecond } : {}),
    }),
  );
  return out.TaskHandle ?? '';
};

const FINISHED: ReadonlySet<string> = new Set(['COMPLETED', 'CANCELLED', 'FAILED']);

/**
 * Polls ListMessageMoveTasks (the most recent task of `sourceArn`, which is the one just started)
 * every `intervalMs` until it is finished.
 */
export const waitForMoveTask = async (
  sqs: SQSClient,
  sourceArn: string,
  options: {
    intervalMs: number;
    sleep: (ms: number) => Promise<void>;
    onProgress?: (state: MoveTaskState) => void;
  },
): Promise<MoveTaskState> => {
  for (;;) {
    const { Results = [] } = await sqs.send(
      new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 1 }),
    );
    const task = Results[0];
    const state: MoveTaskState = {
      status: task?.Status ?? 'UNKNOWN',
      moved: task?.ApproximateNumberOfMessagesMoved ?? 0,
      toMove: task?.ApproximateNumberOfMessagesToMove ?? 0,
      failureReason: task?.FailureReason,
    };
    options.onProgress?.(state);
    if (task === undefined || FINISHED.has(state.status)) return state;
    await options.sleep(options.intervalMs);
  }
};
