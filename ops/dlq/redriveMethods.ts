/** How `herald dlq redrive` moves messages. */
export const REDRIVE_METHODS = ['auto', 'move-task', 'copy'] as const;

/**
 * `move-task`: SQS StartMessageMoveTask (server side; bodies and attributes move unchanged).
 * `copy`: receive → send → delete, resetting the retry ladder of each message.
 * `auto`: the move task where the endpoint offers it, else copy.
 */
export type RedriveMethod = (typeof REDRIVE_METHODS)[number];
