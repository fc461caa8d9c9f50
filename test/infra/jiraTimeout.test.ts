import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { resourceName, topology } from '#topology/topology';
import { FUNCTION_NAMES } from '../../infra/functionNames.ts';
import { resourcesOf, SYNTH_TIMEOUT_MS, synthApp } from './synthApp.ts';

const ENV = 'prod';

describe('Function: buildApp with jiraTimeoutMs', () => {
  let template: Template;

  beforeAll(() => {
    template = synthApp({ envName: ENV, regions: 'eu-west-1', jiraTimeoutMs: '25000' })
      .templates[0] as Template;
  }, SYNTH_TIMEOUT_MS);

  it('gives JIRA_TIMEOUT_MS to the two functions that call Jira and to no other', () => {
    // Arrange
    const functions = Object.values(resourcesOf(template, 'AWS::Lambda::Function'));

    // Act
    const withTimeout = Object.fromEntries(
      functions.map((fn) => [
        fn.Properties.FunctionName,
        (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.JIRA_TIMEOUT_MS,
      ]),
    );

    // Assert
    expect(withTimeout).toEqual(
      Object.fromEntries(
        FUNCTION_NAMES.map((name) => [
          resourceName(name, ENV),
          name === 'enrich' || name === 'compose' ? '25000' : undefined,
        ]),
      ),
    );
  });

  it('refuses a Jira timeout longer than half the enrich function timeout', () => {
    // Arrange
    const limitMs = (topology.stages.enrich.fn.timeoutSeconds * 1000) / 2;

    // Act
    const synth = () => synthApp({ envName: ENV, regions: 'eu-west-1', jiraTimeoutMs: String(limitMs + 1) });

    // Assert
    expect(synth).toThrow(
      new RegExp(`enrich: JIRA_TIMEOUT_MS ${limitMs + 1} ms exceeds half the function timeout`),
    );
  });
});
