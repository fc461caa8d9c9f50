import type {
  ChunkPlan,
  DeliveryRecordsPort,
  EmailState,
  PointOutcomeRow,
  ReleaseRows,
} from '#adapters/ledger/DeliveryRecordsPort';

/** An in-memory {@link DeliveryRecordsPort}: plans first-writer-wins, email states set by the test. */
export class FakeDeliveryRecords implements DeliveryRecordsPort {
  /** Plans by `versionId:pointId@date:zone:chunk`. */
  readonly plans = new Map<string, ChunkPlan>();
  readonly pointOutcomes: PointOutcomeRow[] = [];
  /** Email states by send key (unset: no row, no event). */
  readonly emails = new Map<string, EmailState>();
  /** `projectKey#versionName` → versionId. */
  readonly aliases = new Map<string, string>();
  readonly calls: string[] = [];

  async recordFanOut(plan: ChunkPlan): Promise<void> {
    const key = `${plan.versionId}:${plan.pointId}@${plan.releaseDate ?? 'none'}:${plan.timeZone}:${plan.chunk.index}`;
    this.calls.push(`recordFanOut:${key}`);
    if (!this.plans.has(key)) this.plans.set(key, structuredClone(plan));
    this.aliases.set(`${plan.projectKey}#${plan.versionName}`, plan.versionId);
  }

  async readRelease(versionId: string): Promise<ReleaseRows> {
    this.calls.push(`readRelease:${versionId}`);
    const plans = [...this.plans.values()].filter((p) => p.versionId === versionId);
    return {
      versionId,
      projectKey: plans[0]?.projectKey,
      versionName: plans[0]?.versionName,
      plans: structuredClone(plans),
      pointOutcomes: this.pointOutcomes.filter((o) => o.versionId === versionId),
    };
  }

  async readEmails(sendKeys: readonly string[]): Promise<Map<string, EmailState>> {
    this.calls.push(`readEmails:${sendKeys.length}`);
    return new Map(sendKeys.map((key) => [key, structuredClone(this.emails.get(key) ?? { events: {} })]));
  }

  async versionIdOf(projectKey: string, versionName: string): Promise<string | null> {
    return this.aliases.get(`${projectKey}#${versionName}`) ?? null;
  }
}
