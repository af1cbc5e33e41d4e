// Small guards shared by the routes: get a connected client or fail with a catalogued error, and
// check a topic exists before touching it (so browsing a typo never auto-creates a topic).
import type { Admin, Kafka } from 'kafkajs';
import type { ConsoleApiDeps } from './deps.ts';
import { ConsoleApiError } from './errors.ts';

export function requireAdmin(d: ConsoleApiDeps): Admin {
  const admin = d.admin();
  if (!admin)
    throw new ConsoleApiError('SEAWAY_CONSOLE_KAFKA_UNAVAILABLE', 'Kafka is not connected yet; retry in a moment');
  return admin;
}

export function requireKafka(d: ConsoleApiDeps): Kafka {
  const kafka = d.kafka();
  if (!kafka)
    throw new ConsoleApiError('SEAWAY_CONSOLE_KAFKA_UNAVAILABLE', 'Kafka is not connected yet; retry in a moment');
  return kafka;
}

export async function requireTopic(admin: Admin, name: string): Promise<void> {
  const names = await admin.listTopics();
  if (!names.includes(name)) {
    throw new ConsoleApiError(
      'SEAWAY_CONSOLE_TOPIC_NOT_FOUND',
      `topic "${name}" does not exist; pick one from GET /api/topics or create it first`,
    );
  }
}

/** Offsets as kafkajs gives them are decimal strings; lag arithmetic stays within Number range here. */
export const num = (s: string): number => Number(s);
