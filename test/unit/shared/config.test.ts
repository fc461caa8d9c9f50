import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, MIN_SEND_LEASE_SECONDS } from '#shared/config';
import { topology } from '#topology/topology';

describe('Function: loadConfig', () => {
  it('defaults JIRA_TIMEOUT_MS to 20000 ms, also when it is empty', () => {
    // Act
    const unset = loadConfig({});
    const empty = loadConfig({ JIRA_TIMEOUT_MS: '' });

    // Assert
    expect(unset.JIRA_TIMEOUT_MS).toBe(20_000);
    expect(empty.JIRA_TIMEOUT_MS).toBe(20_000);
  });

  it.each([
    ['1000', 1000],
    ['45000', 45_000],
    ['120000', 120_000],
  ])('reads JIRA_TIMEOUT_MS=%s as %i ms', (value, expected) => {
    // Act
    const config = loadConfig({ JIRA_TIMEOUT_MS: value });

    // Assert
    expect(config.JIRA_TIMEOUT_MS).toBe(expected);
  });

  it.each([
    ['999', /JIRA_TIMEOUT_MS: JIRA_TIMEOUT_MS must be at least 1000 ms/],
    ['120001', /JIRA_TIMEOUT_MS: JIRA_TIMEOUT_MS must be at most 120000 ms/],
    ['1500.5', /JIRA_TIMEOUT_MS/],
    ['soon', /JIRA_TIMEOUT_MS must be a number of milliseconds/],
  ])('rejects JIRA_TIMEOUT_MS=%s naming the variable and its range', (value, expected) => {
    // Act
    const load = () => loadConfig({ JIRA_TIMEOUT_MS: value });

    // Assert
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(expected);
  });

  it('defaults SES_EVENT_WAIT_SECONDS to 10 and refuses a wait the send function cannot fit', () => {
    // Act
    const defaults = loadConfig({});
    const none = loadConfig({ SES_EVENT_WAIT_SECONDS: '0' });
    const tooLong = () => loadConfig({ SES_EVENT_WAIT_SECONDS: '16' });

    // Assert
    expect(defaults.SES_EVENT_WAIT_SECONDS).toBe(10);
    expect(none.SES_EVENT_WAIT_SECONDS).toBe(0);
    expect(tooLong).toThrow(/SES_EVENT_WAIT_SECONDS must be at most 15 seconds/);
  });

  it('bounds SEND_LEASE_SECONDS below by twice the send function timeout', () => {
    // Arrange
    const sendTimeout = topology.stages.send.fn.timeoutSeconds;

    // Act
    const atMinimum = loadConfig({ SEND_LEASE_SECONDS: String(2 * sendTimeout) });
    const defaults = loadConfig({});

    // Assert
    expect(MIN_SEND_LEASE_SECONDS).toBe(2 * sendTimeout);
    expect(atMinimum.SEND_LEASE_SECONDS).toBe(2 * sendTimeout);
    expect(defaults.SEND_LEASE_SECONDS).toBeGreaterThanOrEqual(MIN_SEND_LEASE_SECONDS);
  });

  it.each([['10'], [String(2 * topology.stages.send.fn.timeoutSeconds - 1)]])(
    'rejects SEND_LEASE_SECONDS=%s, naming the unit and the send timeout it must outlive',
    (value) => {
      // Act
      const load = () => loadConfig({ SEND_LEASE_SECONDS: value });

      // Assert
      expect(load).toThrow(ConfigError);
      expect(load).toThrow(
        `SEND_LEASE_SECONDS must be at least ${MIN_SEND_LEASE_SECONDS} seconds (twice the send function's ` +
          `${topology.stages.send.fn.timeoutSeconds} s timeout`,
      );
    },
  );

  it('leaves HERALD_HOME_REGION unset by default (the handlers then use AWS_REGION) and reads a region', () => {
    // Act
    const unset = loadConfig({});
    const set = loadConfig({ HERALD_HOME_REGION: 'eu-central-1' });

    // Assert
    expect(unset.HERALD_HOME_REGION).toBeUndefined();
    expect(set.HERALD_HOME_REGION).toBe('eu-central-1');
  });

  it.each([['Frankfurt'], ['eu-central']])('rejects HERALD_HOME_REGION=%s naming the variable', (value) => {
    // Act
    const load = () => loadConfig({ HERALD_HOME_REGION: value });

    // Assert
    expect(load).toThrow(ConfigError);
    expect(load).toThrow('HERALD_HOME_REGION must be an AWS region such as eu-west-1');
  });
});
