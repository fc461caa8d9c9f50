/** One event for the bus. */
export interface BusEvent {
  source: string;
  detailType: string;
  /** JSON text. */
  detail: string;
  /** Event time, epoch ms. */
  time?: number;
}

/** EventBridge PutEvents on the herald bus; a failed entry rejects. */
export interface EventBusPort {
  put(events: readonly BusEvent[]): Promise<void>;
}
