import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyFault, describeFault, FaultInjector } from './faults.ts';
import { readBody, sendJson, startLoopbackServer } from './loopbackServer.ts';
import { RequestLog } from './RequestLog.ts';
import { SECTION_OF_TYPE, standInPhrases } from './standInPhrases.ts';
import { isVerifierRequest, misattribute, type VerifierMode, verifierAnswer } from './verifierAnswer.ts';

/**
 * How the stand-in answers a chat completion:
 * - `valid`: a JSON email matching `llmEmail`, citing the request's own issue keys;
 * - `citeUnknownKeys`: the same, but the first item also cites {@link UNKNOWN_ISSUE_KEY};
 * - `invalidJson`: content that is not JSON (cut off mid-string);
 * - `schemaInvalid`: JSON that does not match `llmEmail`;
 * - `refusal`: no content, a `refusal` message instead;
 * - `echoInjection`: a valid email whose item texts are the issue summaries verbatim (hostile
 *   input tests check the renderer escapes them);
 * - `misattribute`: a valid email whose first two items swap their cited keys.
 * A grounding verification (verifierAnswer.ts) is answered by `verifierMode` instead.
 */
export type OpenAiAnswerMode =
  | 'valid'
  | 'citeUnknownKeys'
  | 'invalidJson'
  | 'schemaInvalid'
  | 'refusal'
  | 'echoInjection'
  | 'misattribute';

/** The key `citeUnknownKeys` cites: well formed, never an issue of a test release. */
export const UNKNOWN_ISSUE_KEY = 'NOPE-999999';

/** Options of {@link startOpenAiStandIn}. */
export interface OpenAiStandInOptions {
  /** When set, only `Authorization: Bearer <apiKey>` passes; default any Bearer token. */
  apiKey?: string;
  /** Answer mode. Default `valid`. */
  mode?: OpenAiAnswerMode;
  /** Fault injector to use; default a new one. */
  faults?: FaultInjector;
}

/** One chat completion request received. */
export interface OpenAiCall {
  /** Epoch milliseconds. */
  at: number;
  /** The parsed request body (model, messages, response_format...). */
  body: Record<string, unknown>;
  /** `Locale:` line of the prompt, when found. */
  locale: string | undefined;
  /** Issue keys found in the prompt's `<jira_data>`. */
  issueKeys: string[];
  /** The mode it was answered in. */
  mode: OpenAiAnswerMode;
}

/** What the stand-in saw of chat completions. */
export interface OpenAiCalls {
  /** Requests to `POST /v1/chat/completions`, faulted ones included. */
  readonly count: number;
  /** Requests answered with a completion (any mode). */
  readonly answered: number;
  /** The newest answered calls (at most 200), oldest first. */
  readonly list: OpenAiCall[];
  /** The newest answered call. */
  readonly last: OpenAiCall | undefined;
}

/** A running OpenAI API stand-in. */
export interface OpenAiStandIn {
  /** Base URL including `/v1`: pass it as OpenAiLlm's `baseURL`. */
  url: string;
  /** Stops the server (drops open connections). */
  close(): Promise<void>;
  /** Fault injector consulted before every request. */
  faults: FaultInjector;
  /** Every request received (route `chatCompletions` or `unknown`). */
  requests: RequestLog;
  /** Chat completion calls. */
  calls: OpenAiCalls;
  /** Current answer mode (used when no one-shot mode is queued). */
  mode: OpenAiAnswerMode;
  /** How grounding verifications are answered. Default `overlap`. */
  verifierMode: VerifierMode;
  /** Queues modes for the next answers, one each, before falling back to {@link OpenAiStandIn.mode}. */
  enqueueModes(...modes: OpenAiAnswerMode[]): void;
  /** Back to mode `valid`, no queued modes, no faults, empty logs. */
  reset(): void;
}

/** The parts of the prompt's Jira data the stand-in reads. */
interface PromptData {
  project?: unknown;
  version?: { name?: unknown };
  issues?: Array<{ key?: unknown; type?: unknown; summary?: unknown }>;
}

const openAiError = (status: number): unknown => {
  const error = (message: string, type: string, code: string | null) => ({
    error: { message, type, param: null, code },
  });
  if (status === 429)
    return error(
      'Rate limit reached for requests. Please try again later.',
      'requests',
      'rate_limit_exceeded',
    );
  if (status === 401) return error('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
  if (status === 400) return error('Invalid request.', 'invalid_request_error', null);
  if (status === 404)
    return error(
      'The model does not exist or you do not have access to it.',
      'invalid_request_error',
      'model_not_found',
    );
  if (status === 503)
    return error('The engine is currently overloaded, please try again later.', 'server_error', null);
  if (status >= 500)
    return error('The server had an error while processing your request.', 'server_error', null);
  return error(`Request failed with status ${status}.`, 'invalid_request_error', null);
};

/** Text of a message's content (a string or an array of text parts). */
const contentText = (content: unknown): string => {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) =>
      typeof part === 'object' && part !== null && typeof part.text === 'string' ? part.text : '',
    )
    .join('');
};

