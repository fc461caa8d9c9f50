import type { MailerPort, OutgoingEmail } from '#adapters/mailer/MailerPort';
import type { SendDeps } from '#stages/send/processRecord';

/**
 * A mailer recording every email; `failWith` makes the next sends throw; `acceptWithoutId`
 * makes the next sends succeed with no message id (as SES may).
 */
export class FakeMailer implements MailerPort {
  readonly sent: OutgoingEmail[] = [];
  failWith: Error | undefined;
  acceptWithoutId = false;

  async send(email: OutgoingEmail): Promise<{ messageId: string | undefined }> {
    if (this.failWith) throw this.failWith;
    this.sent.push(email);
    return { messageId: this.acceptWithoutId ? undefined : `ses-${this.sent.length}` };
  }
}

/** The send stage's settings in these tests: its sender, unsubscribe links, signing keys, a 120 s claim lease. */
export const SEND_SETTINGS = {
  senderEmail: 'releases@example.com',
  unsubscribeBaseUrl: 'https://hooks.example.com/unsubscribe',
  signingKeys: { keys: ['test-signing-key-0123456789abcdefghij'] },
  leaseSeconds: 120,
} as const satisfies Partial<SendDeps>;

/** Send deps over the given ports (and any other override) with {@link SEND_SETTINGS}. */
export const sendDeps = (
  deps: Pick<SendDeps, 'ledger' | 'mailer' | 'directory' | 'now'> & Partial<SendDeps>,
): SendDeps => ({ ...SEND_SETTINGS, ...deps });
