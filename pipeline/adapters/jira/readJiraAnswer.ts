import { retryAfterFromHeaders } from '#retry/retryAfter';
import { JiraTransportError } from './errors.ts';
import type { JiraHttpRequest } from './jiraHttpRequest.ts';

/** Most of an error body kept, characters. */
const MAX_ERROR_BODY_CHARS = 2000;

/** What {@link readJiraAnswer} reads. */
export interface JiraAnswer {
  /** The call answered (named in messages and errors). */
  request: Pick<JiraHttpRequest, 'method' | 'path'>;
  /** The response its status and headers are read from (its body already read into `text`). */
  response: Response;
  /** The body as text; undefined when it was bigger than `maxBytes` (see readBounded). */
  text: string | undefined;
  /** The response cap the body was read with, bytes (for the message). */
  maxBytes: number;
}

/** An error body: its JSON, or its text cut to {@link MAX_ERROR_BODY_CHARS} when it is not JSON. */
const errorBodyOf = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON (an HTML error page from a proxy): keep the text.
    return text.slice(0, MAX_ERROR_BODY_CHARS);
  }
};

/**
 * The parsed JSON of a Jira answer (undefined for 204 or an empty body). Throws a
 * {@link JiraTransportError}: `too_large` past the cap, `http` for a status outside 2xx (with its
 * body and `Retry-After`), `not_json` for a 2xx body that does not parse.
 */
export const readJiraAnswer = <T>({ request, response, text, maxBytes }: JiraAnswer): T => {
  const { method, path } = request;
  const status = response.status;
  if (text === undefined) {
    throw new JiraTransportError('too_large', `${method} ${path} answered more than ${maxBytes} bytes`, {
      method,
      path,
      status,
    });
  }
  if (status < 200 || status > 299) {
    throw new JiraTransportError('http', `${method} ${path} answered ${status}`, {
      method,
      path,
      status,
      body: errorBodyOf(text),
      retryAfterSeconds: retryAfterFromHeaders(response.headers),
    });
  }
  if (status === 204 || text === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    const type = response.headers.get('content-type') ?? 'no content type';
    const message = `${method} ${path} answered ${status} with ${type}, not JSON`;
    throw new JiraTransportError('not_json', message, { method, path, status }, { cause });
  }
};
