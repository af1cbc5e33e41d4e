// Apache Kafka Connect REST shapes as the console reads them (served under /api/connect). Loose on
// purpose: unknown fields pass through, so a newer Connect does not break the page.
import { z } from 'zod';

export const ConnectState = z.string(); // RUNNING | PAUSED | STOPPED | FAILED | UNASSIGNED | RESTARTING
export const TaskStatus = z.looseObject({
  id: z.number().int(),
  state: ConnectState,
  worker_id: z.string().optional(),
  trace: z.string().optional(),
});
export type TaskStatus = z.infer<typeof TaskStatus>;

export const ConnectorStatus = z.looseObject({
  name: z.string(),
  connector: z.looseObject({ state: ConnectState, worker_id: z.string().optional(), trace: z.string().optional() }),
  tasks: z.array(TaskStatus),
  type: z.string().optional(),
});
export type ConnectorStatus = z.infer<typeof ConnectorStatus>;

export const ConnectorInfo = z.looseObject({
  name: z.string(),
  config: z.record(z.string(), z.string()),
  tasks: z.array(z.looseObject({ connector: z.string(), task: z.number().int() })),
  type: z.string().optional(),
});
export type ConnectorInfo = z.infer<typeof ConnectorInfo>;

/** GET /connectors?expand=status&expand=info */
export const ConnectorsExpanded = z.record(
  z.string(),
  z.looseObject({ status: ConnectorStatus.optional(), info: ConnectorInfo.optional() }),
);
export type ConnectorsExpanded = z.infer<typeof ConnectorsExpanded>;

export const ConnectorPlugin = z.looseObject({
  class: z.string(),
  type: z.string().optional(),
  version: z.string().optional(),
});
export type ConnectorPlugin = z.infer<typeof ConnectorPlugin>;

/** PUT /connector-plugins/{class}/config/validate */
export const ConfigInfos = z.looseObject({
  name: z.string(),
  error_count: z.number().int(),
  groups: z.array(z.string()),
  configs: z.array(
    z.looseObject({
      definition: z.looseObject({
        name: z.string(),
        type: z.string().optional(),
        required: z.boolean().optional(),
        default_value: z.string().nullable().optional(),
        importance: z.string().optional(),
        documentation: z.string().nullable().optional(),
        group: z.string().nullable().optional(),
      }),
      value: z.looseObject({
        name: z.string(),
        value: z.string().nullable().optional(),
        recommended_values: z.array(z.string()).optional(),
        errors: z.array(z.string()),
        visible: z.boolean().optional(),
      }),
    }),
  ),
});
export type ConfigInfos = z.infer<typeof ConfigInfos>;

/** Connect's error body. */
export const ConnectError = z.looseObject({ error_code: z.number().int(), message: z.string() });
export type ConnectError = z.infer<typeof ConnectError>;
