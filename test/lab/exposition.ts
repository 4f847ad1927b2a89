// The tests' own reading of the Prometheus text exposition format 0.0.4 (not the product's code),
// for the unit tests of the formatter and the lab tests that read what node_exporter serves.
import { strict as assert } from 'node:assert';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
export interface Exposition {
  help: Map<string, string>;
  type: Map<string, string>;
  samples: Sample[];
}

/** HELP and TYPE before a family's samples, each family once and in one piece, label values unescaped. */
export function parseExposition(text: string): Exposition {
  assert.ok(text.endsWith('\n'), 'ends with a line feed');
  const out: Exposition = { help: new Map(), type: new Map(), samples: [] };
  const finished = new Set<string>();
  let current: string | undefined;
  for (const line of text.slice(0, -1).split('\n')) {
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string];
      if (current !== name) {
        assert.ok(!finished.has(name), `family ${name} appears twice`);
        if (current) finished.add(current);
        current = name;
      }
      (kind === 'HELP' ? out.help : out.type).set(name, rest);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(sample, `not a sample line: ${JSON.stringify(line)}`);
    const [, name, labelText, valueText] = sample as unknown as [string, string, string | undefined, string];
    const family = current ?? '';
    const summaryPart = ['summary', 'histogram'].includes(out.type.get(family) ?? '') && /^_(sum|count|bucket)$/.test(name.slice(family.length));
    assert.ok(name === family || (name.startsWith(family) && summaryPart), `${name} outside its family`);
    assert.ok(out.help.has(family) && out.type.has(family), `${name} has HELP and TYPE`);
    const labels: Record<string, string> = {};
    const labelPattern = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/y;
    let at = 0;
    while (labelText !== undefined && at < labelText.length) {
      labelPattern.lastIndex = at;
      const m = labelPattern.exec(labelText);
      assert.ok(m, `bad labels at ${at}: ${labelText}`);
      labels[m[1] as string] = (m[2] as string).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
      at = labelPattern.lastIndex;
    }
    const value = Number(valueText);
    assert.ok(!Number.isNaN(value) || valueText === 'NaN', `value ${valueText}`);
    out.samples.push({ name, labels, value });
  }
  return out;
}

export function samples(exposition: Exposition, name: string): Sample[] {
  return exposition.samples.filter((s) => s.name === name);
}
