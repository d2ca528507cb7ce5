/**
 * layer.json / function.json in the repo's own style: one top-level key per line, arrays and
 * objects kept on that line (`"runtimes": ["python3.12"]`, `"environment": { "A": "1" }`), so a
 * generated file reads like the hand-written ones next to it.
 */
export function formatConfigJson(config: Record<string, unknown>): string {
  const lines = Object.entries(config)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `  ${JSON.stringify(key)}: ${inline(value)}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}

function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`).join(', ')} }`;
  }
  return JSON.stringify(value);
}