const DATA = /<jira_data>\n([\s\S]*?)\n<\/jira_data>/g;

/** The last `<jira_data>` block of the user messages, parsed; undefined when there is none. */
const promptData = (userText: string): PromptData | undefined => {
  let last: string | undefined;
  for (const match of userText.matchAll(DATA)) last = match[1];
  if (last === undefined) return undefined;
  try {
    return JSON.parse(last) as PromptData;
  } catch {
    return undefined;
  }
};

/** Keeps a dot inside a word only when it joins two digits (`1.0`), never in a host name. */
const keepVersionDot = (dots: string, offset: number, text: string): string =>
  dots.length === 1 && /\d/.test(text[offset - 1] ?? '') && /\d/.test(text[offset + 1] ?? '') ? '.' : ' ';

/** Plain, harmless text: letters, digits, spaces and light punctuation only. */
const tame = (value: unknown, max: number): string =>
  (typeof value === 'string' ? value : '')
    .replace(/[^\p{L}\p{N} ,.;:!?'()-]/gu, ' ')
    // A dot inside a word could make a host name (evil.example): keep dots only before a space,
    // or in a version number (`Release 1.0`, `2.4.1`); four groups read as an IPv4 address.
    .replace(/\.+(?=\S)/g, keepVersionDot)
    .replace(/\d+(?:\.\d+){3,}/g, (digits) => digits.replaceAll('.', ' '))
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max)
    .trim();

/** The deterministic email for a prompt, as a plain object matching `llmEmail` (except in broken modes). */
const buildEmail = (
  data: PromptData | undefined,
  locale: string,
  upcoming: boolean,
  mode: OpenAiAnswerMode,
) => {
  const issues = (data?.issues ?? []).filter(
    (issue): issue is { key: string; type?: unknown; summary?: unknown } =>
      typeof issue?.key === 'string' && /^[A-Z][A-Z0-9_]{0,19}-\d{1,9}$/.test(issue.key),
  );
  const phrases = standInPhrases(locale);
  const project = tame(data?.project, 60) || phrases.theProduct;
  const version = tame(data?.version?.name, 60) || phrases.theNewVersion;
  const sections = new Map<string, Array<{ text: string; issueKeys: string[] }>>();
  for (const issue of issues) {
    const heading =
      phrases.headings[SECTION_OF_TYPE[typeof issue.type === 'string' ? issue.type : ''] ?? 'other'];
    if (!sections.has(heading) && sections.size === 10) continue;
    const items = sections.get(heading) ?? [];
    if (items.length === 100) continue;
    const text =
      mode === 'echoInjection'
        ? (typeof issue.summary === 'string' && issue.summary ? issue.summary : issue.key).slice(0, 1000)
        : `${tame(issue.summary, 200).replace(/[.!?:;,]+$/, '') || phrases.aChange}.`;
    items.push({ text, issueKeys: [issue.key] });
    sections.set(heading, items);
  }
  const list = [...sections.entries()].map(([heading, items]) => ({ heading, items }));
  const first = list[0]?.items[0];
  if (mode === 'citeUnknownKeys') {
    if (first) first.issueKeys.push(UNKNOWN_ISSUE_KEY);
    else
      list.push({
        heading: phrases.headings.other,
        items: [{ text: `${phrases.aChange}.`, issueKeys: [UNKNOWN_ISSUE_KEY] }],
      });
  }
  return {
    subject: `${project} ${version}: ${upcoming ? phrases.upcoming : phrases.available}`.slice(0, 150),
    preheader: phrases.preheader(issues.length, version).slice(0, 200),
    intro: upcoming ? phrases.introUpcoming(version, project) : phrases.introAvailable(version, project),
    sections: list,
    outro: phrases.outro,
  };
};

const MAX_CALLS_KEPT = 200;

/**
 * Starts an OpenAI API stand-in on 127.0.0.1 (port 0) for the openai SDK to talk to. It serves
 * `POST /v1/chat/completions` with a `chat.completion` whose message content is a JSON email
 * built deterministically from the prompt: issue keys and summaries from the last
 * `<jira_data>` block, the locale from the `Locale:` line, the timing from `Release point:`;
 * issues grouped into sections by type; every sentence of its own from a fixed phrase table in
 * the locale's language (English, German, French, Spanish; English for any other), so a German
 * contact reads German around the Jira summaries, which stay as written (tamed); usage tokens of about 4 characters each. Needs
 * `Authorization: Bearer` (401 without). Faults are applied first.
 */
export const startOpenAiStandIn = async (options: OpenAiStandInOptions = {}): Promise<OpenAiStandIn> => {
  const faults = options.faults ?? new FaultInjector();
  const requests = new RequestLog();
  let mode: OpenAiAnswerMode = options.mode ?? 'valid';
  let verifierMode: VerifierMode = 'overlap';
  let queuedModes: OpenAiAnswerMode[] = [];
  let count = 0;
  let answered = 0;
  let kept: OpenAiCall[] = [];

  const completion = (res: ServerResponse, body: Record<string, unknown>): void => {
    const messages = Array.isArray(body.messages) ? (body.messages as Array<Record<string, unknown>>) : [];
    const userText = messages
      .filter((m) => m?.role === 'user')
      .map((m) => contentText(m.content))
      .join('\n');
    const data = promptData(userText);
    const locale = /^Locale: (\S+)/m.exec(userText)?.[1];
    const upcoming = /^Release point: before\b/m.test(userText);
    // A verification does not use up a queued writer mode.
    const current = isVerifierRequest(body) ? mode : (queuedModes.shift() ?? mode);
    answered++;
    const call: OpenAiCall = {
      at: Date.now(),
      body,
      locale,
      issueKeys: (data?.issues ?? []).map((i) => i?.key).filter((k): k is string => typeof k === 'string'),
      mode: current,
    };
    kept.push(call);
    if (kept.length > MAX_CALLS_KEPT) kept = kept.slice(-MAX_CALLS_KEPT);

    let content: string | null;
    let refusal: string | null = null;
    if (isVerifierRequest(body)) {
      content = verifierAnswer(userText, verifierMode);
    } else if (current === 'refusal') {
      content = null;
      refusal = "I'm sorry, but I can't help with that request.";
    } else if (current === 'invalidJson') {
      content = '{"subject": "Release notes for the upcoming ver';
    } else if (current === 'schemaInvalid') {
      content = JSON.stringify({ subject: '', sections: 'none', extra: true });
    } else {
      const email = buildEmail(data, locale ?? 'en', upcoming, current);
      content = JSON.stringify(current === 'misattribute' ? misattribute(email) : email);
    }
    const promptTokens = Math.ceil(JSON.stringify(messages).length / 4);
    const completionTokens = Math.ceil((content ?? refusal ?? '').length / 4);
    sendJson(
      res,
      200,
      {
        id: `chatcmpl-standin${answered}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: typeof body.model === 'string' ? body.model : 'gpt-4.1-mini',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content, refusal, annotations: [] },
            logprobs: null,
            finish_reason: 'stop',
          },
        ],
        usage: {
          prompt_tokens: promptTokens,
          completion_tokens: completionTokens,
          total_tokens: promptTokens + completionTokens,
          prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
          completion_tokens_details: {
            reasoning_tokens: 0,
            audio_tokens: 0,
            accepted_prediction_tokens: 0,
            rejected_prediction_tokens: 0,
          },
        },
        service_tier: 'default',
        system_fingerprint: 'fp_standin',
      },
      { 'x-request-id': `req_standin_${answered}`, 'openai-processing-ms': '1' },
    );
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const route = method === 'POST' && path === '/v1/chat/completions' ? 'chatCompletions' : 'unknown';
    if (route === 'chatCompletions') count++;
    const fault = faults.take({ method, path, route });
    requests.add({ method, path, route, at: Date.now(), fault: fault ? describeFault(fault) : undefined });
    if (fault && (await applyFault(fault, req, res, openAiError, signal))) return;

    const auth = req.headers.authorization;
    if (
      !auth?.startsWith('Bearer ') ||
      (options.apiKey !== undefined && auth !== `Bearer ${options.apiKey}`)
    ) {
      sendJson(res, 401, openAiError(401));
      return;
    }
    if (route !== 'chatCompletions') {
      sendJson(res, 404, {
        error: {
          message: `Invalid URL (${method} ${path})`,
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      sendJson(res, 400, {
        error: {
          message: 'We could not parse the JSON body of your request.',
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      });
      return;
    }
    if (
      typeof body !== 'object' ||
      body === null ||
      typeof (body as { model?: unknown }).model !== 'string'
    ) {
      sendJson(res, 400, {
        error: {
          message: 'you must provide a model parameter',
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      });
      return;
    }
    if (!Array.isArray((body as { messages?: unknown }).messages)) {
      sendJson(res, 400, {
        error: {
          message: "Missing required parameter: 'messages'.",
          type: 'invalid_request_error',
          param: 'messages',
          code: 'missing_required_parameter',
        },
      });
      return;
    }
    completion(res, body as Record<string, unknown>);
  };

  const server = await startLoopbackServer((req, res) => handle(req, res, server.signal));

  return {
    url: `${server.url}/v1`,
    close: () => server.close(),
    faults,
    requests,
    calls: {
      get count() {
        return count;
      },
      get answered() {
        return answered;
      },
      get list() {
        return [...kept];
      },
      get last() {
        return kept.at(-1);
      },
    },
    get mode() {
      return mode;
    },
    set mode(value: OpenAiAnswerMode) {
      mode = value;
    },
    get verifierMode() {
      return verifierMode;
    },
    set verifierMode(value: VerifierMode) {
      verifierMode = value;
    },
    enqueueModes: (...modes) => {
      queuedModes.push(...modes);
    },
    reset: () => {
      mode = 'valid';
      verifierMode = 'overlap';
      queuedModes = [];
      count = 0;
      answered = 0;
      kept = [];
      faults.reset();
      requests.clear();
    },
  };
};
