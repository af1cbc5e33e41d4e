// IncrementalAlterConfigs (key 44), versions 0-1.
// v1: flexible. Operations: 0 SET, 1 DELETE (back to default), 2 APPEND and 3 SUBTRACT (list configs,
// comma-separated). Values are validated against the topic config table.

import type { RequestBody } from '@seaway/kafka-protocol';
import { TOPIC_CONFIGS } from '../state/topic-configs.ts';
import { applyTopicConfigs } from './alter-topic-configs.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 44;
export const minVersion = 0;
export const maxVersion = 1;

export async function handle(req: RequestBody<44>, ctx: RequestContext) {
  const responses = [];
  for (const r of req.resources) {
    const result = await applyTopicConfigs(
      ctx.broker.cluster,
      r.resourceType,
      r.resourceName,
      (current) => {
        for (const c of r.configs) {
          const list = () =>
            (current[c.name] ?? TOPIC_CONFIGS[c.name]?.default ?? '')
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean);
          switch (c.configOperation) {
            case 0:
              if (c.value === null) return `${c.name}: SET needs a value`;
              current[c.name] = c.value;
              break;
            case 1:
              delete current[c.name];
              break;
            case 2: {
              const l = list();
              for (const v of (c.value ?? '').split(',')) if (v && !l.includes(v)) l.push(v);
              current[c.name] = l.join(',');
              break;
            }
            case 3:
              current[c.name] = list()
                .filter((v) => !(c.value ?? '').split(',').includes(v))
                .join(',');
              break;
            default:
              return `unknown config operation ${c.configOperation}`;
          }
        }
        return current;
      },
      req.validateOnly,
    );
    responses.push({ ...result, resourceType: r.resourceType, resourceName: r.resourceName });
  }
  return { throttleTimeMs: 0, responses };
}
