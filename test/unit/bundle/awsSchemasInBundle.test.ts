import { Readable } from 'node:stream';
import * as SchedulerSdk from '@aws-sdk/client-scheduler';
import * as SesSdk from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleAndImport, type ImportedBundle } from '#test/factories/bundle';

/** The AWS clients whose REST schemas carry HTTP traits (paths, methods, error codes). */
const ENTRY = [
  "export { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';",
  "export { SchedulerClient, CreateScheduleCommand } from '@aws-sdk/client-scheduler';",
].join('\n');

type SesPart = Pick<typeof SesSdk, 'SESv2Client' | 'SendEmailCommand'>;
type SchedulerPart = Pick<typeof SchedulerSdk, 'SchedulerClient' | 'CreateScheduleCommand'>;
type Sdk = SesPart & SchedulerPart;

/** What a client sent, and the answer it is given. */
interface Exchange {
  request?: { method: string; path: string; headers: Record<string, string>; body: string };
  answer: { statusCode: number; headers: Record<string, string>; body: string };
}

/** A request handler that records the request and answers from `exchange`: no network. */
const handlerFor = (exchange: Exchange) => ({
  handle: async (request: {
    method: string;
    path: string;
    headers: Record<string, string>;
    body?: unknown;
  }) => {
    exchange.request = {
      method: request.method,
      path: request.path,
      headers: { 'content-type': request.headers['content-type'] ?? '' },
      body:
        request.body instanceof Uint8Array
          ? Buffer.from(request.body).toString()
          : String(request.body ?? ''),
    };
    const { statusCode, headers, body } = exchange.answer;
    return { response: { statusCode, headers, body: Readable.from([Buffer.from(body)]) } };
  },
});

const CONFIG = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
};

const sendEmail = async (sdk: SesPart, answer: Exchange['answer']) => {
  const exchange: Exchange = { answer };
  const client = new sdk.SESv2Client({ ...CONFIG, requestHandler: handlerFor(exchange) });
  const outcome = await client
    .send(
      new sdk.SendEmailCommand({
        FromEmailAddress: 'releases@example.com',
        Destination: { ToAddresses: ['ada@example.com'] },
        Content: { Raw: { Data: Buffer.from('Subject: Hi\r\n\r\nHello') } },
        EmailTags: [{ Name: 'ledger', Value: 'key-1' }],
      }),
    )
    .then(
      (output) => ({ messageId: output.MessageId }),
      (err: { name: string; $metadata?: { httpStatusCode?: number } }) => ({
        error: err.name,
        status: err.$metadata?.httpStatusCode,
      }),
    );
  return { request: exchange.request, outcome };
};

const createSchedule = async (sdk: SchedulerPart) => {
  const exchange: Exchange = { answer: { statusCode: 200, headers: {}, body: '{"ScheduleArn":"arn:x"}' } };
  const client = new sdk.SchedulerClient({ ...CONFIG, requestHandler: handlerFor(exchange) });
  const output = await client.send(
    new sdk.CreateScheduleCommand({
      Name: 'rh-10001-a',
      GroupName: 'herald',
      ScheduleExpression: 'at(2030-03-07T09:00:00)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: 'arn:aws:sqs:us-east-1:123456789012:compose',
        RoleArn: 'arn:aws:iam::123456789012:role/r',
      },
      ClientToken: 'token-1',
    }),
  );
  return { request: exchange.request, arn: output.ScheduleArn };
};

describe('Function: handlerBuildOptions (AWS schemas with their computed keys written as literals)', () => {
  let bundle: ImportedBundle<Sdk>;

  beforeAll(async () => {
    bundle = await bundleAndImport<Sdk>(ENTRY);
  }, 60_000);

  afterAll(async () => {
    await bundle?.remove();
  });

  it('sends SES SendEmail as the unbundled client does, and reads its answer the same', async () => {
    // Act
    const answer = {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"MessageId":"m-1"}',
    };
    const bundled = await sendEmail(bundle.module, answer);
    const sources = await sendEmail(SesSdk, answer);

    // Assert
    expect(bundled.request).toMatchObject({ method: 'POST', path: '/v2/email/outbound-emails' });
    expect(bundled).toEqual(sources);
    expect(bundled.outcome).toEqual({ messageId: 'm-1' });
  });

  it('turns an SES rejection into the same named error', async () => {
    // Act
    const answer = {
      statusCode: 400,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'MessageRejected' },
      body: '{"message":"Email address is not verified."}',
    };
    const bundled = await sendEmail(bundle.module, answer);
    const sources = await sendEmail(SesSdk, answer);

    // Assert
    expect(bundled.outcome).toEqual({ error: 'MessageRejected', status: 400 });
    expect(bundled.outcome).toEqual(sources.outcome);
  });

  it('puts Scheduler CreateSchedule on its path with its name, as the unbundled client does', async () => {
    // Act
    const bundled = await createSchedule(bundle.module);
    const sources = await createSchedule(SchedulerSdk);

    // Assert
    expect(bundled.request).toMatchObject({ method: 'POST', path: '/schedules/rh-10001-a' });
    expect(bundled).toEqual(sources);
    expect(bundled.arn).toBe('arn:x');
  });
});
