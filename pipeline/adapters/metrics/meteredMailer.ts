import type { MailerPort } from '#adapters/mailer/MailerPort';
import { METRIC_NAMES, type MetricsPort } from './MetricsPort.ts';

/**
 * `mailer` with every email the provider accepted counted ({@link METRIC_NAMES.emailsSent}).
 * Results and errors pass through unchanged; a failed send counts nothing.
 */
export const meteredMailer = (mailer: MailerPort, metrics: MetricsPort): MailerPort => ({
  send: async (email) => {
    const result = await mailer.send(email);
    metrics.count(METRIC_NAMES.emailsSent);
    return result;
  },
});
