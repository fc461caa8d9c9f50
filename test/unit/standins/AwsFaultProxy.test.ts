import type { IncomingHttpHeaders } from 'node:http';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type AwsFaultProxy,
  awsErrorFault,
  awsOperationOf,
  sesThrottlingFault,
  startAwsFaultProxy,
} from '#test/standins/AwsFaultProxy';
import { type LoopbackServer, readBody, sendJson, startLoopbackServer } from '#test/standins/loopbackServer';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const clientConfig = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
});

const sendEmail = new SendEmailCommand({
  FromEmailAddress: 'releases@example.com',
  Destination: { ToAddresses: ['ada@example.com'] },
  Content: { Simple: { Subject: { Data: 'Hi' }, Body: { Text: { Data: 'Hello' } } } },
});

/** What a call threw, with the fields the pipeline's error translation reads. */
const failureOf = async (call: Promise<unknown>) => {
  try {
    await call;
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number }; $fault?: string; code?: unknown };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode, fault: e.$fault };
  }
  throw new Error('expected the call to fail');
};

describe('Function: startAwsFaultProxy', () => {
  let emulator: LoopbackServer;
  let proxy: AwsFaultProxy;
  const seen: Seen[] = [];

  beforeAll(async () => {
    // A tiny emulator: answers SES v2 SendEmail, SQS GetQueueUrl, Scheduler GetSchedule and
    // DynamoDB GetItem with minimal valid bodies, and records what reached it.
    emulator = await startLoopbackServer(async (req, res) => {
      const body = await readBody(req);
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const target = req.headers['x-amz-target'];
      if (target === 'AmazonSQS.GetQueueUrl') {
        sendJson(
          res,
          200,
          { QueueUrl: 'http://127.0.0.1:1/123456789012/q' },
          {
            'content-type': 'application/x-amz-json-1.0',
          },
        );
      } else if (target === 'DynamoDB_20120810.GetItem') {
        sendJson(res, 200, {}, { 'content-type': 'application/x-amz-json-1.0' });
      } else if (req.url?.startsWith('/schedules/')) {
        sendJson(res, 200, { Name: 'rh-1', ScheduleExpression: 'at(2030-01-01T09:00:00)' });
      } else {
        sendJson(res, 200, { MessageId: 'message-1' }, { 'x-amzn-requestid': 'request-1' });
      }
    });
    proxy = await startAwsFaultProxy({ target: emulator.url });
  });

  afterEach(() => {
    proxy.reset();
    seen.length = 0;
  });

  afterAll(async () => {
    await proxy.close();
    await emulator.close();
  });

  it('forwards a request unchanged and streams the answer back', async () => {
    // arrange
    const ses = new SESv2Client(clientConfig(proxy.url));

    // act
    const output = await ses.send(sendEmail);

    // assert
    expect(output.MessageId).toBe('message-1');
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request).toMatchObject({ method: 'POST', url: '/v2/email/outbound-emails' });
    expect(request?.headers.host).toBe(new URL(proxy.url).host);
    expect(request?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 /);
    expect(JSON.parse(request?.body ?? '{}')).toMatchObject({
      FromEmailAddress: 'releases@example.com',
      Destination: { ToAddresses: ['ada@example.com'] },
    });
    expect(proxy.requests.count('SESv2.SendEmail')).toBe(1);
    expect(proxy.forwarded.count('SESv2.SendEmail')).toBe(1);
    ses.destroy();
  });

  it('answers SES v2 throttling so the SDK throws TooManyRequestsException, and never forwards it', async () => {
    // arrange
    const ses = new SESv2Client(clientConfig(proxy.url));
    proxy.faults.enqueue(sesThrottlingFault(), { route: 'SESv2.SendEmail' });

    // act
    const failure = await failureOf(ses.send(sendEmail));
    const retried = await ses.send(sendEmail);

    // assert
    expect(failure).toEqual({
      name: 'TooManyRequestsException',
      message: 'Maximum sending rate exceeded.',
      status: 429,
      fault: 'client',
    });
    expect(retried.MessageId).toBe('message-1');
    expect(seen).toHaveLength(1);
    expect(proxy.requests.count('SESv2.SendEmail')).toBe(2);
    expect(proxy.forwarded.count('SESv2.SendEmail')).toBe(1);
    expect(proxy.faults.counters).toMatchObject({
      total: 1,
      byStatus: { 429: 1 },
      byRoute: { 'SESv2.SendEmail': 1 },
    });
    expect(proxy.requests.records.map((r) => r.fault)).toEqual(['status:429', undefined]);
    ses.destroy();
  });

  it('maps a bare status fault to the service default code, per protocol', async () => {
    // arrange
    const scheduler = new SchedulerClient(clientConfig(proxy.url));
    const dynamo = new DynamoDBClient(clientConfig(proxy.url));
    proxy.faults
      .enqueue({ status: 429 }, { route: 'Scheduler.GetSchedule' })
      .enqueue({ status: 500 }, { route: 'DynamoDB.GetItem' });

    // act
    const schedulerFailure = await failureOf(
      scheduler.send(new GetScheduleCommand({ Name: 'rh-1', GroupName: 'herald-schedules' })),
    );
    const dynamoFailure = await failureOf(
      dynamo.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } })),
    );

    // assert
    expect(schedulerFailure).toMatchObject({ name: 'ThrottlingException', status: 429 });
    expect(dynamoFailure).toMatchObject({ name: 'InternalFailure', status: 500, fault: 'server' });
    expect(seen).toHaveLength(0);
    scheduler.destroy();
    dynamo.destroy();
  });

  it('answers awsJson faults with __type so the SDK throws the modelled exception', async () => {
    // arrange
    const dynamo = new DynamoDBClient(clientConfig(proxy.url));
    const sqs = new SQSClient(clientConfig(proxy.url));
    proxy.faults
      .enqueue(awsErrorFault('ProvisionedThroughputExceededException', { message: 'slow down' }), {
        route: 'DynamoDB.GetItem',
      })
      .enqueue(awsErrorFault('QueueDoesNotExist'), { route: 'SQS.GetQueueUrl' });

    // act
    const dynamoFailure = await failureOf(
      dynamo.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } })),
    );
    const sqsFailure = await failureOf(sqs.send(new GetQueueUrlCommand({ QueueName: 'q' })));
    const sqsAfter = await sqs.send(new GetQueueUrlCommand({ QueueName: 'q' }));

    // assert
    expect(dynamoFailure).toMatchObject({
      name: 'ProvisionedThroughputExceededException',
      message: 'slow down',
      status: 400,
    });
    expect(sqsFailure).toMatchObject({ name: 'QueueDoesNotExist', status: 400 });
    expect(sqsAfter.QueueUrl).toBe('http://127.0.0.1:1/123456789012/q');
    expect(proxy.requests.countsByRoute()).toEqual({ 'DynamoDB.GetItem': 1, 'SQS.GetQueueUrl': 2 });
    dynamo.destroy();
    sqs.destroy();
  });

  it('drops the connection without forwarding on a drop fault', async () => {
    // arrange
    const ses = new SESv2Client(clientConfig(proxy.url));
    proxy.faults.enqueue({ drop: true }, { route: 'SESv2.SendEmail' });

    // act
    const failure = await failureOf(ses.send(sendEmail));

    // assert
    expect(failure.status).toBeUndefined();
    expect(failure.message).toMatch(/socket hang up|ECONNRESET/i);
    expect(seen).toHaveLength(0);
    expect(proxy.faults.counters.drops).toBe(1);
    ses.destroy();
  });

  it('forwards the request, then resets the connection once the emulator answered, on an answerLost drop', async () => {
    // arrange
    const ses = new SESv2Client(clientConfig(proxy.url));
    proxy.faults.enqueue({ answerLost: 'drop' }, { route: 'SESv2.SendEmail' });

    // act
    const failure = await failureOf(ses.send(sendEmail));

    // assert: the emulator took the email; the client only saw a reset.
    expect(failure.message).toMatch(/socket hang up|ECONNRESET/i);
    expect(seen).toHaveLength(1);
    expect(proxy.forwarded.count('SESv2.SendEmail')).toBe(1);
    expect(proxy.faults.counters.answersLost).toBe(1);
    ses.destroy();
  });

  it('holds the answer until the client times out on an answerLost hang', async () => {
    // arrange
    const ses = new SESv2Client({
      ...clientConfig(proxy.url),
      requestHandler: { requestTimeout: 300, throwOnRequestTimeout: true },
    });
    proxy.faults.enqueue({ answerLost: 'hang', holdMs: 5_000 }, { route: 'SESv2.SendEmail' });
    const started = Date.now();

    // act
    const failure = await failureOf(ses.send(sendEmail));

    // assert
    expect(failure.name).toBe('TimeoutError');
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(seen).toHaveLength(1);
    ses.destroy();
  });

  it('forwards after the delay on a delay fault', async () => {
    // arrange
    const ses = new SESv2Client(clientConfig(proxy.url));
    proxy.faults.enqueue({ delayMs: 150 }, { route: 'SESv2.SendEmail' });
    const started = Date.now();

    // act
    const output = await ses.send(sendEmail);

    // assert
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(output.MessageId).toBe('message-1');
    expect(seen).toHaveLength(1);
    expect(proxy.faults.counters.delays).toBe(1);
    ses.destroy();
  });

  it('injects the same seeded chaos for the same request sequence', async () => {
    // arrange
    const ses = new SESv2Client(clientConfig(proxy.url));
    const run = async () => {
      proxy.reset();
      proxy.faults.chaos({ route: 'SESv2.SendEmail', rate: 0.5, kinds: [sesThrottlingFault()], seed: 7 });
      const outcomes: string[] = [];
      for (let i = 0; i < 12; i++) {
        outcomes.push(
          await ses.send(sendEmail).then(
            () => 'ok',
            (err: Error) => err.name,
          ),
        );
      }
      return outcomes;
    };

    // act
    const first = await run();
    const second = await run();

    // assert
    expect(second).toEqual(first);
    expect(first).toContain('ok');
    expect(first).toContain('TooManyRequestsException');
    expect(proxy.forwarded.count('SESv2.SendEmail')).toBe(first.filter((o) => o === 'ok').length);
    ses.destroy();
  });

  it('refuses a target that is not a loopback http emulator', async () => {
    // act / assert
    await expect(startAwsFaultProxy({ target: 'https://email.us-east-1.amazonaws.com' })).rejects.toThrow(
      /loopback/,
    );
  });
});

