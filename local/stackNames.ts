import {
  QUEUE_ROLES,
  type QueueRole,
  queueName,
  resourceName,
  STAGES,
  type StageName,
  topology,
} from '#topology/topology';

/** Physical names of every resource of one environment, all derived from the topology. */
export interface StackNames {
  /** Environment name (`HERALD_ENV`); empty for the default environment. */
  env: string;
  /** EventBridge bus the webhook puts Jira events on. */
  bus: string;
  /** Rule on {@link StackNames.bus} routing version events to the ingest queue. */
  rule: string;
  /** EventBridge Scheduler group of every send-point and long-reschedule schedule. */
  scheduleGroup: string;
  /** DynamoDB tables. */
  tables: { directory: string; ledger: string };
  /** Secrets Manager secret names. */
  secrets: {
    jiraApiToken: string;
    openaiApiKey: string;
    webhookSecret: string;
    signingKeys: string;
    reviewSigningKeys: string;
  };
  /** Queue names per stage and role (`herald-<env>-compose-dlq`). */
  queues: Record<StageName, Record<QueueRole, string>>;
  /**
   * SES feedback: the configuration set every email is sent with, the rule on the default bus
   * matching its events, and (local stack) the queue the rule targets and its DLQ.
   */
  feedback: { configurationSet: string; rule: string; queue: string; dlq: string };
}

/**
 * The names of every resource of environment `env`, as the CDK stack names them:
 * `resourceName(topology.x, env)` for the bus, rule, schedule group, tables and secrets, and
 * `queueName(stage, role, env)` for queues.
 * @param env environment name (`HERALD_ENV`); default none.
 */
export const stackNames = (env = ''): StackNames => ({
  env,
  bus: resourceName(topology.bus, env),
  rule: resourceName(topology.rule.name, env),
  scheduleGroup: resourceName(topology.scheduleGroup, env),
  tables: {
    directory: resourceName(topology.tables.directory, env),
    ledger: resourceName(topology.tables.ledger, env),
  },
  secrets: {
    jiraApiToken: resourceName(topology.secrets.jiraApiToken, env),
    openaiApiKey: resourceName(topology.secrets.openaiApiKey, env),
    webhookSecret: resourceName(topology.secrets.webhookSecret, env),
    signingKeys: resourceName(topology.secrets.signingKeys, env),
    reviewSigningKeys: resourceName(topology.secrets.reviewSigningKeys, env),
  },
  queues: Object.fromEntries(
    STAGES.map((stage) => [
      stage,
      Object.fromEntries(QUEUE_ROLES.map((role) => [role, queueName(stage, role, env)])),
    ]),
  ) as Record<StageName, Record<QueueRole, string>>,
  feedback: {
    configurationSet: resourceName(topology.ses.configurationSet, env),
    rule: resourceName(topology.feedback.rule, env),
    queue: resourceName(topology.feedback.localQueue, env),
    dlq: resourceName(topology.feedback.deadLetterQueue, env),
  },
});
