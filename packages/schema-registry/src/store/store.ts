// The narrow storage interface behind the registry: an ordered log of key/value string records.
// Implementations: memory-store.ts (tests, no Kafka) and kafka-store.ts (the _schemas topic).
// Both pass test/store-contract.test.ts.

export type RecordListener = (key: string | null, value: string | null) => void;

export interface RegistryStore {
  /**
   * Starts delivering every record, oldest first, to `listener`, and keeps delivering records
   * appended later (by anyone). Resolves once every record that existed at open time was delivered.
   */
  open(listener: RecordListener): Promise<void>;
  /** Appends one record; resolves after it was delivered to the listener (written, then read back). */
  append(key: string, value: string | null): Promise<void>;
  close(): Promise<void>;
  /** Where the records live, for logs and errors (e.g. "kafka 127.0.0.1:9092 topic _schemas"). */
  readonly description: string;
}
