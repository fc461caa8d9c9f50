import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { ContractError } from '#contracts/errors';
import { describeFailure, exitCodeOf, OpsError, UsageError } from '#ops/cli/errors';
import { EXIT_CODES } from '#ops/cli/exitCodes';
import { ConfigError } from '#shared/config';

describe('Function: exitCodeOf', () => {
  it.each([
    ['help shown', new CommanderError(0, 'commander.helpDisplayed', ''), EXIT_CODES.ok],
    ['a commander error', new CommanderError(1, 'commander.unknownOption', ''), EXIT_CODES.usage],
    ['a UsageError', new UsageError('x'), EXIT_CODES.usage],
    ['an OpsError', new OpsError('x'), EXIT_CODES.failed],
    [
      'an OpsError with its own code',
      new OpsError('x', { exitCode: EXIT_CODES.attention }),
      EXIT_CODES.attention,
    ],
    ['a ContractError', new ContractError('send point', ['bad']), EXIT_CODES.usage],
    ['a ConfigError', new ConfigError('bad'), EXIT_CODES.usage],
    ['anything else', new Error('boom'), EXIT_CODES.failed],
  ])('maps %s', (_, err, code) => {
    expect(exitCodeOf(err)).toBe(code);
  });
});

describe('Function: describeFailure', () => {
  it('joins the message with the distinct messages of its causes', () => {
    // Arrange
    const sdk = new Error('The specified queue does not exist.');
    const err = new OpsError('redrive failed', { cause: sdk });

    // Act & Assert
    expect(describeFailure(err)).toBe('redrive failed: The specified queue does not exist.');
  });

  it('does not repeat a cause whose message the error already includes', () => {
    const cause = new Error('503');
    expect(describeFailure(new Error('Jira answered 503', { cause }))).toBe('Jira answered 503');
  });
});
