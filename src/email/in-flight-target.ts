/**
 * How many requests a sender should keep in flight, as the provider's window last said,
 * and a way to wait for it to rise: an invocation starts with one request going (the limit
 * is not known yet, or not known to this isolate) and widens as soon as a grant or an
 * answer raises the target, not when its first request is done (one whole latency later).
 */
export class InFlightTarget {
  private value = 1;
  private rise!: () => void;
  private risen!: Promise<void>;

  constructor() {
    this.renew();
  }

  get(): number {
    return this.value;
  }

  set(value: number): void {
    const raised = value > this.value;
    this.value = value;
    if (!raised) return;
    this.rise();
    this.renew();
  }

  /** Resolves the next time the target rises. */
  raised(): Promise<void> {
    return this.risen;
  }

  private renew(): void {
    this.risen = new Promise((resolve) => (this.rise = resolve));
  }
}
