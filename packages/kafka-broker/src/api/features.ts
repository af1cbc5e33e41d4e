// Feature flags (KIP-584) this broker reports in ApiVersions v3+ and checks in UpdateFeatures, with
// the names and levels a single-node Apache Kafka 4.1 reports. Levels that depend on APIs are
// computed from the served API registry, so they say what this build really does:
// - metadata.version: supported 7 (3.3-IV3) to 27 (4.1-IV1), finalized 27.
// - kraft.version: supported 0-1, finalized 0 (a static single-node quorum).
// - eligible.leader.replicas.version: supported 0-1, finalized 1 (with one replica the ELR set is
//   always empty, which is what ELR reports for a partition whose ISR never shrinks).
// - group.version: 1 (KIP-848 consumer groups) only when ConsumerGroupHeartbeat (68) is served, else 0.
// - transaction.version: 2 (KIP-890 part 2) only when EndTxn v5, AddPartitionsToTxn v5, Produce v12 and
//   TxnOffsetCommit v5 are served (they are), 0 otherwise, as Apache Kafka 4.1.1 finalizes by default.
//   TV2 clients add partitions implicitly through Produce v12+ and the group through TxnOffsetCommit
//   v5, and EndTxn v5 bumps the epoch per transaction (txn/coordinator.ts).
// - share.version: 0 (no share groups, KIP-932), supported 0-0.
// A finalized level 0 is left out of FinalizedFeatures, as Kafka does. ApiVersions below v4 leaves out
// supported features whose minimum is 0: Kafka does so because older clients reject such ranges (KIP-1022).

export interface Feature {
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
  readonly finalized: number;
}

type ServedApis = ReadonlyArray<{ apiKey: number; minVersion: number; maxVersion: number }>;

/** The features epoch: the levels never change while the broker runs (UpdateFeatures accepts no change). */
export const FEATURES_EPOCH = 1n;

const cache = new WeakMap<ServedApis, readonly Feature[]>();

function served(apis: ServedApis, apiKey: number, version: number): boolean {
  return apis.some((a) => a.apiKey === apiKey && a.maxVersion >= version);
}

/** Features in the order Kafka 4.1 lists its supported features. */
export function brokerFeatures(apis: ServedApis): readonly Feature[] {
  let out = cache.get(apis);
  if (out) return out;
  const groups = served(apis, 68, 0) ? 1 : 0;
  const txn = served(apis, 26, 5) && served(apis, 24, 5) && served(apis, 0, 12) && served(apis, 28, 5) ? 2 : 0;
  out = Object.freeze([
    { name: 'group.version', minVersion: 0, maxVersion: groups, finalized: groups },
    { name: 'kraft.version', minVersion: 0, maxVersion: 1, finalized: 0 },
    { name: 'metadata.version', minVersion: 7, maxVersion: 27, finalized: 27 },
    { name: 'share.version', minVersion: 0, maxVersion: 0, finalized: 0 },
    { name: 'transaction.version', minVersion: 0, maxVersion: txn, finalized: txn },
    { name: 'eligible.leader.replicas.version', minVersion: 0, maxVersion: 1, finalized: 1 },
  ]);
  cache.set(apis, out);
  return out;
}

/** The ApiVersions v3+ tagged fields: SupportedFeatures, FinalizedFeaturesEpoch, FinalizedFeatures. */
export function featureFields(apis: ServedApis, version: number) {
  const features = brokerFeatures(apis);
  return {
    supportedFeatures: features
      .filter((f) => version >= 4 || f.minVersion > 0)
      .map((f) => ({ name: f.name, minVersion: f.minVersion, maxVersion: f.maxVersion })),
    finalizedFeaturesEpoch: FEATURES_EPOCH,
    finalizedFeatures: features
      .filter((f) => f.finalized > 0)
      .map((f) => ({ name: f.name, maxVersionLevel: f.finalized, minVersionLevel: f.finalized })),
    zkMigrationReady: false,
  };
}
