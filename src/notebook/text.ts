import { displayBundle } from './kernel';
import { escapeHtml } from './format';
import { parameterSources } from './parameters';
import { tableHtml, tableText } from './table';

/** Sentences and the parameters header. */

/** Shows a sentence (Markdown allowed) as its own output. */
export function say(markdown: string): void {
  displayBundle({ 'text/markdown': markdown, 'text/plain': markdown });
}

/** Anything that can describe a connection without its secrets. */
export interface DescribableConnection {
  describe(): string;
}

/**
 * Shows the parameters of this run (marking those set from outside) and the
 * Kafka connection, secrets redacted by the connection's own `describe()`.
 */
export function showParameters(params: object, connection?: DescribableConnection | string): void {
  const sources = parameterSources(params);
  const rows = Object.entries(params).map(([name, value]) => [
    name,
    Array.isArray(value) ? value.join(', ') : value,
    sources[name] ?? 'default',
  ]);
  const table = { columns: ['parameter', 'value', 'set by'], rows, totalRows: rows.length };
  const connectionLine =
    connection === undefined ? undefined : typeof connection === 'string' ? connection : connection.describe();
  const html =
    tableHtml(table, 'Parameters') +
    (connectionLine ? `<p><strong>Kafka connection:</strong> <code>${escapeHtml(connectionLine)}</code></p>` : '');
  const text = tableText(table, 'Parameters') + (connectionLine ? `\nKafka connection: ${connectionLine}` : '');
  displayBundle({ 'text/html': html, 'text/plain': text });
}
