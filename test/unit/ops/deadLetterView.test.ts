import type { Message } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { countByReason, deadLetterViewOf } from '#ops/dlq/deadLetterView';

const attribute = (value: string) => ({ DataType: 'String', StringValue: value });

describe('Function: deadLetterViewOf', () => {
  it('reads the herald-* reason attributes and the envelope of a dead letter', () => {
    // Arrange
    const message: Message = {
      MessageId: 'm-1',
      Body: JSON.stringify({ v: 1, kind: 'send.job', key: 'k-1', reschedules: 2, payload: {} }),
      Attributes: { SentTimestamp: String(Date.UTC(2030, 0, 2, 3, 4, 5)) },
      MessageAttributes: {
        'herald-reason': attribute('permanent:ses_rejected'),
        'herald-error': attribute('SesRejectedError: bad address'),
        'herald-stage': attribute('send'),
        'herald-failed-at': attribute('2030-01-02T03:04:05.000Z'),
        'herald-receive-count': attribute('1'),
        'herald-reschedules': attribute('2'),
        binary: { DataType: 'Binary', BinaryValue: new Uint8Array([1]) },
      },
    };

    // Act
    const view = deadLetterViewOf(message);

    // Assert
    expect(view).toMatchObject({
      messageId: 'm-1',
      sentAt: '2030-01-02T03:04:05.000Z',
      stage: 'send',
      reason: 'permanent:ses_rejected',
      error: 'SesRejectedError: bad address',
      failedAt: '2030-01-02T03:04:05.000Z',
      receiveCount: 1,
      reschedules: 2,
      kind: 'send.job',
      key: 'k-1',
      body: { v: 1, kind: 'send.job', key: 'k-1', reschedules: 2, payload: {} },
    });
    expect(view.attributes).not.toHaveProperty('binary');
  });

  it('falls back on herald-last-error and herald-reschedules for a body that is not an envelope', () => {
    // Arrange
    const message: Message = {
      MessageId: 'm-2',
      Body: 'not json',
      MessageAttributes: {
        'herald-last-error': attribute('JiraUnavailableError: 503'),
        'herald-reschedules': attribute('3'),
      },
    };

    // Act
    const view = deadLetterViewOf(message);

    // Assert
    expect(view).toMatchObject({
      error: 'JiraUnavailableError: 503',
      reschedules: 3,
      kind: undefined,
      key: undefined,
      reason: undefined,
      body: 'not json',
    });
  });
});

describe('Function: countByReason', () => {
  it('counts per reason, most frequent first, with unknown for messages without one', () => {
    // Act
    const counts = countByReason([{ reason: 'a' }, { reason: 'b' }, { reason: 'b' }, { reason: undefined }]);

    // Assert
    expect(Object.entries(counts)).toEqual([
      ['b', 2],
      ['a', 1],
      ['unknown', 1],
    ]);
  });
});
