/** Base of the deployed-stack harness's errors. */
export class StackTestError extends Error {
  override name = 'StackTestError';
}

/** The cloud assembly could not be deployed: a bad assembly or a stack that did not complete. */
export class StackDeployError extends StackTestError {
  override name = 'StackDeployError';
  /** The CloudFormation stack concerned, when there is one. */
  readonly stackName: string | undefined;

  constructor(message: string, options?: { cause?: unknown; stackName?: string | undefined }) {
    super(message, options);
    this.stackName = options?.stackName;
  }
}