describe('Function: awsOperationOf', () => {
  it.each([
    ['POST', '/', { 'x-amz-target': 'AmazonSQS.SendMessage' }, 'SQS.SendMessage', 'json'],
    ['POST', '/', { 'x-amz-target': 'DynamoDB_20120810.PutItem' }, 'DynamoDB.PutItem', 'json'],
    ['POST', '/', { 'x-amz-target': 'AWSEvents.PutEvents' }, 'EventBridge.PutEvents', 'json'],
    [
      'POST',
      '/',
      { 'x-amz-target': 'secretsmanager.GetSecretValue' },
      'SecretsManager.GetSecretValue',
      'json',
    ],
    ['POST', '/v2/email/outbound-emails', {}, 'SESv2.SendEmail', 'rest-json'],
    ['POST', '/v2/email/identities', {}, 'SESv2.CreateEmailIdentity', 'rest-json'],
    ['GET', '/v2/email/account', {}, 'SESv2.GetAccount', 'rest-json'],
    ['GET', '/v2/email/dedicated-ips', {}, 'SESv2.Unknown', 'rest-json'],
    ['GET', '/schedules', {}, 'Scheduler.ListSchedules', 'rest-json'],
    ['POST', '/schedules/rh-1-a-b-0', {}, 'Scheduler.CreateSchedule', 'rest-json'],
    ['PUT', '/schedules/rh-1-a-b-0', {}, 'Scheduler.UpdateSchedule', 'rest-json'],
    ['DELETE', '/schedules/rh-1-a-b-0', {}, 'Scheduler.DeleteSchedule', 'rest-json'],
    ['GET', '/schedule-groups/herald-schedules', {}, 'Scheduler.GetScheduleGroup', 'rest-json'],
    ['GET', '/moto-api/data.json', {}, 'Unknown.Unknown', 'rest-json'],
  ] as const)('names %s %s %j as %s', (method, path, headers, route, protocol) => {
    // act
    const operation = awsOperationOf(method, path, headers);

    // assert
    expect(operation).toMatchObject({ route, protocol });
    expect(operation.route).toBe(`${operation.service}.${operation.operation}`);
  });
});
