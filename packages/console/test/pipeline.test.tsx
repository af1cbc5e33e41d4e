import type { MetricsFrame } from '@seaway/contracts';
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { bridgeFanOut, PipelineDiagram } from '../src/components/PipelineDiagram.tsx';

afterEach(cleanup);

const frame = (rate: number): MetricsFrame => ({
  type: 'metrics',
  ts: 1,
  hops: {
    generator: { messages: 1200, bytes: 150_000, messagesPerSec: rate, bytesPerSec: rate * 125 },
    mqtt: { messages: 1199, bytes: 149_875, messagesPerSec: rate - 1, bytesPerSec: 2048 },
    bridge: { messages: 1190, bytes: 148_000, messagesPerSec: 12_345, bytesPerSec: 3 * 1024 * 1024 },
    kafka: { messages: 1190, bytes: 0, messagesPerSec: 4.25, bytesPerSec: 0 },
  },
  mqttClients: 3,
});

describe('PipelineDiagram', () => {
  test('shows each hop in order with its current rates from the newest frame', () => {
    const { getByTestId, container } = render(<PipelineDiagram frames={[frame(1), frame(30)]} live />);
    expect([...container.querySelectorAll('.hop')].map((h) => h.getAttribute('data-hop'))).toEqual([
      'generator',
      'mqtt',
      'bridge',
      'kafka',
    ]);
    expect(getByTestId('generator-rate').textContent).toBe('30.0');
    expect(getByTestId('generator-bytes').textContent).toBe('3.7 KiB');
    expect(getByTestId('mqtt-rate').textContent).toBe('29.0');
    expect(getByTestId('mqtt-bytes').textContent).toBe('2.0 KiB');
    expect(getByTestId('bridge-rate').textContent).toBe('12.3k');
    expect(getByTestId('bridge-bytes').textContent).toBe('3.0 MiB');
    expect(getByTestId('kafka-rate').textContent).toBe('4.3');
    expect(container.textContent).toContain('1,200 publishes position reports');
  });

  test('a hop that does not measure bytes says so instead of 0 B/s', () => {
    const { getByTestId } = render(<PipelineDiagram frames={[frame(5)]} live />);
    expect(getByTestId('kafka-bytes').textContent).toBe('bytes not measured');
  });

  test('two connectors on one MQTT topic: the bridge hop says it writes 2 records per message', () => {
    const f = (mqtt: number, bridge: number): MetricsFrame => {
      const x = frame(mqtt);
      x.hops.mqtt.messagesPerSec = mqtt;
      x.hops.bridge.messagesPerSec = bridge;
      return x;
    };
    const two = [f(10, 20), f(12, 24), f(8, 16)];
    expect(bridgeFanOut(two)).toBe(2);
    const { getByTestId, queryByTestId, rerender } = render(<PipelineDiagram frames={two} live />);
    expect(getByTestId('bridge-fanout').textContent).toMatch(/^2\.0 records per MQTT message/);
    rerender(<PipelineDiagram frames={[f(10, 10), f(10, 10)]} live />);
    expect(queryByTestId('bridge-fanout')).toBeNull();
    expect(bridgeFanOut([f(0, 0)])).toBeNull();
  });

  test('without frames every figure is a dash, not zero', () => {
    const { getByTestId } = render(<PipelineDiagram frames={[]} live={false} />);
    for (const hop of ['generator', 'mqtt', 'bridge', 'kafka'])
      expect(getByTestId(`${hop}-rate`).textContent).toBe('—');
  });
});
